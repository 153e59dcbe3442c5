import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { keyhold, keyholdAsync, serve } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, TEST_PG_URL } from '../helpers/db.js';
import { startTestServer } from '../helpers/server.js';

/** Hardening review (issue 16, items 11, 13-15): locks on PostgreSQL, two servers on one SQLite file, the CLI's changes, schemas in URLs. */

const web = { name: 'web', namespace: 'default' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 20 ms until it holds; answers how long that took, or fails after `limitMs`. */
async function within(limitMs: number, probe: () => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs * 3) {
    if (await probe()) return Date.now() - started;
    await sleep(20);
  }
  assert.fail(`${what}: not within ${limitMs * 3} ms`);
}

describe('PostgreSQL: a table locked by another session', { skip: dialectUnderTest !== 'postgres' ? 'needs PostgreSQL' : false }, () => {
  it('answers writes to it 503 within the lock timeout, frees the pool, and keeps other routes answering 200', async () => {
    const tdb = await freshDatabase();
    const database = { ...tdb, config: { kind: 'postgres' as const, url: tdb.url, poolMax: 4, lockTimeoutMs: 1000, statementTimeoutMs: 5000 } };
    const s = await startTestServer({ database });
    const locker = new pg.Client({ connectionString: tdb.url });
    try {
      const root = await s.token('root');
      await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
      const caas = (method: string, path: string, body?: unknown) => s.request(method, `/cloud/v1/caas/keys/1/1${path}`, { body, headers: { authorization: `APIKey ${root}` } });
      assert.equal((await caas('POST', '', { name: 'k1', containers: [web] })).status, 200);

      await locker.connect();
      await locker.query('begin');
      await locker.query('lock table caas_keys in access exclusive mode');
      const started = Date.now();
      // More blocked writes than the pool has connections, and reads of other tables meanwhile.
      const writes = Array.from({ length: 8 }, (_, i) => caas('PATCH', '/k1', { description: `d${i}` }).then((r) => ({ status: r.status, ms: Date.now() - started })));
      const others: number[] = [];
      while (Date.now() - started < 2500) {
        others.push((await s.request('GET', '/v1/me', { token: root })).status);
        others.push((await s.request('GET', '/v1/tokens', { token: root })).status);
      }
      const done = await Promise.all(writes);
      for (const w of done) {
        assert.equal(w.status, 503);
        assert.ok(w.ms < 5000, `a blocked write answered after ${w.ms} ms`);
      }
      assert.ok(others.length > 4 && others.every((x) => x === 200), `other routes: ${others.join(',')}`);
      assert.ok(s.logs.some((l) => l.includes('lock stayed held by another session longer than KEYHOLD_PG_LOCK_TIMEOUT_MS')), 'the log says why');
      await locker.query('rollback');
      assert.equal((await caas('PATCH', '/k1', { description: 'after' })).status, 200, 'writes resume once the lock is gone');
    } finally {
      await locker.end().catch(() => {});
      await s.close();
    }
  });

  it('creates a schema named in the URL when it does not exist yet', async () => {
    const schema = `kh_${randomBytes(5).toString('hex')}`;
    const u = new URL(TEST_PG_URL);
    u.searchParams.set('options', `-c search_path=${schema}`);
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    try {
      const env = { KEYHOLD_DATABASE_URL: u.toString(), KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
      const migrated = keyhold(['migrate'], env);
      assert.equal(migrated.status, 0, migrated.stderr);
      const { rows } = await admin.query('select count(*)::int as n from information_schema.tables where table_schema = $1', [schema]);
      assert.ok(rows[0].n > 5, 'keyhold tables in the named schema');
      assert.equal(keyhold(['teams', 'create', 'acme'], env).status, 0);
    } finally {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    }
  });
});

describe('SQLite: one server per file, and the CLI beside it', { skip: dialectUnderTest !== 'sqlite' ? 'needs SQLite' : false }, () => {
  it('a second keyhold serve on the same file refuses to start and names the process that holds it; CLI commands keep working', async () => {
    const tdb = await freshDatabase();
    const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
    const first = await serve(env);
    try {
      const second = await keyholdAsync(['serve'], { ...env, KEYHOLD_PORT: '0' });
      assert.equal(second.status, 1);
      assert.match(second.stderr, new RegExp(`another keyhold serve \\(pid ${first.child.pid} on .+, started .+\\) already serves the SQLite store at ${tdb.url.replace(/[/.]/g, '\\$&')}`));
      assert.match(second.stderr, /use PostgreSQL for several processes/);
      assert.equal(keyhold(['teams', 'create', 'acme'], env).status, 0, 'a CLI write while the server runs');
      assert.equal(keyhold(['tokens', 'list'], env).status, 0, 'a CLI read while the server runs');
    } finally {
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0);
    }
    const after = await serve(env);
    after.child.kill('SIGTERM');
    assert.equal(await after.exited, 0, 'the lock goes with the process that held it');
    await tdb.drop();
  });

  it("a change the CLI makes on the store reaches a running server within a second (token revoked, key rerolled)", async () => {
    const s = await startTestServer({ config: { tokenCacheTtlMs: 60_000, verify: { cacheSize: 1000, cacheTtlMs: 60_000, negativeTtlMs: 60_000, usageFlushMs: 100, containerHeader: 'x-container-name', namespaceHeader: 'x-container-namespace' } } });
    const env = { KEYHOLD_DATABASE_URL: s.db.url, KEYHOLD_MASTER_KEY: s.config.masterKey.kind === 'env' ? s.config.masterKey.value : '' };
    try {
      const root = await s.token('root');
      const verifier = await s.token('verify');
      await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
      const secret = (await s.request('POST', '/v1/api-keys', { token: root, body: { project_id: 1, region_id: 1, name: 'k1', containers: [web] } })).json().secret as string;
      const verify = async () => (await s.request('POST', '/v1/keys/verify', { token: verifier, body: { key: secret, container: web } })).json().code as string;
      assert.equal(await verify(), 'VALID');
      assert.equal((await s.request('GET', '/v1/me', { token: root })).status, 200, 'both cached now');

      // An idle server's own work (usage flushes, the webhook worker, checkpoints) is not mistaken for another process's commit.
      const idle = s.runtime.services.verify.stats().invalidations;
      await sleep(1200);
      assert.equal(s.runtime.services.verify.stats().invalidations, idle);

      const rerolled = keyhold(['api-keys', 'reroll', '--team', 'acme', '--project', '1', '--region', '1', '--name', 'k1', '--grace', '0s', '--json'], env);
      assert.equal(rerolled.status, 0, rerolled.stderr);
      const keyMs = await within(1000, async () => (await verify()) === 'NOT_FOUND', 'the old secret refused');
      assert.ok(keyMs < 1000, `reroll reached the server after ${keyMs} ms`);

      const id = root.split('|')[0]!;
      assert.equal(keyhold(['tokens', 'revoke', id], env).status, 0);
      const tokenMs = await within(1000, async () => (await s.request('GET', '/v1/me', { token: root })).status === 401, 'the revoked token refused');
      assert.ok(tokenMs < 1000, `revocation reached the server after ${tokenMs} ms`);
    } finally {
      await s.close();
    }
  });
});
