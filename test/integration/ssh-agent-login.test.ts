import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { fixture } from '../helpers/keys.js';
import {
  agentEnv,
  agentRun,
  knownHostsFor,
  loginArgs,
  makeToken,
  metricValue,
  shellQuote,
  signatures,
  startForegroundAgent,
  type StoredKey,
  storeKey,
} from '../helpers/keyhold-agent.js';
import { runTool } from '../helpers/run-tool.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type Sshd, sshArgs, startSshd } from '../helpers/sshd.js';
import { removeDir, tempDir } from '../helpers/ssh-keys.js';

/**
 * `keyhold agent` with real OpenSSH against a real keyhold server: ssh logs in to a real sshd with
 * keys whose private files were deleted after upload (only keyhold can sign), `ssh-add -l` lists
 * exactly the token's keys, the foreground mode serves a private socket, `git clone` works over
 * SSH, and every signature is in the audit trail and the metric.
 */
describe(`keyhold agent: logins, listing, foreground mode, git clone, audit (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let dir: string;
  let sshd: Sshd;
  let knownHosts: string;
  let keys: Record<'deploy' | 'rsa' | 'ecdsa', StoredKey>;
  let dsaUuid: string;
  /** Restricted to deploy and rsa. */
  let two: { id: number; token: string };
  /** Unrestricted `sign`. */
  let all: { id: number; token: string };

  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    dir = tempDir();
    keys = {
      deploy: await storeKey(s, root, dir, 'ed25519', 'deploy'),
      rsa: await storeKey(s, root, dir, 'rsa', 'rsa-key'),
      ecdsa: await storeKey(s, root, dir, 'ecdsa', 'ecdsa-key'),
    };
    const dsa = await s.request('POST', '/v1/private-keys', { token: root, body: { name: 'old-dsa', private_key: fixture('openssh-dsa.key') } });
    assert.equal(dsa.status, 201, dsa.text);
    dsaUuid = dsa.json().uuid;
    sshd = await startSshd();
    for (const k of Object.values(keys)) sshd.addAuthorizedKey('root', k.publicLine);
    knownHosts = knownHostsFor(dir, sshd);
    two = await makeToken(s, root, { privateKeys: [keys.deploy.uuid, keys.rsa.uuid], name: 'two-keys' });
    all = await makeToken(s, root, { name: 'all-keys' });
  });
  after(async () => {
    await sshd?.stop();
    await s?.close();
    if (dir) removeDir(dir);
  });

  it('keyhold agent -- ssh logs in with a stored key whose private file is gone, and prints ok', async () => {
    assert.equal(fs.existsSync(keys.deploy.path), false, 'the private key file was deleted after upload');
    const r = await agentRun(agentEnv(s, two.token), ['ssh', ...loginArgs(sshd, keys.deploy, knownHosts, 'root', 'echo ok')]);
    assert.equal(r.code, 0, `${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.stdout, 'ok\n');
    // Without the agent the same ssh has nothing to sign with.
    const alone = await runTool('ssh', loginArgs(sshd, keys.deploy, knownHosts, 'root', 'echo ok', { identityAgent: 'none' }));
    assert.notEqual(alone.code, 0);
  });

  it('signs logins with RSA (rsa-sha2-*) and ECDSA keys too', async () => {
    for (const k of [keys.rsa, keys.ecdsa]) {
      const r = await agentRun(agentEnv(s, all.token), ['ssh', ...loginArgs(sshd, k, knownHosts, 'root', 'echo ok')]);
      assert.equal(r.code, 0, `${k.comment}: ${r.stderr}`);
      assert.equal(r.stdout, 'ok\n');
    }
    const [rsaSig] = await signatures(s, root, keys.rsa.uuid);
    assert.equal(rsaSig?.detail.outcome, 'signed');
  });

  it('ssh-add -l lists exactly the keys the token may sign with, never a DSA key', async () => {
    const listed = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((l) => l.split(' ').slice(1, 3).join(' '))
        .sort();
    const r2 = await agentRun(agentEnv(s, two.token), ['ssh-add', '-l']);
    assert.equal(r2.code, 0, r2.stderr);
    assert.deepEqual(listed(r2.stdout), [`${keys.deploy.fingerprint} deploy`, `${keys.rsa.fingerprint} rsa-key`].sort());

    // The team holds four keys, one of them DSA (stored, listed to root, but never signed with).
    const stored = (await s.request('GET', '/v1/private-keys', { token: root })).json() as Array<{ uuid: string; key_type: string }>;
    assert.deepEqual(stored.map((k) => k.uuid).sort(), [keys.deploy.uuid, keys.rsa.uuid, keys.ecdsa.uuid, dsaUuid].sort());
    assert.equal(stored.find((k) => k.uuid === dsaUuid)?.key_type, 'ssh-dss');
    const rAll = await agentRun(agentEnv(s, all.token), ['ssh-add', '-l']);
    assert.equal(rAll.code, 0, rAll.stderr);
    assert.deepEqual(
      listed(rAll.stdout),
      [`${keys.deploy.fingerprint} deploy`, `${keys.rsa.fingerprint} rsa-key`, `${keys.ecdsa.fingerprint} ecdsa-key`].sort(),
    );
    assert.doesNotMatch(rAll.stdout, /\(DSA\)|old-dsa/);

    // ssh-add -L prints the public keys themselves, as stored.
    const pub = await agentRun(agentEnv(s, two.token), ['ssh-add', '-L']);
    assert.equal(pub.code, 0, pub.stderr);
    const blobs = pub.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[1])
      .sort();
    assert.deepEqual(blobs, [keys.deploy.publicLine.split(' ')[1], keys.rsa.publicLine.split(' ')[1]].sort());
  });

  it('a key outside the token is not offered: ssh with it fails through a restricted agent', async () => {
    const r = await agentRun(agentEnv(s, two.token), ['ssh', ...loginArgs(sshd, keys.ecdsa, knownHosts, 'root', 'echo ok')]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout, '');
  });

  it('foreground: prints SSH_AUTH_SOCK=<path> first, a 0600 socket in a 0700 dir, ssh works with it, SIGTERM removes it', async () => {
    const agent = await startForegroundAgent(agentEnv(s, two.token));
    try {
      assert.ok(agent.stdout().startsWith(`SSH_AUTH_SOCK=${agent.socket}\n`));
      const st = fs.lstatSync(agent.socket);
      assert.ok(st.isSocket());
      assert.equal(st.mode & 0o777, 0o600);
      const dirSt = fs.lstatSync(path.dirname(agent.socket));
      assert.ok(dirSt.isDirectory());
      assert.equal(dirSt.mode & 0o777, 0o700);

      for (let i = 0; i < 2; i++) {
        const r = await runTool('ssh', loginArgs(sshd, keys.deploy, knownHosts, 'root', 'echo ok'), { env: { SSH_AUTH_SOCK: agent.socket } });
        assert.equal(r.code, 0, `${r.stderr}\n${agent.stderr()}`);
        assert.equal(r.stdout, 'ok\n');
      }
    } finally {
      const exit = await agent.stop();
      assert.deepEqual(exit, { code: 0, signal: null }, agent.stderr());
    }
    assert.equal(fs.existsSync(agent.socket), false, 'the socket is removed');
    assert.equal(fs.existsSync(path.dirname(agent.socket)), false, 'and the directory the agent made for it');
  });

  it('foreground with --socket PATH: the directory is made 0700 and removed on SIGTERM', async () => {
    const socket = path.join(dir, 'sockdir', 'agent.sock');
    const agent = await startForegroundAgent(agentEnv(s, two.token), ['--socket', socket]);
    try {
      assert.equal(agent.socket, socket);
      assert.equal(fs.lstatSync(path.dirname(socket)).mode & 0o777, 0o700);
      const l = await runTool('ssh-add', ['-l'], { env: { SSH_AUTH_SOCK: socket } });
      assert.equal(l.code, 0, l.stderr);
      assert.equal(l.stdout.trim().split('\n').length, 2);
    } finally {
      await agent.stop();
    }
    assert.equal(fs.existsSync(socket), false);
  });

  it('git clone over SSH from the sshd, through the agent', async () => {
    // A bare repository in the sshd's dir with one commit, pushed there over the file system.
    const bare = path.join(sshd.dir, 'app.git');
    const work = path.join(dir, 'work');
    const gitEnv = {
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Keyhold Test',
      GIT_AUTHOR_EMAIL: 'test@keyhold.invalid',
      GIT_COMMITTER_NAME: 'Keyhold Test',
      GIT_COMMITTER_EMAIL: 'test@keyhold.invalid',
    };
    const git = async (args: string[], cwd = dir, env: Record<string, string> = {}) => {
      const r = await runTool('git', args, { cwd, env: { ...gitEnv, ...env } });
      assert.equal(r.code, 0, `git ${args.join(' ')}: ${r.stderr}`);
      return r;
    };
    await git(['init', '-q', '--bare', '-b', 'main', bare]);
    fs.mkdirSync(work);
    await git(['init', '-q', '-b', 'main'], work);
    fs.writeFileSync(path.join(work, 'deploy.sh'), 'echo deployed\n');
    await git(['add', 'deploy.sh'], work);
    await git(['commit', '-q', '-m', 'first'], work);
    await git(['push', '-q', bare, 'main'], work);

    // Everything sshArgs says but the port, the destination and the command: git adds those from the URL.
    const all = sshArgs({
      port: sshd.port,
      user: 'root',
      knownHostsFile: knownHosts,
      identityAgent: 'SSH_AUTH_SOCK',
      identityFile: keys.deploy.pubPath,
      command: 'unused',
    });
    const opts = all.slice(0, all.lastIndexOf('-p'));
    const before = (await signatures(s, root, keys.deploy.uuid)).length;
    const clone = path.join(dir, 'clone');
    const r = await agentRun({ ...agentEnv(s, two.token), ...gitEnv, GIT_SSH_COMMAND: ['ssh', ...opts].map(shellQuote).join(' ') }, [
      'git',
      'clone',
      '-q',
      `ssh://root@127.0.0.1:${sshd.port}${bare}`,
      clone,
    ]);
    assert.equal(r.code, 0, `${r.stderr}\n${sshd.logs()}`);
    assert.equal(fs.readFileSync(path.join(clone, 'deploy.sh'), 'utf8'), 'echo deployed\n');
    const after = await signatures(s, root, keys.deploy.uuid);
    assert.equal(after.length, before + 1, 'one signature for the clone');
    assert.equal(after[0]!.detail.user, 'root');
  });

  it('the audit and the signatures list show each signature with user and host fingerprint; the metric counts it', async () => {
    const metric = { outcome: 'signed', purpose: 'ssh' };
    const countBefore = await metricValue(s, 'keyhold_ssh_signatures_total', metric);
    const listBefore = await signatures(s, two.token, keys.deploy.uuid);
    const r = await agentRun(agentEnv(s, two.token), ['ssh', ...loginArgs(sshd, keys.deploy, knownHosts, 'root', 'echo ok')]);
    assert.equal(r.code, 0, r.stderr);

    // GET /v1/private-keys/{uuid}/signatures, read with the sign token itself: one more row, newest first.
    const list = await signatures(s, two.token, keys.deploy.uuid);
    assert.equal(list.length, listBefore.length + 1);
    const expected = {
      outcome: 'signed',
      purpose: 'ssh',
      key_fingerprint: keys.deploy.fingerprint,
      user: 'root',
      host_fingerprint: sshd.hostKeyFingerprint,
      namespace: null,
      forwarded: false,
    };
    assert.deepEqual(list[0]!.detail, expected);
    assert.equal(list[0]!.token_id, two.id);
    assert.equal(list[0]!.action, 'private_key.sign');

    // GET /v1/audit (root) has the same row, and one signed row per login done with this key so far
    // (the first test, the foreground logins, the clone, this one); a refusal would be listed too.
    const audit = await s.request('GET', `/v1/audit?resource=private_key:${keys.deploy.uuid}&limit=100`, { token: root });
    assert.equal(audit.status, 200, audit.text);
    const rows = (audit.json().events as Array<{ action: string; detail: Record<string, unknown> | null; id: number }>).filter(
      (e) => e.action === 'private_key.sign',
    );
    assert.deepEqual(rows[0]!.detail, expected);
    assert.ok(rows.every((e) => e.detail?.outcome === 'signed' && e.detail.host_fingerprint === sshd.hostKeyFingerprint && e.detail.user === 'root'));
    assert.deepEqual(
      rows.map((e) => e.id),
      list.map((e) => (e as unknown as { id: number }).id),
    );

    assert.equal(await metricValue(s, 'keyhold_ssh_signatures_total', metric), countBefore + 1);
  });
});
