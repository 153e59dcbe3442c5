import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import {
  agentEnv,
  agentRun,
  knownHostsFor,
  loginArgs,
  makeToken,
  setPolicy,
  shellQuote,
  signatures,
  type StoredKey,
  storeKey,
} from '../helpers/keyhold-agent.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { DEPLOY_USER, ensureUser, type Sshd, startSshd } from '../helpers/sshd.js';
import { removeDir, tempDir } from '../helpers/ssh-keys.js';

/**
 * A key's signing policy, enforced by keyhold on logins made through `keyhold agent` with real
 * OpenSSH: hosts (proved by the session binding: two sshds with different host keys), users, and
 * forwarding (a second hop through `ssh -A`). Each refusal fails the login, is explained on the
 * agent's stderr, and is audited as `refused` with the policy field as reason.
 */
describe(`keyhold agent: signing policy with real sshd (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let dir: string;
  let a: Sshd;
  let b: Sshd;
  let knownHosts: string;
  let env: Record<string, string>;
  let keys: Record<'host' | 'user' | 'fwd', StoredKey>;

  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    dir = tempDir();
    // The forwarding test reads known_hosts and the .pub files again from inside an ssh session.
    fs.chmodSync(dir, 0o755);
    keys = {
      host: await storeKey(s, root, dir, 'ed25519', 'host-key'),
      user: await storeKey(s, root, dir, 'ed25519', 'user-key'),
      fwd: await storeKey(s, root, dir, 'ed25519', 'fwd-key'),
    };
    ensureUser();
    [a, b] = await Promise.all([startSshd(), startSshd()]);
    assert.notEqual(a.hostKeyFingerprint, b.hostKeyFingerprint);
    for (const sshd of [a, b]) for (const k of Object.values(keys)) sshd.addAuthorizedKey('root', k.publicLine);
    a.addAuthorizedKey(DEPLOY_USER, keys.user.publicLine);
    knownHosts = knownHostsFor(dir, a, b);
    env = agentEnv(s, (await makeToken(s, root)).token);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await s?.close();
    if (dir) removeDir(dir);
  });

  const latest = async (k: StoredKey) => (await signatures(s, root, k.uuid))[0]!.detail;

  it('hosts: a key restricted to host A logs in to sshd A and is refused by sshd B', async () => {
    await setPolicy(s, root, keys.host.uuid, { hosts: [a.hostKeyFingerprint] });
    const okA = await agentRun(env, ['ssh', ...loginArgs(a, keys.host, knownHosts, 'root', 'echo ok')]);
    assert.equal(okA.code, 0, okA.stderr);
    assert.equal(okA.stdout, 'ok\n');
    assert.deepEqual(await latest(keys.host), {
      outcome: 'signed',
      purpose: 'ssh',
      key_fingerprint: keys.host.fingerprint,
      user: 'root',
      host_fingerprint: a.hostKeyFingerprint,
      namespace: null,
      forwarded: false,
    });

    const noB = await agentRun(env, ['ssh', ...loginArgs(b, keys.host, knownHosts, 'root', 'echo ok')]);
    assert.notEqual(noB.code, 0);
    assert.equal(noB.stdout, '');
    const why = `signing refused (host): key host-key may log in only to ${a.hostKeyFingerprint}; this session is with ${b.hostKeyFingerprint}`;
    assert.ok(noB.stderr.includes(`keyhold agent: refused: host-key: ${why}\n`), noB.stderr);
    assert.deepEqual(await latest(keys.host), {
      outcome: 'refused',
      purpose: 'ssh',
      key_fingerprint: keys.host.fingerprint,
      user: 'root',
      host_fingerprint: b.hostKeyFingerprint,
      namespace: null,
      forwarded: false,
      reason: 'host',
      message: why,
    });
    assert.match(b.logs(), /Connection closed by authenticating user root|Failed publickey/);
  });

  it(`users: a key restricted to ${DEPLOY_USER} logs in as ${DEPLOY_USER} and is refused as root`, async () => {
    await setPolicy(s, root, keys.user.uuid, { users: [DEPLOY_USER] });
    const ok = await agentRun(env, ['ssh', ...loginArgs(a, keys.user, knownHosts, DEPLOY_USER, 'id -un')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, `${DEPLOY_USER}\n`);
    assert.equal((await latest(keys.user)).user, DEPLOY_USER);

    const no = await agentRun(env, ['ssh', ...loginArgs(a, keys.user, knownHosts, 'root', 'id -un')]);
    assert.notEqual(no.code, 0);
    assert.equal(no.stdout, '');
    const why = `signing refused (user): key user-key may log in only as ${DEPLOY_USER}, not root`;
    assert.ok(no.stderr.includes(`keyhold agent: refused: user-key: ${why}\n`), no.stderr);
    const refused = await latest(keys.user);
    assert.equal(refused.outcome, 'refused');
    assert.equal(refused.reason, 'user');
    assert.equal(refused.user, 'root');
    assert.equal(refused.host_fingerprint, a.hostKeyFingerprint);
    assert.equal(refused.message, why);
  });

  it('forwarding: a second hop through ssh -A is refused unless forwarding: true, then allowed', async () => {
    const inner = loginArgs(b, keys.fwd, knownHosts, 'root', 'echo second-hop-ok');
    const hop = () =>
      agentRun(env, [
        'ssh',
        ...loginArgs(a, keys.fwd, knownHosts, 'root', `echo first-hop-ok && ssh ${inner.map(shellQuote).join(' ')}`, { forwardAgent: true }),
      ]);

    const refusedRun = await hop();
    assert.notEqual(refusedRun.code, 0, 'the second hop fails');
    assert.equal(refusedRun.stdout, 'first-hop-ok\n', 'the first hop (not forwarded) logged in');
    const why = 'signing refused (forwarding): key fwd-key does not sign through a forwarded agent connection';
    assert.ok(refusedRun.stderr.includes(`keyhold agent: refused: fwd-key: ${why}\n`), refusedRun.stderr);
    const [second, first] = await signatures(s, root, keys.fwd.uuid);
    assert.deepEqual(first!.detail, {
      outcome: 'signed',
      purpose: 'ssh',
      key_fingerprint: keys.fwd.fingerprint,
      user: 'root',
      host_fingerprint: a.hostKeyFingerprint,
      namespace: null,
      forwarded: false,
    });
    assert.deepEqual(second!.detail, {
      outcome: 'refused',
      purpose: 'ssh',
      key_fingerprint: keys.fwd.fingerprint,
      user: 'root',
      host_fingerprint: b.hostKeyFingerprint,
      namespace: null,
      forwarded: true,
      reason: 'forwarding',
      message: why,
    });

    await setPolicy(s, root, keys.fwd.uuid, { forwarding: true });
    const allowed = await hop();
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stdout, 'first-hop-ok\nsecond-hop-ok\n');
    const [last] = await signatures(s, root, keys.fwd.uuid);
    assert.equal(last!.detail.outcome, 'signed');
    assert.equal(last!.detail.forwarded, true);
    assert.equal(last!.detail.host_fingerprint, b.hostKeyFingerprint);
  });
});
