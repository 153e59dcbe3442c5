import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCertificate } from '../../src/ssh/certificate.js';
import { dialectUnderTest } from '../helpers/db.js';
import { AUTH_GAVE_UP, caSshd, type CaWorld, literal, startCaWorld } from '../helpers/ssh-ca.js';
import type { Sshd } from '../helpers/sshd.js';
import { makeKey, type TestKey } from '../helpers/ssh-keys.js';

/**
 * Rotating a user CA the way docs/ssh-ca.md describes, with what keyhold has today (no rotate
 * operation): a new CA; sshd trusts both lines; the role is deleted and made again under the same
 * name on the new CA (a token restricted to it keeps working); old certificates log in until they
 * expire, or until the old CA's own public key is revoked in the new CA's KRL; then the old line
 * goes from TrustedUserCAKeys (sshd reads it, and RevokedKeys, for every authentication) and the
 * old CA can be deleted once nothing it signed is still valid.
 */
describe(`rotating a user CA (${dialectUnderTest})`, () => {
  let w: CaWorld;
  let sshd: Sshd;
  let token: string;
  let oldCa: { public_key: string; fingerprint: string };
  let newCa: { public_key: string; fingerprint: string };
  let alice: TestKey;
  let bob: TestKey;
  let carol: TestKey;
  const certs: Record<string, { file: string; serial: number }> = {};
  let shift = 0;
  let krl: string;
  let trusted: string;

  const role = (ca: string) => ({ name: 'people', ca, principals: ['ops'], max_ttl: '8h', default_ttl: '1h' });
  const issue = async (name: string, key: TestKey) => {
    const r = await w.issue({ role: 'people', public_key: key.publicLine, key_id: name }, token);
    certs[name] = { file: w.writeCert(`${name}.cert`, r.certificate), serial: r.serial };
    return parseCertificate(r.certificate);
  };
  const writeKrl = async () => {
    const r = await w.cli(['ssh', 'krl', '--ca', 'users-2026', '--out', krl]);
    assert.equal(r.status, 0, r.stderr);
  };
  const logsIn = async (name: string, key: TestKey) => {
    const r = await sshd.ssh({ identity: key.path, certificate: certs[name]!.file });
    assert.equal(r.code, 0, `${name}: ${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.stdout, 'ok\n');
  };
  const refused = async (name: string, key: TestKey) => {
    const mark = sshd.logs().length;
    const r = await sshd.ssh({ identity: key.path, certificate: certs[name]!.file });
    assert.equal(r.code, 255, `${name} logged in`);
    return sshd.waitForLog(AUTH_GAVE_UP, mark);
  };

  before(async () => {
    w = await startCaWorld({ clock: () => Date.now() + shift });
    oldCa = await w.createCa('users-2025');
    await w.createRole(role('users-2025'));
    token = await w.token(['certify'], ['people']);
    alice = makeKey(w.dir, 'ed25519', 'alice');
    bob = makeKey(w.dir, 'ed25519', 'bob');
    carol = makeKey(w.dir, 'ed25519', 'carol');
    await issue('alice-old', alice);
    await issue('bob-old', bob);
  });
  after(async () => {
    await sshd?.stop();
    await w?.close();
  });

  it('1. a new CA; sshd trusts both lines (and reads the new CA’s KRL): old certificates still log in', async () => {
    newCa = await w.createCa('users-2026');
    assert.notEqual(newCa.fingerprint, oldCa.fingerprint);
    sshd = await caSshd(
      [await w.caLine('users-2025'), await w.caLine('users-2026')],
      { root: ['ops'] },
      {
        prepare: async (dir) => {
          krl = path.join(dir, 'keyhold.krl');
          trusted = path.join(dir, 'trusted-user-ca-keys');
          await writeKrl();
        },
        config: (dir) => [`RevokedKeys ${path.join(dir, 'keyhold.krl')}`],
      },
    );
    await logsIn('alice-old', alice);
  });

  it('2. the role moves: deleted and made again, same name, on the new CA; the token restricted to it issues from the new CA', async () => {
    // PATCH cannot change a role's CA (SshRoleUpdate has no ca): the role is made again.
    const patched = await w.api('PATCH', '/v1/ssh/roles/people', { ca: 'users-2026' });
    assert.equal(patched.status, 400, patched.text);
    await w.ok('DELETE', '/v1/ssh/roles/people', undefined, w.root, 204);
    assert.equal((await w.ok('POST', '/v1/ssh/roles', role('users-2026'), w.root, 201)).ca, 'users-2026');
    const cert = await issue('carol-new', carol);
    assert.deepEqual(cert.caPublicBlob, Buffer.from(newCa.public_key.split(' ')[1]!, 'base64'));
    await logsIn('carol-new', carol);
    await logsIn('alice-old', alice);
    await logsIn('bob-old', bob);
    // What the rotation waits for: the old CA's certificates still valid.
    const waiting = (await w.ok('GET', '/v1/ssh/certificates?ca=users-2025&active=true')).certificates.map((c: { serial: number }) => c.serial);
    assert.deepEqual(waiting, [certs['bob-old']!.serial, certs['alice-old']!.serial]);
  });

  it('3. meanwhile a key revoked in the new CA’s KRL is refused whichever CA signed its certificate', async () => {
    await w.ok('POST', '/v1/ssh/cas/users-2026/revocations', { public_key: bob.publicLine }, w.root, 204);
    await writeKrl();
    assert.match(await refused('bob-old', bob), literal(`revoked by file ${krl}`));
    await logsIn('alice-old', alice);
  });

  it('4. TrustedUserCAKeys is read for every connection: without the old line an unrevoked old certificate is refused, with it back it logs in', async () => {
    const both = fs.readFileSync(trusted, 'utf8');
    fs.writeFileSync(trusted, `${await w.caLine('users-2026')}\n`);
    const log = await refused('alice-old', alice);
    assert.match(log, literal(`Failed publickey for root from 127.0.0.1`));
    assert.match(log, literal(`ID alice-old (serial ${certs['alice-old']!.serial}) CA ED25519 ${oldCa.fingerprint}`));
    assert.doesNotMatch(log, /revoked by file/);
    await logsIn('carol-new', carol);
    fs.writeFileSync(trusted, both);
    await logsIn('alice-old', alice);
  });

  it("5. revoking the old CA's own public key in the new CA's KRL ends every old certificate at once, though sshd still trusts its line", async () => {
    await w.ok('POST', '/v1/ssh/cas/users-2026/revocations', { public_key: oldCa.public_key }, w.root, 204);
    await writeKrl();
    assert.match(await refused('alice-old', alice), literal(`revoked by file ${krl}`));
    await logsIn('carol-new', carol);
  });

  it('6. the old line goes; the old CA can be deleted once nothing it signed is still valid, and its key stays', async () => {
    fs.writeFileSync(trusted, `${await w.caLine('users-2026')}\n`);
    await logsIn('carol-new', carol);
    await w.ok('DELETE', '/v1/ssh/cas/users-2025', undefined, w.root, 409);
    // An hour and more later (the old role's default_ttl), by keyhold's clock.
    shift = 62 * 60_000;
    assert.deepEqual((await w.ok('GET', '/v1/ssh/certificates?ca=users-2025&active=true')).certificates, []);
    await w.ok('DELETE', '/v1/ssh/cas/users-2025', undefined, w.root, 204);
    const keys = (await w.ok('GET', '/v1/private-keys')).map((k: { name: string }) => k.name);
    assert.ok(keys.includes('ssh-ca-users-2025'), 'the old signing key stays among the private keys, to delete by hand');
  });
});
