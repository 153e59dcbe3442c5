import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Db, openDatabase } from '../../src/db/connect.js';
import { MIGRATION_NAMES, migrateToLatest, pendingMigrations } from '../../src/db/migrate.js';
import { isAppError } from '../../src/domain/errors.js';
import { createStore, type Store } from '../../src/repositories/index.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';

// One contract, run against whichever database this run of the suite uses (SQLite or PostgreSQL).
describe(`repository contract (${dialectUnderTest})`, () => {
  let tdb: TestDatabase;
  let db: Db;
  let store: Store;
  const T = 1_790_000_000_123;

  before(async () => {
    tdb = await freshDatabase();
    db = openDatabase(tdb.config);
    await migrateToLatest(db);
    store = createStore(db);
    await store.dataKeys.insert(1, Buffer.from('wrapped'), T);
  });
  after(async () => {
    await db.close();
    await tdb.drop();
  });

  it('applies every migration once; a second run is a no-op', async () => {
    assert.equal(db.dialect, dialectUnderTest);
    assert.deepEqual(await pendingMigrations(db), []);
    assert.deepEqual(await migrateToLatest(db), []);
    assert.ok(MIGRATION_NAMES.length >= 1);
  });

  it('teams: unique names, id order, numbers for times', async () => {
    const a = await store.teams.create('alpha', T);
    const b = await store.teams.create('beta', T + 1);
    assert.ok(b.id > a.id);
    assert.equal(typeof a.createdAt, 'number');
    assert.equal(a.createdAt, T);
    await assert.rejects(store.teams.create('alpha', T), (e) => isAppError(e, 'conflict'));
    assert.deepEqual((await store.teams.list()).map((t) => t.name).slice(0, 2), ['alpha', 'beta']);
    assert.equal((await store.teams.findByName('beta'))?.id, b.id);
    assert.equal(await store.teams.findByName('nope'), undefined);
  });

  it('tokens: stored by digest, found by id or digest, revoked once', async () => {
    const team = await store.teams.create('tok-team', T);
    const id = await store.tokens.create({ teamId: team.id, name: 'ci', tokenHash: 'h1', abilities: ['read', 'write'], createdAt: T, expiresAt: T + 5 });
    const byId = await store.tokens.findById(id);
    assert.deepEqual(byId?.abilities, ['read', 'write']);
    assert.equal(byId?.expiresAt, T + 5);
    assert.equal((await store.tokens.findByHash('h1'))?.id, id);
    assert.equal(await store.tokens.findByHash('h2'), undefined);
    assert.equal(await store.tokens.revoke(id, T + 1), true);
    assert.equal(await store.tokens.revoke(id, T + 2), false);
    assert.equal((await store.tokens.findById(id))?.revokedAt, T + 1);
    assert.deepEqual((await store.tokens.list(team.id)).map((t) => t.id), [id]);
  });

  it('private keys: per-team fingerprint uniqueness, bytes kept exactly, ordered by id', async () => {
    const t1 = await store.teams.create('pk1', T);
    const t2 = await store.teams.create('pk2', T);
    const bytes = Buffer.from([0, 1, 2, 255, 254, 0]);
    const base = { name: 'k', description: null, fingerprint: 'fp', publicKey: 'ssh-ed25519 AAAA ', isGitRelated: false, keyVersion: 1, ciphertext: bytes, createdAt: T, updatedAt: T };
    const k1 = await store.privateKeys.insert({ ...base, uuid: 'u1', teamId: t1.id });
    assert.deepEqual(k1.ciphertext, bytes);
    assert.equal(k1.description, null);
    await assert.rejects(store.privateKeys.insert({ ...base, uuid: 'u2', teamId: t1.id }), (e) => isAppError(e, 'conflict'));
    const k3 = await store.privateKeys.insert({ ...base, uuid: 'u3', teamId: t2.id });
    const k4 = await store.privateKeys.insert({ ...base, uuid: 'u4', teamId: t1.id, fingerprint: 'fp2' });
    assert.deepEqual(await store.privateKeys.withFingerprint(t1.id, 'fp'), { name: k1.name, uuid: 'u1' });
    assert.equal(await store.privateKeys.withFingerprint(t1.id, 'fp', k1.id), undefined);
    assert.equal(await store.privateKeys.withFingerprint(t2.id, 'fp2'), undefined);
    assert.deepEqual((await store.privateKeys.list(t1.id)).map((k) => k.uuid), ['u1', 'u4']);
    assert.equal(await store.privateKeys.findByUuid(t2.id, 'u1'), undefined, 'another team cannot see it');
    await assert.rejects(store.privateKeys.update(k4.id, { fingerprint: 'fp' }), (e) => isAppError(e, 'conflict'));
    await store.privateKeys.update(k4.id, { name: 'renamed', updatedAt: T + 1000 });
    const k4b = await store.privateKeys.findByUuid(t1.id, 'u4');
    assert.deepEqual([k4b?.name, k4b?.updatedAt, k4b?.createdAt], ['renamed', T + 1000, T]);
    assert.equal(await store.privateKeys.delete(k3.id), true);
    assert.equal(await store.privateKeys.delete(k3.id), false);
    assert.deepEqual((await store.privateKeys.listSealed(0, 10)).map((k) => k.uuid), ['u1', 'u4']);
    assert.deepEqual([...(await store.privateKeys.countByVersion()).entries()], [[1, 2]]);
  });

  it('private keys: reseal is a compare-and-set on version and ciphertext', async () => {
    const t = await store.teams.create('cas', T);
    await store.dataKeys.insert(2, Buffer.from('wrapped'), T);
    const old = Buffer.from([9, 9, 9]);
    const k = await store.privateKeys.insert({ uuid: 'cas1', teamId: t.id, name: 'k', description: null, fingerprint: 'fpc', publicKey: 'p', isGitRelated: false, keyVersion: 1, ciphertext: old, createdAt: T, updatedAt: T });
    assert.deepEqual((await store.privateKeys.listBelowVersion(2, k.id - 1, 100)).map((r) => r.uuid), ['cas1']);
    // Someone else rewrote the key text after we read it: our stale write must not land.
    await store.privateKeys.update(k.id, { ciphertext: Buffer.from([7]) });
    assert.equal(await store.privateKeys.reseal(k.id, { keyVersion: 1, ciphertext: old }, { keyVersion: 2, ciphertext: Buffer.from([1]) }), false);
    assert.deepEqual((await store.privateKeys.findByUuid(t.id, 'cas1'))?.ciphertext, Buffer.from([7]));
    assert.equal(await store.privateKeys.reseal(k.id, { keyVersion: 1, ciphertext: Buffer.from([7]) }, { keyVersion: 2, ciphertext: Buffer.from([1]) }), true);
    const after = await store.privateKeys.findByUuid(t.id, 'cas1');
    assert.deepEqual([after?.keyVersion, after?.ciphertext], [2, Buffer.from([1])]);
    assert.deepEqual(await store.privateKeys.listBelowVersion(2, k.id - 1, 100), []);
  });

  it('data keys: a version is inserted once; the loser of a race is told', async () => {
    assert.equal(await store.dataKeys.insert(7, Buffer.from('a'), T), true);
    assert.equal(await store.dataKeys.insert(7, Buffer.from('b'), T), false);
    const seven = (await store.dataKeys.list()).find((k) => k.version === 7);
    assert.deepEqual(seven?.wrapped, Buffer.from('a'));
  });

  it('transactions roll back every write when one fails', async () => {
    const team = await store.teams.create('tx', T);
    await assert.rejects(
      store.transaction(async (repos) => {
        await repos.audit.insert({ teamId: team.id, actor: 't', tokenId: null, action: 'x', resourceType: 'r', resourceId: '1', changed: [], ip: null, requestId: null, createdAt: T });
        await repos.teams.create('tx', T); // duplicate: fails
      }),
      (e) => isAppError(e, 'conflict'),
    );
    assert.deepEqual(await store.audit.list({ teamId: team.id }), []);
  });

  it('audit: rows come back as written, filtered by team', async () => {
    const team = await store.teams.create('aud', T);
    await store.audit.insert({ teamId: team.id, actor: 'token:9', tokenId: 9, action: 'private_key.update', resourceType: 'private_key', resourceId: 'u', changed: ['name', 'private_key'], ip: '127.0.0.1', requestId: 'r1', createdAt: T });
    const rows = await store.audit.list({ teamId: team.id });
    assert.equal(rows.length, 1);
    assert.deepEqual({ ...rows[0], id: 0 }, { id: 0, teamId: team.id, actor: 'token:9', tokenId: 9, action: 'private_key.update', resourceType: 'private_key', resourceId: 'u', changed: ['name', 'private_key'], ip: '127.0.0.1', requestId: 'r1', createdAt: T, detail: null });
  });
});
