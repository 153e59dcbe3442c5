import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AgentSignRequest } from '../../src/ssh/agent-server.js';
import { checkSessionBind, hostKeysMatch, sessionIdsMatch } from '../../src/ssh/session-bind.js';
import { SSH_AGENT_RSA_SHA2_256, SSH_AGENT_RSA_SHA2_512 } from '../../src/ssh/signature.js';
import { METHOD_HOSTBOUND, parseUserauthRequest } from '../../src/ssh/userauth.js';
import { startTestAgent, type TestAgent } from '../helpers/agent.js';
import { runTool } from '../helpers/run-tool.js';
import { DEPLOY_USER, ensureUser, type Sshd, sshArgs, startSshd } from '../helpers/sshd.js';
import { makeKey, removeDir, tempDir, type TestKey } from '../helpers/ssh-keys.js';

/**
 * `ssh` logs in to a real sshd with keys that only keyhold's agent can sign with (the private key
 * files are deleted once loaded). The sign callback checks what OpenSSH sent: a userauth request
 * for the right user and key, on a connection bound to the harness's host key, for the same session.
 */
describe('ssh login through the agent', () => {
  let dir: string;
  let sshd: Sshd;
  let agent: TestAgent;
  let knownHosts: string;
  let keys: Record<'ed25519' | 'rsa' | 'ecdsa' | 'deploy', TestKey>;

  /** The policy a keyhold signing API would apply, minus the policy: any mismatch refuses. */
  const check = (req: AgentSignRequest): string | undefined => {
    try {
      const auth = parseUserauthRequest(req.data);
      if (!auth.keyBlob.equals(req.keyBlob)) return 'userauth names another key';
      if (!req.binding) return 'connection not bound';
      if (!sessionIdsMatch(auth, req.binding)) return 'session id differs from the bound one';
      if (!hostKeysMatch(auth, req.binding)) return 'host key differs from the bound one';
      return undefined;
    } catch (e) {
      return `not a userauth request: ${(e as Error).message}`;
    }
  };

  before(async () => {
    dir = tempDir();
    keys = { ed25519: makeKey(dir, 'ed25519'), rsa: makeKey(dir, 'rsa'), ecdsa: makeKey(dir, 'ecdsa'), deploy: makeKey(dir, 'ed25519', 'deploy') };
    for (const k of Object.values(keys)) fs.rmSync(k.path);
    ensureUser();
    sshd = await startSshd();
    for (const k of [keys.ed25519, keys.rsa, keys.ecdsa]) sshd.addAuthorizedKey('root', k.publicLine);
    sshd.addAuthorizedKey(DEPLOY_USER, keys.deploy.publicLine);
    knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, sshd.knownHosts());
    agent = await startTestAgent(dir, Object.values(keys), check);
  });
  after(async () => {
    await agent?.close();
    await sshd?.stop();
    removeDir(dir);
  });

  const ssh = (key: TestKey, user = 'root', command = 'echo ok') =>
    runTool('ssh', sshArgs({ port: sshd.port, user, knownHostsFile: knownHosts, identityAgent: agent.socketPath, identityFile: key.pubPath, command }));

  for (const kind of ['ed25519', 'rsa', 'ecdsa'] as const) {
    it(`logs in as root with ${kind}, and the sign request is a bound userauth for that session`, async () => {
      const key = keys[kind];
      const before = agent.signed.length;
      const r = await ssh(key);
      assert.equal(r.code, 0, `${r.stderr}\n${sshd.logs()}`);
      assert.equal(r.stdout, 'ok\n');
      const mine = agent.signed.slice(before);
      assert.equal(mine.length, 1);
      const req = mine[0]!;
      assert.deepEqual(req.keyBlob, key.blob);
      const auth = parseUserauthRequest(req.data);
      assert.equal(auth.user, 'root');
      assert.equal(auth.service, 'ssh-connection');
      assert.deepEqual(auth.keyBlob, key.blob);
      // OpenSSH 8.9+ binds the request to the host key.
      assert.equal(auth.method, METHOD_HOSTBOUND);
      assert.deepEqual(auth.hostKeyBlob, Buffer.from(sshd.hostKeyPublic.split(' ')[1]!, 'base64'));
      // The session-bind arrived on this connection, for authentication, and checks out.
      assert.ok(req.binding);
      assert.equal(req.bindings.length, 1);
      assert.equal(req.binding.isForwarding, false);
      assert.equal(req.forwarded, false);
      const bind = checkSessionBind(req.binding);
      assert.deepEqual(bind, { ok: true, hostKeyFingerprint: sshd.hostKeyFingerprint });
      assert.equal(req.binding.hostKeyFingerprint, sshd.hostKeyFingerprint);
      assert.ok(sessionIdsMatch(auth, req.binding));
      if (kind === 'rsa') {
        assert.ok(req.flags & (SSH_AGENT_RSA_SHA2_256 | SSH_AGENT_RSA_SHA2_512), `flags ${req.flags}`);
        assert.ok(['rsa-sha2-512', 'rsa-sha2-256'].includes(req.algorithm));
        assert.equal(auth.algorithm, req.algorithm);
      } else {
        assert.equal(req.algorithm, key.signing.type);
      }
      assert.match(
        sshd.logs(),
        new RegExp(`Accepted publickey for root from 127\\.0\\.0\\.1 port \\d+ ssh2: \\w+ ${key.fingerprint.replace(/[+/]/g, '\\$&')}`),
      );
    });
  }

  it('never asked for an ssh-rsa (SHA-1) signature', () => {
    assert.ok(agent.signed.some((s) => s.algorithm.startsWith('rsa-sha2-')));
    assert.ok(agent.signed.every((s) => s.algorithm !== 'ssh-rsa'));
  });

  it(`logs in as ${DEPLOY_USER} with a key authorized only for that user, and not as root with it`, async () => {
    const r = await ssh(keys.deploy, DEPLOY_USER, 'id -un');
    assert.equal(r.code, 0, `${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.stdout, `${DEPLOY_USER}\n`);
    assert.equal(parseUserauthRequest(agent.signed.at(-1)!.data).user, DEPLOY_USER);
    const signedBefore = agent.signed.length;
    const root = await ssh(keys.deploy, 'root');
    assert.equal(root.code, 255);
    assert.match(root.stderr, /Permission denied \(publickey\)/);
    assert.equal(agent.signed.length, signedBefore, 'sshd refused the key before any signature was asked for');
  });

  it('fails to log in when the agent refuses, and the refusal is reported', async () => {
    const refusingDir = path.join(dir, 'refusing');
    fs.mkdirSync(refusingDir);
    const refusing = await startTestAgent(refusingDir, [keys.ed25519], () => 'policy says no');
    try {
      const r = await runTool(
        'ssh',
        sshArgs({
          port: sshd.port,
          user: 'root',
          knownHostsFile: knownHosts,
          identityAgent: refusing.socketPath,
          identityFile: keys.ed25519.pubPath,
          command: 'echo ok',
        }),
      );
      assert.equal(r.code, 255);
      assert.equal(r.stdout, '');
      assert.deepEqual(refusing.refusals, ['policy says no']);
    } finally {
      await refusing.close();
    }
  });
});
