import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DecryptionError, privateKeyAad } from '../../src/crypto/envelope.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { auditService } from '../../src/services/audit.js';
import { fixture, goodKeys, sshKeygenMany } from '../helpers/keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Vault-style barrier checks at the storage level, and rotation while a server keeps serving.
describe('master-key rotation', () => {
  let s: TestServer;
  /** A second process's view of the same database: what `keyhold master-key rotate` runs in. */
  let cli: Runtime;
  let reader: string;
  let writer: string;
  /** uuid → key text exactly as the server returns it before any rotation. */
  const original = new Map<string, string>();

  const readAll = async () => {
    const res = await s.request('GET', '/api/v1/security/keys', { token: reader });
    assert.equal(res.status, 200, res.text);
    return new Map<string, string>(res.json().map((k: { uuid: string; private_key: string }) => [k.uuid, k.private_key]));
  };
  const versions = async () => Object.fromEntries((await cli.services.rotation.status()).map((v) => [v.version, v.records]));

  before(async () => {
    s = await startTestServer();
    reader = await s.token('read,read:sensitive');
    writer = await s.token('write');
    const texts = [...goodKeys.map(fixture), ...sshKeygenMany(25)];
    for (const [i, text] of texts.entries()) {
      const res = await s.request('POST', '/api/v1/security/keys', { token: writer, body: { name: `k${i}`, private_key: text } });
      assert.equal(res.status, 201, res.text);
    }
    for (const [uuid, text] of await readAll()) original.set(uuid, text);
    assert.equal(original.size, goodKeys.length + 25);
    cli = await createRuntime(s.config, { serving: false, migrate: false });
  });
  after(async () => {
    await cli.close();
    await s.close();
  });

  it('stores a distinct ciphertext for the same key text in two records, each bound to its record', async () => {
    const other = await s.token('write', 'other-team');
    const text = original.values().next().value!;
    const res = await s.request('POST', '/api/v1/security/keys', { token: other, body: { name: 'same', private_key: text } });
    assert.equal(res.status, 201, res.text);
    const sealed = await s.runtime.store.privateKeys.listSealed(0, 1000);
    const a = sealed.find((r) => r.uuid === res.json().uuid)!;
    const b = sealed.find((r) => r.teamId !== a.teamId && r.fingerprint === a.fingerprint)!;
    assert.ok(b, 'the same key is stored for the first team');
    assert.notDeepEqual(a.ciphertext, b.ciphertext);
    assert.ok(!a.ciphertext.includes(Buffer.from(text.split('\n')[1]!)), 'no plaintext in the stored bytes');
    // Moved to the other record, the ciphertext does not open.
    assert.throws(() => s.runtime.keys.ring.decrypt(a.keyVersion, a.ciphertext, privateKeyAad(b.teamId, b.uuid)), DecryptionError);
    assert.equal(s.runtime.keys.ring.decrypt(a.keyVersion, a.ciphertext, privateKeyAad(a.teamId, a.uuid)), text);
    await s.request('DELETE', `/api/v1/security/keys/${a.uuid}`, { token: other });
  });

  it('an interrupted rotation leaves every key readable, and a resumed one finishes without losing any', async () => {
    assert.deepEqual(await versions(), { 1: original.size });
    const abort = new AbortController();
    let batches = 0;
    const first = await cli.services.rotation.rotate({
      batchSize: 5,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done > 0 && ++batches === 2) abort.abort();
      },
    });
    assert.deepEqual([first.created, first.target, first.interrupted, first.resealed, first.total], [true, 2, true, 10, original.size]);
    assert.deepEqual(first.failed, []);
    assert.equal(first.remaining, original.size - 10);
    assert.deepEqual(await versions(), { 1: original.size - 10, 2: 10 });

    // The server started before version 2 existed: it reads both versions and writes under the new one.
    assert.deepEqual(await readAll(), original);
    const [someUuid] = [...original.keys()].slice(-1);
    const replacement = sshKeygenMany(1)[0]!;
    const upd = await s.request('PATCH', `/api/v1/security/keys/${someUuid}`, { token: writer, body: { private_key: replacement } });
    assert.equal(upd.status, 201, upd.text);
    original.set(someUuid!, (await readAll()).get(someUuid!)!);
    assert.equal((await s.runtime.store.privateKeys.findByUuid((await s.runtime.store.teams.findByName('acme'))!.id, someUuid!))?.keyVersion, 2);

    const second = await cli.services.rotation.rotate({ batchSize: 7 });
    assert.deepEqual([second.created, second.target, second.interrupted, second.remaining], [false, 2, false, 0]);
    assert.equal(second.resealed, original.size - 11, 'resumes with what is left: the PATCHed key was already moved');
    assert.deepEqual(await versions(), { 1: 0, 2: original.size });
    assert.deepEqual(await readAll(), original);

    // A further run starts a new rotation.
    const third = await cli.services.rotation.rotate();
    assert.deepEqual([third.created, third.target, third.resealed, third.remaining], [true, 3, original.size, 0]);
    assert.deepEqual(await readAll(), original);
    const audit = await auditService(cli.store, cli.keys).list(undefined, { limit: 10 });
    assert.deepEqual(
      audit.events.filter((e) => e.resourceType === 'data_key').map((e) => [e.action, e.resourceId, e.teamId, e.actor]),
      [
        ['master_key.rotate', '3', null, 'cli'],
        ['master_key.rotate_resume', '2', null, 'cli'],
        ['master_key.rotate', '2', null, 'cli'],
      ],
    );
  });

  it('a record that fails to authenticate is left untouched and reported, never re-encrypted', async () => {
    const sealed = await cli.store.privateKeys.listSealed(0, 1000);
    const victim = sealed[3]!;
    const flipped = Buffer.from(victim.ciphertext);
    flipped[flipped.length - 20]! ^= 0x01;
    await cli.store.privateKeys.update(victim.id, { ciphertext: flipped });
    const r = await cli.services.rotation.rotate({ batchSize: 4 });
    assert.deepEqual([r.created, r.target, r.failed, r.remaining], [true, 4, [victim.id], 0]);
    assert.equal(r.resealed, sealed.length - 1);
    const after = await cli.store.privateKeys.findByUuid(victim.teamId, victim.uuid);
    assert.deepEqual([after?.keyVersion, after?.ciphertext], [victim.keyVersion, flipped]);
    // The server refuses to show it, without leaking anything, and still shows every other key.
    const res = await s.request('GET', `/api/v1/security/keys/${victim.uuid}`, { token: reader });
    assert.equal(res.status, 500);
    assert.ok(!res.text.includes('PRIVATE KEY'));
    const meta = await s.request('GET', `/api/v1/security/keys/${victim.uuid}`, { token: await s.token('read') });
    assert.equal(meta.status, 200, 'without read:sensitive the key text is never opened');
  });

  it('status lists every version with the records it protects', async () => {
    const st = await cli.services.rotation.status();
    assert.deepEqual(st.map((v) => v.version), [1, 2, 3, 4]);
    assert.deepEqual(st.map((v) => v.active), [false, false, false, true]);
    assert.equal(st.reduce((n, v) => n + v.records, 0), original.size);
    assert.equal(st[2]!.records, 1, 'the tampered record stays on version 3');
  });
});
