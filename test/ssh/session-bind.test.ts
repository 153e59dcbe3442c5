import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSessionBind, hostKeysMatch, sessionIdsMatch } from '../../src/ssh/session-bind.js';
import { signSsh } from '../../src/ssh/signature.js';
import { METHOD_HOSTBOUND, parseUserauthRequest } from '../../src/ssh/userauth.js';
import { SshWriter } from '../../src/ssh/wire.js';
import { makeKey, removeDir, tempDir } from '../helpers/ssh-keys.js';

const keyBlob = (type: string) => new SshWriter().string(type).string('key material').bytes();
const HOST = keyBlob('ssh-ed25519');

/** A publickey userauth request (RFC 4252 §7) for `sid`, hostbound when `host` is given. */
function request(sid: string, host?: Buffer) {
  const w = new SshWriter()
    .string(sid)
    .byte(50)
    .string('deploy')
    .string('ssh-connection')
    .string(host ? METHOD_HOSTBOUND : 'publickey')
    .byte(1);
  w.string('ssh-ed25519').string(keyBlob('ssh-ed25519'));
  if (host) w.string(host);
  return w.bytes();
}

/** session-bind.ts: the host signature check (ssh-agent.c process_ext_session_bind) and matching a userauth request to a binding. */
describe('session-bind checks', () => {
  it('verifies the host signature over the session id and gives the host key fingerprint', () => {
    const dir = tempDir();
    try {
      const host = makeKey(dir, 'ed25519', 'host');
      const rsaHost = makeKey(dir, 'rsa', 'rsa-host');
      const sessionId = Buffer.alloc(32, 9);
      const good = { hostKey: host.blob, sessionId, signature: signSsh(host.signing, sessionId), isForwarding: false };
      assert.deepEqual(checkSessionBind(good), { ok: true, hostKeyFingerprint: host.fingerprint });
      // An RSA host key signs the exchange hash with rsa-sha2-512 or -256.
      const rsaBind = { ...good, hostKey: rsaHost.blob, signature: signSsh(rsaHost.signing, sessionId, 'rsa-sha2-512') };
      assert.deepEqual(checkSessionBind(rsaBind), { ok: true, hostKeyFingerprint: rsaHost.fingerprint });
      assert.equal(checkSessionBind({ ...good, sessionId: Buffer.alloc(32, 8) }).ok, false);
      assert.equal(checkSessionBind({ ...good, hostKey: rsaHost.blob }).ok, false);
      assert.equal(checkSessionBind({ ...good, hostKey: Buffer.from('garbage') }).ok, false);
      const long = Buffer.alloc(129, 1);
      assert.equal(checkSessionBind({ ...good, sessionId: long, signature: signSsh(host.signing, long) }).ok, false);
      assert.equal(checkSessionBind({ ...good, sessionId: Buffer.alloc(0), signature: signSsh(host.signing, Buffer.alloc(0)) }).ok, false);
    } finally {
      removeDir(dir);
    }
  });

  it('matches session ids and hostbound host keys', () => {
    const auth = parseUserauthRequest(request('abc'));
    assert.ok(sessionIdsMatch(auth, { sessionId: Buffer.from('abc') }));
    assert.ok(!sessionIdsMatch(auth, { sessionId: Buffer.from('abd') }));
    assert.ok(!sessionIdsMatch(auth, { sessionId: Buffer.from('abcd') }));
    assert.ok(hostKeysMatch(auth, { hostKey: HOST }), 'plain publickey carries no host key to compare');
    const bound = parseUserauthRequest(request('abc', HOST));
    assert.ok(hostKeysMatch(bound, { hostKey: HOST }));
    assert.ok(!hostKeysMatch(bound, { hostKey: keyBlob('ssh-rsa') }));
  });
});
