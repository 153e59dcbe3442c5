import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sessionIdsMatch } from '../../src/ssh/session-bind.js';
import { parseUserauthRequest } from '../../src/ssh/userauth.js';
import { startTestAgent, type TestAgent } from '../helpers/agent.js';
import { runTool } from '../helpers/run-tool.js';
import { type Sshd, sshArgs, startSshd } from '../helpers/sshd.js';
import { makeKey, removeDir, tempDir, type TestKey } from '../helpers/ssh-keys.js';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Agent forwarding through real OpenSSH: `ssh -A` to the harness sshd, then, in that session,
 * `ssh-add -l` through the forwarded socket and a second `ssh` hop. Each hop binds the agent
 * connection (PROTOCOL.agent §1); the second hop's sign request must arrive with both bindings,
 * the forwarding one first, and `forwarded: true`.
 */
describe('agent forwarding', () => {
  let dir: string;
  let sshd: Sshd;
  let agent: TestAgent;
  let key: TestKey;
  let knownHosts: string;
  before(async () => {
    dir = tempDir();
    key = makeKey(dir, 'ed25519');
    fs.rmSync(key.path);
    sshd = await startSshd();
    sshd.addAuthorizedKey('root', key.publicLine);
    knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, sshd.knownHosts());
    // The temp dir is reached again from inside the ssh session, as root: it must be traversable.
    fs.chmodSync(dir, 0o755);
    agent = await startTestAgent(dir, [key]);
  });
  after(async () => {
    await agent?.close();
    await sshd?.stop();
    removeDir(dir);
  });

  it('lists the identities through the forwarded socket and signs the second hop with forwarded: true', async () => {
    const inner = sshArgs({
      port: sshd.port,
      user: 'root',
      knownHostsFile: knownHosts,
      identityAgent: 'SSH_AUTH_SOCK',
      identityFile: key.pubPath,
      command: 'echo second-hop-ok',
    });
    const remote = `ssh-add -l && ssh ${inner.map(shellQuote).join(' ')}`;
    const r = await runTool(
      'ssh',
      sshArgs({
        port: sshd.port,
        user: 'root',
        knownHostsFile: knownHosts,
        identityAgent: agent.socketPath,
        identityFile: key.pubPath,
        forwardAgent: true,
        command: remote,
      }),
    );
    assert.equal(r.code, 0, `${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.stdout, `256 ${key.fingerprint} ${key.comment} (ED25519)\nsecond-hop-ok\n`);

    assert.equal(agent.signed.length, 2);
    const [first, second] = agent.signed as [TestAgent['signed'][number], TestAgent['signed'][number]];
    // The first hop: ssh on this machine, bound for authentication only.
    assert.equal(first.forwarded, false);
    assert.deepEqual(
      first.bindings.map((b) => b.isForwarding),
      [false],
    );
    // The second hop: the forwarding binding of hop 1, then the authentication binding of hop 2.
    assert.equal(second.forwarded, true);
    assert.deepEqual(
      second.bindings.map((b) => b.isForwarding),
      [true, false],
    );
    for (const b of second.bindings) assert.equal(b.hostKeyFingerprint, sshd.hostKeyFingerprint);
    assert.deepEqual(second.bindings[0]!.sessionId, first.binding!.sessionId, 'hop 1 is bound with its own session id');
    const auth = parseUserauthRequest(second.data);
    assert.equal(auth.user, 'root');
    assert.ok(second.binding && sessionIdsMatch(auth, second.binding), 'the request is for the latest binding');
    assert.ok(!sessionIdsMatch(auth, second.bindings[0]!), 'a new session, not hop 1');
  });
});
