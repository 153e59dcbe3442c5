import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { buildSshsigSignedData } from '../../src/ssh/sshsig.js';
import { signSsh, verifySsh } from '../../src/ssh/signature.js';
import { SshWriter } from '../../src/ssh/wire.js';
import { dialectUnderTest } from '../helpers/db.js';
import { fixture } from '../helpers/keys.js';
import { agentEnv, agentRun, knownHostsFor, loginArgs, makeToken, setPolicy, signatures, type StoredKey, storeKey } from '../helpers/keyhold-agent.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type Sshd, startSshd } from '../helpers/sshd.js';
import { makeKey, removeDir, tempDir, type TestKey } from '../helpers/ssh-keys.js';

/** The data OpenSSH's client asks its agent to sign for a publickey login (RFC 4252 §7). */
function userauthRequest(sessionId: Buffer, user: string, keyBlob: Buffer, algorithm = 'ssh-ed25519'): Buffer {
  return new SshWriter()
    .string(sessionId)
    .byte(50)
    .string(user)
    .string('ssh-connection')
    .string('publickey')
    .boolean(true)
    .string(algorithm)
    .string(keyBlob)
    .bytes();
}

/** A session binding as `keyhold agent` forwards it: `host` signs `sessionId`, as sshd's host key does in the key exchange. */
function binding(host: TestKey, sessionId: Buffer, signature = signSsh(host.signing, sessionId)) {
  return { host_key: host.blob.toString('base64'), session_id: sessionId.toString('base64'), signature: signature.toString('base64'), forwarding: false };
}

/**
 * POST /v1/private-keys/{uuid}/sign is no signing oracle: it signs a userauth request for its own
 * key or SSHSIG data in the git/file namespace, within the key's policy, for a token with `sign`
 * that sees the key; everything else is refused with a clear message and audited. And `sign` is
 * never enough to read the key: reveal and the Coolify surface answer 403. With the real agent, a
 * token without `sign` cannot log in.
 */
describe(`the signing API refuses what it must not sign (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let dir: string;
  let sshd: Sshd;
  let knownHosts: string;
  let key: StoredKey;
  let other: StoredKey;
  /** Plays a server's host key in bindings made by hand. */
  let host: TestKey;
  let signer: { id: number; token: string };

  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    dir = tempDir();
    key = await storeKey(s, root, dir, 'ed25519', 'deploy');
    other = await storeKey(s, root, dir, 'ed25519', 'other');
    host = makeKey(dir, 'ed25519', 'host');
    signer = await makeToken(s, root, { privateKeys: [key.uuid] });
    sshd = await startSshd();
    sshd.addAuthorizedKey('root', key.publicLine);
    knownHosts = knownHostsFor(dir, sshd);
  });
  after(async () => {
    await sshd?.stop();
    await s?.close();
    if (dir) removeDir(dir);
  });

  const sign = (body: unknown, token = signer.token, uuid = key.uuid) => s.request('POST', `/v1/private-keys/${uuid}/sign`, { token, body });
  const latest = async (uuid = key.uuid) => (await signatures(s, root, uuid))[0]!;

  it('signs a userauth request for its key, bound to a host: the signature verifies, the audit names user and host', async () => {
    const sid = randomBytes(32);
    const data = userauthRequest(sid, 'deploy', key.blob);
    const r = await sign({ data: data.toString('base64'), session_binds: [binding(host, sid)] });
    assert.equal(r.status, 200, r.text);
    const body = r.json();
    assert.equal(body.algorithm, 'ssh-ed25519');
    assert.equal(body.key_fingerprint, key.fingerprint);
    assert.ok(verifySsh(key.blob, data, Buffer.from(body.signature, 'base64')));
    assert.deepEqual((await latest()).detail, {
      outcome: 'signed',
      purpose: 'ssh',
      key_fingerprint: key.fingerprint,
      user: 'deploy',
      host_fingerprint: host.fingerprint,
      namespace: null,
      forwarded: false,
    });
  });

  it('raw bytes: 400, naming what keyhold signs; audited as refused (data)', async () => {
    const r = await sign({ data: randomBytes(64).toString('base64') });
    assert.equal(r.status, 400, r.text);
    const message = r.json().error.message;
    assert.match(
      message,
      /keyhold signs only an SSH user-authentication request \(publickey\) for this key, or an SSHSIG blob in the git or file namespace; these bytes are neither/,
    );
    const row = await latest();
    assert.equal(row.detail.outcome, 'refused');
    assert.equal(row.detail.reason, 'data');
    assert.equal(row.detail.purpose, null);
    assert.equal(row.detail.message, message);
  });

  it('a userauth request for another key: 400, audited as refused (data)', async () => {
    const r = await sign({ data: userauthRequest(randomBytes(32), 'root', other.blob).toString('base64') });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json().error.message, 'the authentication request is for another key than deploy');
    const row = await latest();
    assert.equal(row.detail.outcome, 'refused');
    assert.equal(row.detail.reason, 'data');
    assert.equal(row.detail.purpose, 'ssh');
  });

  it('an SSHSIG blob in namespace x: 403 even when every purpose is allowed; audited as refused (purpose)', async () => {
    await setPolicy(s, root, key.uuid, { purposes: ['ssh', 'git', 'file'] });
    try {
      const r = await sign({ data: buildSshsigSignedData(Buffer.from('hello'), 'x').toString('base64') });
      assert.equal(r.status, 403, r.text);
      const why = 'signing refused (purpose): key deploy signs only for ssh, git, file, not SSHSIG namespace "x"';
      assert.equal(r.json().error.message, why);
      assert.deepEqual((await latest()).detail, {
        outcome: 'refused',
        purpose: null,
        key_fingerprint: key.fingerprint,
        user: null,
        host_fingerprint: null,
        namespace: 'x',
        forwarded: false,
        reason: 'purpose',
        message: why,
      });
      // The same data in the file namespace is signed.
      const file = await sign({ data: buildSshsigSignedData(Buffer.from('hello'), 'file').toString('base64') });
      assert.equal(file.status, 200, file.text);
    } finally {
      await setPolicy(s, root, key.uuid, null);
    }
  });

  it('with hosts set: no binding, a binding for another session, or one that does not verify is refused', async () => {
    await setPolicy(s, root, key.uuid, { hosts: [host.fingerprint] });
    try {
      const sid = randomBytes(32);
      const data = userauthRequest(sid, 'deploy', key.blob).toString('base64');

      const unbound = await sign({ data });
      assert.equal(unbound.status, 403, unbound.text);
      assert.match(unbound.json().error.message, /^signing refused \(host\): .*the client sent no session binding \(OpenSSH 8\.9 or newer sends one\)/);
      assert.equal((await latest()).detail.reason, 'host');

      const elsewhere = await sign({ data, session_binds: [binding(host, randomBytes(32))] });
      assert.equal(elsewhere.status, 403, elsewhere.text);
      assert.equal(elsewhere.json().error.message, 'signing refused (host): the request is not for the session its connection was bound to');
      assert.equal((await latest()).detail.reason, 'host');

      const forged = await sign({ data, session_binds: [binding(host, sid, signSsh(other.signing, sid))] });
      assert.equal(forged.status, 400, forged.text);
      assert.equal(forged.json().error.message, 'a session binding does not verify: host signature over the session identifier does not verify');
      assert.equal((await latest()).detail.reason, 'data');

      // The right binding is signed.
      assert.equal((await sign({ data, session_binds: [binding(host, sid)] })).status, 200);
    } finally {
      await setPolicy(s, root, key.uuid, null);
    }
  });

  it('a DSA key is never signed with: 400, audited as refused', async () => {
    const stored = await s.request('POST', '/v1/private-keys', { token: root, body: { name: 'old-dsa', private_key: fixture('openssh-dsa.key') } });
    assert.equal(stored.status, 201, stored.text);
    const dsa = stored.json() as { uuid: string; public_key: string };
    const blob = Buffer.from(dsa.public_key.split(' ')[1]!, 'base64');
    const r = await sign({ data: userauthRequest(randomBytes(32), 'root', blob, 'ssh-dss').toString('base64') }, root, dsa.uuid);
    assert.equal(r.status, 400, r.text);
    const why = 'old-dsa is a ssh-dss key, which keyhold does not sign with (OpenSSH no longer accepts DSA)';
    assert.equal(r.json().error.message, why);
    const rows = await signatures(s, root, dsa.uuid);
    assert.equal(rows.length, 1, 'the refusal is audited');
    assert.equal(rows[0]!.detail.outcome, 'refused');
    assert.equal(rows[0]!.detail.reason, 'data');
    assert.equal(rows[0]!.detail.message, why);
  });

  it('a token without sign: 403 from the sign API, and the agent refuses to start, saying why', async () => {
    const reader = await makeToken(s, root, { abilities: ['read'], privateKeys: [key.uuid] });
    const data = userauthRequest(randomBytes(32), 'root', key.blob).toString('base64');
    const r = await sign({ data }, reader.token);
    assert.equal(r.status, 403, r.text);
    assert.match(r.json().error.message, /sign/);

    const login = await agentRun(agentEnv(s, reader.token), ['ssh', ...loginArgs(sshd, key, knownHosts, 'root', 'echo ok')]);
    assert.equal(login.code, 1);
    assert.equal(login.stdout, '');
    assert.match(login.stderr, /^keyhold: this token lacks the sign ability/);
    // The same login with the sign token works: the refusal was the ability.
    const ok = await agentRun(agentEnv(s, signer.token), ['ssh', ...loginArgs(sshd, key, knownHosts, 'root', 'echo ok')]);
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('a token restricted to other keys: 403 with reason key, audited', async () => {
    const otherSigner = await makeToken(s, root, { privateKeys: [other.uuid] });
    const r = await sign({ data: userauthRequest(randomBytes(32), 'root', key.blob).toString('base64') }, otherSigner.token);
    assert.equal(r.status, 403, r.text);
    const why = 'signing refused (key): this token is restricted to other keys than deploy';
    assert.equal(r.json().error.message, why);
    const row = await latest();
    assert.equal(row.token_id, otherSigner.id);
    assert.equal(row.detail.outcome, 'refused');
    assert.equal(row.detail.reason, 'key');
    assert.equal(row.detail.message, why);
    // Nor does it see the key.
    const listed = (await s.request('GET', '/v1/private-keys', { token: otherSigner.token })).json() as Array<{ uuid: string }>;
    assert.deepEqual(
      listed.map((k) => k.uuid),
      [other.uuid],
    );
  });

  it('sign never reveals: reveal and the Coolify surface answer 403 to sign tokens', async () => {
    const unrestricted = await makeToken(s, root);
    for (const t of [signer.token, unrestricted.token]) {
      const reveal = await s.request('POST', `/v1/private-keys/${key.uuid}/reveal`, { token: t });
      assert.equal(reveal.status, 403, reveal.text);
      for (const p of ['/api/v1/security/keys', `/api/v1/security/keys/${key.uuid}`]) {
        const c = await s.request('GET', p, { token: t });
        assert.equal(c.status, 403, `${p}: ${c.text}`);
      }
    }
    // The root token can reveal: the 403 was the ability, not the route.
    assert.equal((await s.request('POST', `/v1/private-keys/${key.uuid}/reveal`, { token: root })).status, 200);
  });
});
