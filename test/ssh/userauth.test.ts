import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { METHOD_HOSTBOUND, parseUserauthRequest } from '../../src/ssh/userauth.js';
import { SshWriter } from '../../src/ssh/wire.js';

const keyBlob = (type: string) => new SshWriter().string(type).string('key material').bytes();
const HOST = keyBlob('ssh-ed25519');

/** The userauth request layout of RFC 4252 §7, with OpenSSH's hostbound variant. */
function request(o: { sid?: string; msg?: number; method?: string; follows?: number; alg?: string; key?: Buffer; host?: Buffer; extra?: Buffer } = {}) {
  const w = new SshWriter()
    .string(o.sid ?? 'session-id')
    .byte(o.msg ?? 50)
    .string('deploy')
    .string('ssh-connection')
    .string(o.method ?? 'publickey')
    .byte(o.follows ?? 1)
    .string(o.alg ?? 'ssh-ed25519')
    .string(o.key ?? keyBlob('ssh-ed25519'));
  if (o.host) w.string(o.host);
  if (o.extra) w.raw(o.extra);
  return w.bytes();
}

/** userauth.ts's strict parse, as ssh-agent.c parse_userauth_request checks it. */
describe('userauth request parsing', () => {
  it('parses a publickey request', () => {
    assert.deepEqual(parseUserauthRequest(request()), {
      sessionId: Buffer.from('session-id'),
      user: 'deploy',
      service: 'ssh-connection',
      method: 'publickey',
      algorithm: 'ssh-ed25519',
      keyBlob: keyBlob('ssh-ed25519'),
    });
  });

  it('parses a publickey-hostbound-v00@openssh.com request and returns its host key', () => {
    const got = parseUserauthRequest(request({ method: METHOD_HOSTBOUND, host: HOST }));
    assert.equal(got.method, METHOD_HOSTBOUND);
    assert.deepEqual(got.hostKeyBlob, HOST);
  });

  it('accepts rsa-sha2-256/512 for an RSA key and an RSA certificate, and nothing foreign', () => {
    for (const alg of ['ssh-rsa', 'rsa-sha2-256', 'rsa-sha2-512']) assert.equal(parseUserauthRequest(request({ alg, key: keyBlob('ssh-rsa') })).algorithm, alg);
    const cert = keyBlob('ssh-rsa-cert-v01@openssh.com');
    assert.equal(parseUserauthRequest(request({ alg: 'rsa-sha2-512-cert-v01@openssh.com', key: cert })).algorithm, 'rsa-sha2-512-cert-v01@openssh.com');
    assert.throws(() => parseUserauthRequest(request({ alg: 'rsa-sha2-512', key: keyBlob('ssh-ed25519') })), /does not suit a ssh-ed25519 key/);
    assert.throws(() => parseUserauthRequest(request({ alg: 'ssh-ed25519', key: keyBlob('ssh-rsa') })), /does not suit/);
  });

  it('refuses a wrong message number, trailing bytes, signature-follows FALSE, another method, an empty session id, truncation', () => {
    assert.throws(() => parseUserauthRequest(request({ msg: 51 })), /message 51 is not SSH_MSG_USERAUTH_REQUEST/);
    assert.throws(() => parseUserauthRequest(request({ extra: Buffer.from([0]) })), /trailing bytes after userauth request/);
    assert.throws(() => parseUserauthRequest(request({ method: METHOD_HOSTBOUND, host: HOST, extra: Buffer.from('x') })), /trailing bytes/);
    assert.throws(() => parseUserauthRequest(request({ host: HOST })), /trailing bytes/, 'a host key after plain publickey is trailing data');
    assert.throws(() => parseUserauthRequest(request({ method: METHOD_HOSTBOUND })), /truncated/, 'hostbound without its host key');
    assert.throws(() => parseUserauthRequest(request({ follows: 0 })), /boolean TRUE/);
    assert.throws(() => parseUserauthRequest(request({ method: 'password' })), /method password is not publickey/);
    assert.throws(() => parseUserauthRequest(request({ sid: '' })), /empty session identifier/);
    const full = request();
    assert.throws(() => parseUserauthRequest(full.subarray(0, full.length - 3)), /truncated/);
  });
});
