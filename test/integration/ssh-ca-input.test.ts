import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCertificate } from '../../src/ssh/certificate.js';
import { SshWriter } from '../../src/ssh/wire.js';
import { dialectUnderTest } from '../helpers/db.js';
import { type CaWorld, literal, startCaWorld } from '../helpers/ssh-ca.js';
import { makeKey, type TestKey } from '../helpers/ssh-keys.js';

/**
 * What keyhold's CA refuses, and how: public keys that are no public keys (a certificate, garbage,
 * DSA), names that do not exist (404) or already do (409), a CA deleted while its certificates are
 * still valid (409), and a CA's signing key deleted or replaced under it, on the native and the
 * Coolify surface. The server's clock is moved forward to expire certificates.
 */
describe(`SSH CA bad input and conflicts (${dialectUnderTest})`, () => {
  let w: CaWorld;
  let user: TestKey;
  let ca: { name: string; public_key: string; private_key_uuid: string };
  let shift = 0;

  const refuses = async (method: string, url: string, body: unknown, status: number, message?: RegExp) => {
    const r = await w.api(method, url, body);
    assert.equal(r.status, status, `${method} ${url}: ${r.text}`);
    if (message) assert.match(r.json().error.message, message);
    return r;
  };
  const issue = (publicKey: string, role = 'ops') => w.api('POST', '/v1/ssh/certificates', { role, public_key: publicKey });

  before(async () => {
    w = await startCaWorld({ clock: () => Date.now() + shift });
    ca = await w.createCa('users');
    await w.createRole({ name: 'ops', ca: 'users', principals: ['ops'], max_ttl: '1h', default_ttl: '10m' });
    user = makeKey(w.dir, 'ed25519', 'user');
  });
  after(async () => {
    await w?.close();
  });

  it('public_key must be a plain public key: a certificate, garbage and a DSA key are 400s that say so (never 500)', async () => {
    const { certificate } = await w.issue({ role: 'ops', public_key: user.publicLine });
    const notAKey = /^public_key must be one OpenSSH public key line \(ssh-ed25519, ssh-rsa or ecdsa-sha2-\*, not a certificate\), as in a \.pub file: /;
    const asCert = await issue(certificate);
    assert.equal(asCert.status, 400, asCert.text);
    assert.match(asCert.json().error.message, notAKey);
    assert.match(asCert.json().error.message, /unsupported public key type ssh-ed25519-cert-v01@openssh\.com$/);
    for (const garbage of ['hello world', 'ssh-ed25519', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5', `ssh-rsa ${user.publicLine.split(' ')[1]}`, user.privateText]) {
      const r = await issue(garbage);
      assert.equal(r.status, 400, `${JSON.stringify(garbage.slice(0, 40))}: ${r.text}`);
      assert.match(r.json().error.message, notAKey);
    }
    assert.equal((await issue('')).status, 400);
    execFileSync('ssh-keygen', ['-q', '-t', 'dsa', '-N', '', '-C', 'dsa', '-f', path.join(w.dir, 'dsa')]);
    const dsa = await issue(fs.readFileSync(path.join(w.dir, 'dsa.pub'), 'utf8'));
    assert.equal(dsa.status, 400, dsa.text);
    assert.match(dsa.json().error.message, /unsupported public key type ssh-dss$/);
    // An RSA key below OpenSSH's 1024 bits (ssh-keygen will not make one: built from a 768-bit key).
    const jwk = generateKeyPairSync('rsa', { modulusLength: 768 }).publicKey.export({ format: 'jwk' });
    const small = new SshWriter().string('ssh-rsa').mpint(Buffer.from(jwk.e!, 'base64url')).mpint(Buffer.from(jwk.n!, 'base64url')).bytes();
    const tooSmall = await issue(`ssh-rsa ${small.toString('base64')} small`);
    assert.equal(tooSmall.status, 400, tooSmall.text);
    assert.match(tooSmall.json().error.message, /an RSA key of 768 bits is too small/);
    // Nor can a stored DSA key be a CA.
    const stored = await w.ok('POST', '/v1/private-keys', { name: 'dsa', private_key: fs.readFileSync(path.join(w.dir, 'dsa'), 'utf8') }, w.root, 201);
    await refuses(
      'POST',
      '/v1/ssh/cas',
      { name: 'dsa', type: 'user', private_key_uuid: stored.uuid },
      400,
      /^a ssh-dss key cannot be a CA \(OpenSSH no longer accepts DSA\)/,
    );
    await w.ok('DELETE', `/v1/private-keys/${stored.uuid}`, undefined, w.root, 204);
    // Revoking "a public key" that is a certificate is refused the same way.
    await refuses('POST', '/v1/ssh/cas/users/revocations', { public_key: certificate }, 400, notAKey);
    // None of these issued anything.
    assert.equal((await w.ok('GET', '/v1/ssh/certificates')).certificates.length, 1);
  });

  it('every key type keyhold certifies is accepted, and the certificate certifies that very key', async () => {
    for (const kind of ['ed25519', 'rsa', 'ecdsa', 'ecdsa384', 'ecdsa521'] as const) {
      const key = makeKey(w.dir, kind, `subject-${kind}`);
      const r = await issue(key.publicLine);
      assert.equal(r.status, 201, `${kind}: ${r.text}`);
      assert.deepEqual(parseCertificate(r.json().certificate).subjectPublicBlob, key.blob);
    }
  });

  it('unknown names are 404s: role, CA (and its public key, KRL, revocations), a role naming a missing CA, a serial', async () => {
    await refuses('POST', '/v1/ssh/certificates', { role: 'nope', public_key: user.publicLine }, 404, /^no SSH role named "nope"$/);
    for (const url of ['/v1/ssh/cas/nope', '/v1/ssh/cas/nope/public-key', '/v1/ssh/cas/nope/krl', '/v1/ssh/cas/nope/revocations'])
      await refuses('GET', url, undefined, 404, /^no SSH CA named "nope"$/);
    await refuses('POST', '/v1/ssh/cas/nope/revocations', { key_id: 'x' }, 404);
    await refuses('DELETE', '/v1/ssh/cas/nope', undefined, 404);
    await refuses(
      'POST',
      '/v1/ssh/roles',
      { name: 'orphan', ca: 'nope', principals: ['x'], max_ttl: '1h', default_ttl: '1m' },
      404,
      /^no SSH CA named "nope"$/,
    );
    for (const m of ['GET', 'DELETE']) await refuses(m, '/v1/ssh/roles/nope', undefined, 404);
    await refuses('GET', '/v1/ssh/certificates/999999', undefined, 404);
    await refuses('POST', '/v1/ssh/certificates/999999/revoke', undefined, 404);
    // The CLI says so too, and writes no file.
    const out = path.join(w.dir, 'nope.krl');
    const r = await w.cli(['ssh', 'krl', '--ca', 'nope', '--out', out]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, literal('no SSH CA named "nope"'));
    assert.ok(!fs.existsSync(out));
  });

  it('a CA or role name taken is a 409; a key that already signs for a CA cannot sign for another (409)', async () => {
    await refuses('POST', '/v1/ssh/cas', { name: 'users', type: 'user' }, 409, /^the team already has a CA named users$/);
    await refuses('POST', '/v1/ssh/cas', { name: 'users', type: 'host' }, 409);
    await refuses('POST', '/v1/ssh/roles', { name: 'ops', ca: 'users', principals: ['ops'], max_ttl: '1h', default_ttl: '1m' }, 409);
    await refuses('POST', '/v1/ssh/cas', { name: 'twin', type: 'user', private_key_uuid: ca.private_key_uuid }, 409, /already signs for the CA users/);
    // A failed create leaves no key behind (a generated one is removed again).
    const keys = (await w.ok('GET', '/v1/private-keys')) as Array<{ name: string }>;
    assert.deepEqual(
      keys.map((k) => k.name),
      ['ssh-ca-users'],
    );
  });

  it('roles: a host role takes no extensions or options; bad TTLs, patterns and source addresses are 400s', async () => {
    await w.createCa('hosts', 'host');
    const base = { ca: 'users', principals: ['ops'], max_ttl: '1h', default_ttl: '10m' };
    await refuses('POST', '/v1/ssh/roles', { ...base, name: 'h', ca: 'hosts', extensions: ['permit-pty'] }, 400, /host certificates carry no extensions/);
    await refuses(
      'POST',
      '/v1/ssh/roles',
      { ...base, name: 'h', ca: 'hosts', critical_options: { 'force-command': 'true' } },
      400,
      /host certificates carry no extensions or critical options/,
    );
    await refuses('POST', '/v1/ssh/roles', { ...base, name: 'r', default_ttl: '2h' }, 400, /default_ttl \(2h\) must not be longer than max_ttl \(1h\)/);
    await refuses('POST', '/v1/ssh/roles', { ...base, name: 'r', max_ttl: '2y' }, 400, /max_ttl may be at most/);
    await refuses('POST', '/v1/ssh/roles', { ...base, name: 'r', critical_options: { 'source-address': '10.0.0.0/33' } }, 400, /source-address/);
    await refuses('POST', '/v1/ssh/roles', { ...base, name: 'r', principals: ['has space'] }, 400);
    await refuses('POST', '/v1/ssh/roles', { ...base, name: 'r', extensions: ['made-up'] }, 400, /neither one of OpenSSH's/);
    await refuses('POST', '/v1/ssh/roles', { ...base, name: 'Bad_Name' }, 400);
  });

  it('a CA with unexpired certificates cannot be deleted (409), revoked or not; once they expired it can, and its key stays', async () => {
    await w.createCa('temp');
    await w.createRole({ name: 'temp-role', ca: 'temp', principals: ['ops'], max_ttl: '1h', default_ttl: '10m' });
    const { serial } = await w.issue({ role: 'temp-role', public_key: user.publicLine, ttl: '10m' });
    await refuses('DELETE', '/v1/ssh/cas/temp', undefined, 409, /^CA temp has certificates that have not expired yet/);
    await w.ok('POST', `/v1/ssh/certificates/${serial}/revoke`, undefined, w.root, 204);
    await refuses('DELETE', '/v1/ssh/cas/temp', undefined, 409);
    const uuid = (await w.ok('GET', '/v1/ssh/cas/temp')).private_key_uuid;
    shift = 11 * 60_000 + 60_000;
    await w.ok('DELETE', '/v1/ssh/cas/temp', undefined, w.root, 204);
    await refuses('GET', '/v1/ssh/cas/temp', undefined, 404);
    await refuses('GET', '/v1/ssh/roles/temp-role', undefined, 404);
    // The key is an ordinary stored key again: kept, and now deletable.
    await w.ok('GET', `/v1/private-keys/${uuid}`);
    await w.ok('DELETE', `/v1/private-keys/${uuid}`, undefined, w.root, 204);
    shift = 0;
    // Its certificates left the inventory, but their serials are never given again.
    assert.ok((await w.issue({ role: 'ops', public_key: user.publicLine })).serial > serial);
  });

  it("the CA's signing key cannot be deleted or replaced on the native surface (409), and stays as it was", async () => {
    const other = makeKey(w.dir, 'ed25519', 'replacement');
    await refuses(
      'DELETE',
      `/v1/private-keys/${ca.private_key_uuid}`,
      undefined,
      409,
      /is the signing key of the SSH CA users and cannot be deleted while that CA exists/,
    );
    await refuses(
      'PATCH',
      `/v1/private-keys/${ca.private_key_uuid}`,
      { private_key: other.privateText },
      409,
      /is the signing key of the SSH CA users and cannot be replaced/,
    );
    // Renaming it is fine.
    await w.ok('PATCH', `/v1/private-keys/${ca.private_key_uuid}`, { name: 'users-ca-key' });
    await stillSigns();
  });

  /** The CA's public key is unchanged and a new certificate is signed by it. */
  const stillSigns = async () => {
    assert.equal(await w.caLine('users'), ca.public_key);
    const { certificate } = await w.issue({ role: 'ops', public_key: user.publicLine });
    assert.deepEqual(parseCertificate(certificate).caPublicBlob, Buffer.from(ca.public_key.split(' ')[1]!, 'base64'));
    const key = await w.ok('GET', `/v1/private-keys/${ca.private_key_uuid}`);
    assert.equal(key.public_key.split(' ')[1], ca.public_key.split(' ')[1]);
  };

  it("the CA's signing key cannot be deleted or replaced on the Coolify surface either: refused, and it stays as it was", async () => {
    const other = makeKey(w.dir, 'ed25519', 'coolify-replacement');
    const del = await w.api('DELETE', `/api/v1/security/keys/${ca.private_key_uuid}`);
    assert.ok(del.status >= 400, `DELETE answered ${del.status} ${del.text}`);
    const patch = await w.api('PATCH', `/api/v1/security/keys/${ca.private_key_uuid}`, { private_key: other.privateText });
    assert.ok(patch.status >= 400, `PATCH answered ${patch.status} ${patch.text}`);
    await stillSigns();
  });

  it("the Coolify surface answers its upstream's 'in use' 422 for them", async () => {
    const other = makeKey(w.dir, 'ed25519', 'coolify-replacement-2');
    const del = await w.api('DELETE', `/api/v1/security/keys/${ca.private_key_uuid}`);
    assert.deepEqual([del.status, del.json()], [
      422,
      { message: 'Private Key is in use and cannot be deleted.', details: 'This private key is the signing key of an SSH certificate authority in keyhold.' },
    ]);
    const patch = await w.api('PATCH', `/api/v1/security/keys/${ca.private_key_uuid}`, { private_key: other.privateText });
    assert.equal(patch.status, 422, patch.text);
    assert.match(patch.json().message, /in use by an SSH certificate authority/);
    await stillSigns();
  });
});
