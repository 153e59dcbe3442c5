import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import {
  agentEnv,
  agentRun,
  type ForegroundAgent,
  KEYHOLD_BIN,
  knownHostsFor,
  loginArgs,
  makeToken,
  startForegroundAgent,
  type StoredKey,
  storeKey,
} from '../helpers/keyhold-agent.js';
import { runTool } from '../helpers/run-tool.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type Sshd, startSshd } from '../helpers/sshd.js';
import { makeKey, removeDir, tempDir } from '../helpers/ssh-keys.js';

/**
 * `keyhold agent` under misuse: it holds no keys, so ssh-add's add, delete and lock requests are
 * refused and change nothing; keyhold going away makes it refuse (with a clear line) rather than
 * crash; missing settings are usage errors naming both ways to give them; the command's exit status
 * is the agent's.
 */
describe(`keyhold agent: robustness (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let dir: string;
  let sshd: Sshd;
  let knownHosts: string;
  let key: StoredKey;
  let env: Record<string, string>;

  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    dir = tempDir();
    key = await storeKey(s, root, dir, 'ed25519', 'deploy');
    env = agentEnv(s, (await makeToken(s, root, { privateKeys: [key.uuid] })).token);
    sshd = await startSshd();
    sshd.addAuthorizedKey('root', key.publicLine);
    knownHosts = knownHostsFor(dir, sshd);
  });
  after(async () => {
    await sshd?.stop();
    await s?.close();
    if (dir) removeDir(dir);
  });

  it('ssh-add KEY, -d, -D, -x and -X are refused, and the agent still lists only the token key', async () => {
    const local = makeKey(dir, 'ed25519', 'local');
    const add = await agentRun(env, ['ssh-add', local.path]);
    assert.notEqual(add.code, 0);
    assert.match(add.stderr, /keyhold agent: refused: add-identity refused: this agent holds no keys/);
    assert.match(add.stderr, /Could not add identity/);

    const del = await agentRun(env, ['ssh-add', '-d', key.pubPath]);
    assert.notEqual(del.code, 0);
    assert.match(del.stderr, /keyhold agent: refused: remove-identity refused: this agent holds no keys/);

    const all = await agentRun(env, ['ssh-add', '-D']);
    assert.notEqual(all.code, 0);
    assert.match(all.stderr, /keyhold agent: refused: remove-all-identities refused: this agent holds no keys/);

    // ssh-add reads the lock password from standard input when it is not a terminal.
    const lock = await agentRun(env, ['ssh-add', '-x'], { input: 'secret\nsecret\n' });
    assert.notEqual(lock.code, 0);
    assert.match(lock.stderr, /keyhold agent: refused: lock refused: this agent holds no keys/);
    assert.match(lock.stderr, /Failed to lock agent/);
    const unlock = await agentRun(env, ['ssh-add', '-X'], { input: 'secret\n' });
    assert.notEqual(unlock.code, 0);
    assert.match(unlock.stderr, /keyhold agent: refused: unlock refused/);

    // All of that in one running agent, then a listing: nothing was added, removed or locked.
    const agent = await startForegroundAgent(env);
    try {
      const sock = { SSH_AUTH_SOCK: agent.socket };
      assert.notEqual((await runTool('ssh-add', [local.path], { env: sock })).code, 0);
      assert.notEqual((await runTool('ssh-add', ['-D'], { env: sock })).code, 0);
      assert.notEqual((await runTool('ssh-add', ['-x'], { env: sock, input: 'pw\npw\n' })).code, 0);
      const l = await runTool('ssh-add', ['-l'], { env: sock });
      assert.equal(l.code, 0, l.stderr);
      assert.deepEqual(
        l.stdout
          .trim()
          .split('\n')
          .map((x) => x.split(' ')[1]),
        [key.fingerprint],
      );
      const login = await runTool('ssh', loginArgs(sshd, key, knownHosts, 'root', 'echo ok'), { env: sock });
      assert.equal(login.code, 0, login.stderr);
    } finally {
      await agent.stop();
    }
  });

  it('keyhold unreachable: the running agent refuses with a clear line, ssh fails, the agent does not crash', async () => {
    const s2 = await startTestServer();
    let agent: ForegroundAgent | undefined;
    try {
      const root2 = await s2.token('root');
      const k2 = await storeKey(s2, root2, dir, 'ed25519', 'deploy2');
      sshd.addAuthorizedKey('root', k2.publicLine);
      agent = await startForegroundAgent(agentEnv(s2, (await makeToken(s2, root2)).token));
      const sock = { SSH_AUTH_SOCK: agent.socket };
      const ok = await runTool('ssh', loginArgs(sshd, k2, knownHosts, 'root', 'echo ok'), { env: sock });
      assert.equal(ok.code, 0, ok.stderr);

      await s2.close();
      for (let i = 0; i < 2; i++) {
        const down = await runTool('ssh', loginArgs(sshd, k2, knownHosts, 'root', 'echo ok'), { env: sock });
        assert.notEqual(down.code, 0);
        assert.equal(down.stdout, '');
      }
      assert.match(agent.stderr(), new RegExp(`keyhold agent: refused: identities: cannot reach keyhold at ${s2.url.replace(/\./g, '\\.')}: ECONNREFUSED\\n`));
      assert.equal(agent.child.exitCode, null, 'the agent is still running');
      const listing = await runTool('ssh-add', ['-l'], { env: sock });
      assert.notEqual(listing.code, 0, 'ssh-add -l fails too, the agent answers it');
      assert.doesNotMatch(agent.stderr(), /TypeError|at .*\.js:\d+/, 'no stack trace');
    } finally {
      if (agent) assert.deepEqual(await agent.stop(), { code: 0, signal: null }, agent.stderr());
    }
    // Starting against an address where nothing listens is a clear error, not a hang.
    const start = await agentRun(agentEnv(s2, 'x|y'), ['ssh-add', '-l']);
    assert.equal(start.code, 1);
    assert.match(start.stderr, /^keyhold: cannot reach keyhold at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
  });

  it('--url / --token missing: exit 1 and a message naming the option and the variable; the flags work without the variables', async () => {
    const noUrl = await agentRun({ KEYHOLD_TOKEN: env.KEYHOLD_TOKEN! }, ['ssh-add', '-l']);
    assert.equal(noUrl.code, 1);
    assert.match(noUrl.stderr, /--url .*KEYHOLD_URL/);
    const noToken = await agentRun({ KEYHOLD_URL: s.url }, ['ssh-add', '-l']);
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /--token .*KEYHOLD_TOKEN/);
    const neither = await runTool(process.execPath, [KEYHOLD_BIN, 'agent']);
    assert.equal(neither.code, 1);
    assert.match(neither.stderr, /--url .*KEYHOLD_URL/);
    const badUrl = await runTool(process.execPath, [KEYHOLD_BIN, 'agent', '--url', 'ftp://example.com', '--token', 'x|y']);
    assert.equal(badUrl.code, 1);
    assert.match(badUrl.stderr, /--url \/ KEYHOLD_URL must be an http\(s\) URL/);
    const wrongToken = await agentRun(agentEnv(s, '999|wrong'), ['ssh-add', '-l']);
    assert.equal(wrongToken.code, 1);
    assert.match(wrongToken.stderr, /keyhold: keyhold refused the token: revoked, expired or unknown/);

    const flags = await runTool(process.execPath, [KEYHOLD_BIN, 'agent', '--url', s.url, '--token', env.KEYHOLD_TOKEN!, '--', 'ssh-add', '-l']);
    assert.equal(flags.code, 0, flags.stderr);
    assert.match(flags.stdout, new RegExp(` ${key.fingerprint.replace(/[+/]/g, '\\$&')} deploy \\(ED25519\\)`));
  });

  it("-- COMMAND: the agent exits with the command's status, 127 when it cannot run it", async () => {
    const seven = await agentRun(env, ['sh', '-c', 'test -S "$SSH_AUTH_SOCK" && exit 7']);
    assert.equal(seven.code, 7, seven.stderr);
    const missing = await agentRun(env, ['/nonexistent/tool']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /keyhold agent: cannot run \/nonexistent\/tool/);
  });
});
