import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { messages, type Receiver, startReceiver } from '../helpers/receiver.js';
import { AUTH_GAVE_UP, caSshd, type CaWorld, krlQuery, krlVersion, literal, startCaWorld } from '../helpers/ssh-ca.js';
import type { Sshd } from '../helpers/sshd.js';
import { makeKey, type TestKey } from '../helpers/ssh-keys.js';
import { eventually } from '../helpers/tcp-proxy.js';

/**
 * Revocation end to end: a certificate revoked by serial, every certificate of a key id
 * (`POST …/revocations {key_id}`) and a public key (`{public_key}`) land in the CA's KRL as
 * `keyhold ssh krl` writes it (with a `read` token); `ssh-keygen -Q` reports each as revoked; a
 * running sshd with `RevokedKeys` on that file refuses each from the next connection on (it reads
 * the file for every authentication: it is never restarted here), while unrevoked certificates of
 * the same CA still log in. The KRL's version goes up with each revocation; each is an
 * `ssh_certificate.revoked` event.
 */
describe(`revocation: KRL, ssh-keygen -Q and sshd RevokedKeys (${dialectUnderTest})`, () => {
  let w: CaWorld;
  let rx: Receiver;
  let sshd: Sshd;
  let krl: string;
  let readToken: string;
  const keys = {} as Record<'bySerial' | 'byKeyId' | 'byKey' | 'kept', TestKey>;
  /** Certificate files and serials: A (revoked by serial), A2 (same key, another serial: kept), B (key id), C (public key), D (kept). */
  const certs = {} as Record<'A' | 'A2' | 'B' | 'C' | 'D', { file: string; serial: number }>;
  const versions: bigint[] = [];

  const writeKrl = async () => {
    const r = await w.cli(['ssh', 'krl', '--ca', 'users', '--out', krl], { token: readToken });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, literal(`wrote the KRL of CA users to ${krl} (`));
    versions.push(krlVersion(krl));
  };
  const logsIn = async (c: { file: string }, key: TestKey) => {
    const r = await sshd.ssh({ identity: key.path, certificate: c.file });
    assert.equal(r.code, 0, `${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.stdout, 'ok\n');
  };
  const refusedAsRevoked = async (c: { file: string; serial: number }, key: TestKey) => {
    const mark = sshd.logs().length;
    const r = await sshd.ssh({ identity: key.path, certificate: c.file });
    assert.equal(r.code, 255, r.stdout);
    assert.match(r.stderr, /Permission denied/);
    const log = await sshd.waitForLog(AUTH_GAVE_UP, mark);
    assert.match(log, new RegExp(`Authentication key ED25519-CERT ${literal(key.fingerprint).source} revoked by file ${literal(krl).source}`));
    assert.doesNotMatch(log, /Accepted publickey/);
  };
  const verdicts = () => krlQuery(krl, [certs.A.file, certs.A2.file, certs.B.file, certs.C.file, certs.D.file, keys.byKey.pubPath]);

  before(async () => {
    w = await startCaWorld();
    rx = await startReceiver();
    await w.ok('POST', '/v1/webhooks', { url: `${rx.url}/hook`, events: ['ssh_certificate.revoked'] }, w.root, 201);
    await w.createCa('users');
    await w.createRole({ name: 'staff', ca: 'users', principals: ['ops'], max_ttl: '8h', default_ttl: '1h' });
    readToken = await w.token(['read']);
    for (const k of ['bySerial', 'byKeyId', 'byKey', 'kept'] as const) keys[k] = makeKey(w.dir, 'ed25519', k);
    const cert = async (name: keyof typeof certs, key: TestKey, keyId: string) => {
      const issued = await w.issue({ role: 'staff', public_key: key.publicLine, key_id: keyId });
      certs[name] = { file: w.writeCert(`${name}.cert`, issued.certificate), serial: issued.serial };
    };
    await cert('A', keys.bySerial, 'alice');
    await cert('A2', keys.bySerial, 'alice');
    await cert('B', keys.byKeyId, 'contractor');
    await cert('C', keys.byKey, 'lost-laptop');
    await cert('D', keys.kept, 'bob');
    sshd = await caSshd(
      [await w.caLine('users')],
      { root: ['ops'] },
      {
        // The KRL must exist before sshd starts: with RevokedKeys unreadable sshd refuses every key.
        prepare: async (dir) => {
          krl = path.join(dir, 'keyhold.krl');
          await writeKrl();
        },
        config: (dir) => [`RevokedKeys ${path.join(dir, 'keyhold.krl')}`],
      },
    );
  });
  after(async () => {
    await sshd?.stop();
    await rx?.close();
    await w?.close();
  });

  it('before any revocation every certificate logs in and ssh-keygen -Q finds nothing revoked', async () => {
    assert.deepEqual(await verdicts(), ['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    await logsIn(certs.A, keys.bySerial);
    await logsIn(certs.B, keys.byKeyId);
    await logsIn(certs.C, keys.byKey);
    await logsIn(certs.D, keys.kept);
  });

  it('revoked by serial: in the KRL (version up), refused by sshd; the same key with another serial still logs in', async () => {
    await w.ok('POST', `/v1/ssh/certificates/${certs.A.serial}/revoke`, undefined, w.root, 204);
    await writeKrl();
    assert.equal(versions.at(-1), versions.at(-2)! + 1n);
    assert.deepEqual(await verdicts(), ['REVOKED', 'ok', 'ok', 'ok', 'ok', 'ok']);
    await refusedAsRevoked(certs.A, keys.bySerial);
    await logsIn(certs.A2, keys.bySerial);
    await logsIn(certs.D, keys.kept);
    assert.equal((await w.ok('GET', `/v1/ssh/certificates/${certs.A.serial}`)).state, 'revoked');
  });

  it('revoked by key id: every certificate with it, refused by sshd; others still log in', async () => {
    await w.ok('POST', '/v1/ssh/cas/users/revocations', { key_id: 'contractor' }, w.root, 204);
    await writeKrl();
    assert.equal(versions.at(-1), versions.at(-2)! + 1n);
    assert.deepEqual(await verdicts(), ['REVOKED', 'ok', 'REVOKED', 'ok', 'ok', 'ok']);
    await refusedAsRevoked(certs.B, keys.byKeyId);
    await logsIn(certs.D, keys.kept);
  });

  it('revoked by public key: the key and its certificates, refused by sshd; others still log in', async () => {
    await w.ok('POST', '/v1/ssh/cas/users/revocations', { public_key: keys.byKey.publicLine }, w.root, 204);
    await writeKrl();
    assert.equal(versions.at(-1), versions.at(-2)! + 1n);
    assert.deepEqual(await verdicts(), ['REVOKED', 'ok', 'REVOKED', 'REVOKED', 'ok', 'REVOKED']);
    await refusedAsRevoked(certs.C, keys.byKey);
    await refusedAsRevoked(certs.A, keys.bySerial);
    await refusedAsRevoked(certs.B, keys.byKeyId);
    await logsIn(certs.A2, keys.bySerial);
    await logsIn(certs.D, keys.kept);
    assert.deepEqual(versions, [versions[0], versions[0]! + 1n, versions[0]! + 2n, versions[0]! + 3n]);
  });

  it('a revocation made twice is a 409, and leaves the KRL version alone', async () => {
    await w.ok('POST', `/v1/ssh/certificates/${certs.A.serial}/revoke`, undefined, w.root, 409);
    await w.ok('POST', '/v1/ssh/cas/users/revocations', { key_id: 'contractor' }, w.root, 409);
    await w.ok('POST', '/v1/ssh/cas/users/revocations', { public_key: keys.byKey.publicLine }, w.root, 409);
    await w.ok('POST', '/v1/ssh/cas/users/revocations', { key_id: 'x', public_key: keys.kept.publicLine }, w.root, 400);
    await writeKrl();
    assert.equal(versions.at(-1), versions.at(-2));
  });

  it('the CA lists its revocations, the inventory their states, and each revocation is one ssh_certificate.revoked event', async () => {
    const listed = await w.ok('GET', '/v1/ssh/cas/users/revocations', undefined, readToken);
    assert.deepEqual(
      listed.map((r: { kind: string; value: string; revoked_by: string }) => [r.kind, r.value, r.revoked_by]),
      [
        ['key_id', 'contractor', 'token:1'],
        ['public_key', keys.byKey.publicLine.split(' ')[1], 'token:1'],
      ],
    );
    const states = (await w.ok('GET', '/v1/ssh/certificates?ca=users')).certificates.map((c: { serial: number; state: string }) => [c.serial, c.state]);
    assert.deepEqual(states, [
      [certs.D.serial, 'active'],
      [certs.C.serial, 'active'],
      [certs.B.serial, 'active'],
      [certs.A2.serial, 'active'],
      [certs.A.serial, 'revoked'],
    ]);
    assert.ok(await eventually(async () => rx.received.length >= 3, 15_000), `3 deliveries, got ${rx.received.length}`);
    const events = messages(rx).map((m) => ({ type: m.type, data: m.data }));
    assert.deepEqual(events, [
      { type: 'ssh_certificate.revoked', data: { ca: 'users', serial: certs.A.serial, key_id: 'alice', public_key_fingerprint: keys.bySerial.fingerprint } },
      { type: 'ssh_certificate.revoked', data: { ca: 'users', key_id: 'contractor' } },
      { type: 'ssh_certificate.revoked', data: { ca: 'users', public_key_fingerprint: keys.byKey.fingerprint } },
    ]);
    const audit = (await w.ok('GET', '/v1/audit?limit=50')).events.filter((e: { action: string }) => e.action === 'ssh_certificate.revoke');
    assert.deepEqual(
      audit.map((e: { resource_id: string; actor: string }) => [e.resource_id, e.actor]),
      [
        ['users:public_key', 'token:1'],
        ['users:key_id', 'token:1'],
        [String(certs.A.serial), 'token:1'],
      ],
    );
  });
});

describe(`one KRL for every CA of the team (${dialectUnderTest})`, () => {
  it('keyhold ssh krl without --ca holds both CAs’ revocations, which a server trusting both during a rotation needs', async () => {
    const w = await startCaWorld();
    try {
      await w.createCa('old');
      await w.createCa('new');
      await w.createRole({ name: 'r-old', ca: 'old', principals: ['ops'], max_ttl: '8h', default_ttl: '1h' });
      await w.createRole({ name: 'r-new', ca: 'new', principals: ['ops'], max_ttl: '8h', default_ttl: '1h' });
      const keys = ['a', 'b', 'c'].map((n) => makeKey(w.dir, 'ed25519', `team-krl-${n}`));
      const a = await w.issue({ role: 'r-old', public_key: keys[0]!.publicLine });
      const b = await w.issue({ role: 'r-new', public_key: keys[1]!.publicLine });
      const c = await w.issue({ role: 'r-new', public_key: keys[2]!.publicLine });
      const files = [w.writeCert('a.cert', a.certificate), w.writeCert('b.cert', b.certificate), w.writeCert('c.cert', c.certificate)];
      await w.ok('POST', `/v1/ssh/certificates/${a.serial}/revoke`, undefined, undefined, 204);
      await w.ok('POST', `/v1/ssh/certificates/${b.serial}/revoke`, undefined, undefined, 204);
      const krl = path.join(w.dir, 'team.krl');
      const r = await w.cli(['ssh', 'krl', '--out', krl]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, literal(`wrote the KRL of the team's CAs to ${krl}`));
      const verdicts = await krlQuery(krl, files);
      assert.match(verdicts[0]!, /REVOKED/, 'the old CA’s revoked serial');
      assert.match(verdicts[1]!, /REVOKED/, 'the new CA’s revoked serial');
      assert.doesNotMatch(verdicts[2]!, /REVOKED/, 'an unrevoked certificate');
      assert.equal(krlVersion(krl), 2n, 'the sum of the CAs’ revocation counts');
      const one = path.join(w.dir, 'new.krl');
      assert.equal((await w.cli(['ssh', 'krl', '--ca', 'new', '--out', one])).status, 0);
      assert.doesNotMatch((await krlQuery(one, files))[0]!, /REVOKED/, "one CA's KRL holds only its own");
    } finally {
      await w.close();
    }
  });
});
