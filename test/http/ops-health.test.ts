import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/config.js';
import { MIGRATION_NAMES } from '../../src/db/migrate.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { readinessCheck } from '../../src/services/readiness.js';
import { dialectUnderTest, freshDatabase, TEST_PG_URL } from '../helpers/db.js';
import { startTestServer, testConfig } from '../helpers/server.js';
import { eventually, TcpProxy } from '../helpers/tcp-proxy.js';

const quiet = () => createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

/** An app over an existing runtime, answering through inject. */
async function appFor(config: Config, runtime: Runtime): Promise<FastifyInstance> {
  return buildApp({ config, services: runtime.services, ready: runtime.ready, logger: quiet(), metrics: createMetrics() });
}

async function probe(app: FastifyInstance, path = '/readyz') {
  const r = await app.inject({ method: 'GET', url: path });
  return { status: r.statusCode, body: r.json() };
}

describe('GET /healthz and /readyz', () => {
  it('report ok and ready on a working server, uncached, with a request id', async () => {
    const s = await startTestServer();
    try {
      const h = await s.request('GET', '/healthz');
      assert.deepEqual([h.status, h.json()], [200, { status: 'ok' }]);
      assert.equal(h.headers.get('cache-control'), 'no-store');
      assert.match(h.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);
      const r = await s.request('GET', '/readyz');
      assert.deepEqual([r.status, r.json()], [200, { status: 'ready' }]);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal((await s.request('HEAD', '/healthz')).status, 200);
    } finally {
      await s.close();
    }
  });

  it('/readyz turns 503 once the database is gone while /healthz stays 200', async () => {
    const s = await startTestServer();
    try {
      assert.equal((await s.request('GET', '/readyz')).status, 200);
      await s.runtime.db.close();
      const r = await s.request('GET', '/readyz');
      assert.deepEqual([r.status, r.json()], [503, { status: 'unavailable', reason: 'database unreachable' }]);
      assert.deepEqual((await s.request('GET', '/healthz')).json(), { status: 'ok' });
    } finally {
      await s.app.close();
      await s.runtime.close().catch(() => {});
      await s.db.drop();
    }
  });

  it('/readyz is 503 while a migration is missing, and ready as soon as it is applied', async () => {
    const tdb = await freshDatabase();
    const config = testConfig(tdb.config);
    const last = MIGRATION_NAMES[MIGRATION_NAMES.length - 1]!;
    let runtime = await createRuntime(config, { serving: false });
    const row = await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration where name = ${last}`.execute(runtime.db.db);
    await sql`delete from kysely_migration where name = ${last}`.execute(runtime.db.db);
    await runtime.close();
    // A process of this build that starts without migrating (e.g. an older replica ran them).
    runtime = await createRuntime(config, { serving: false, migrate: false });
    const app = await appFor(config, runtime);
    try {
      assert.deepEqual(await probe(app), { status: 503, body: { status: 'unavailable', reason: `migrations not applied: ${last}` } });
      assert.equal((await probe(app, '/healthz')).status, 200);
      const { name, timestamp } = row.rows[0]!;
      await sql`insert into kysely_migration (name, timestamp) values (${name}, ${timestamp})`.execute(runtime.db.db);
      assert.deepEqual((await probe(app)).body, { status: 'ready' }, 'a failure is not remembered');
    } finally {
      await app.close();
      await runtime.close();
      await tdb.drop();
    }
  });
});

describe('readinessCheck', () => {
  it('answers "not ready" within its timeout when the database hangs, and shares one stuck query between probes', async () => {
    let pings = 0;
    let release!: () => void;
    const check = readinessCheck({
      ping: () => {
        pings++;
        return new Promise<void>((r) => (release = r));
      },
      pendingMigrations: async () => [],
      timeoutMs: 150,
    });
    const started = Date.now();
    const answers = await Promise.all([check(), check(), check()]);
    assert.ok(Date.now() - started < 1000);
    for (const a of answers) assert.deepEqual(a, { ok: false, reason: 'database did not answer within 150 ms' });
    assert.equal(pings, 1, 'probes within one timeout window share a check');
    release();
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(await check(), { ok: false, reason: 'database did not answer within 150 ms' }, 'a new check, and the database still hangs');
    assert.equal(pings, 2);
    release();
  });

  it('never remembers a failure; remembers only that migrations are applied', async () => {
    let up = false;
    let migrationChecks = 0;
    const check = readinessCheck({
      ping: async () => {
        if (!up) throw new Error('ECONNREFUSED');
      },
      pendingMigrations: async () => {
        migrationChecks++;
        return [];
      },
      timeoutMs: 1000,
    });
    assert.deepEqual(await check(), { ok: false, reason: 'database unreachable' });
    up = true;
    assert.deepEqual(await check(), { ok: true });
    assert.deepEqual(await check(), { ok: true });
    assert.equal(migrationChecks, 1);
    up = false;
    assert.deepEqual(await check(), { ok: false, reason: 'database unreachable' });
  });
});

describe('readiness against a PostgreSQL that goes away', { skip: dialectUnderTest !== 'postgres' && 'needs KEYHOLD_TEST_DATABASE_URL' }, () => {
  it('turns 503 while PostgreSQL is unreachable or silent, and recovers by itself', async () => {
    const target = new URL(TEST_PG_URL);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const tdb = await freshDatabase();
    const viaProxy = new URL(tdb.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const config = testConfig({ kind: 'postgres', url: viaProxy.toString(), poolMax: 5 });
    const runtime = await createRuntime(config, { serving: false });
    const app = await appFor(config, runtime);
    const status = async () => (await probe(app)).status;
    try {
      assert.deepEqual((await probe(app)).body, { status: 'ready' });

      // Gone: connections cut, new ones refused.
      await proxy.stop();
      assert.ok(await eventually(async () => (await status()) === 503, 5000), 'not ready while the database is gone');
      assert.deepEqual((await probe(app)).body, { status: 'unavailable', reason: 'database unreachable' });
      assert.equal((await probe(app, '/healthz')).status, 200);

      await proxy.start();
      assert.ok(await eventually(async () => (await status()) === 200, 10_000), 'ready again once it is back');

      // Silent: connections stay up but nothing comes back. The probe still answers within its bound.
      proxy.pause();
      const t0 = Date.now();
      const r = await probe(app);
      assert.deepEqual([r.status, r.body], [503, { status: 'unavailable', reason: 'database did not answer within 1000 ms' }]);
      assert.ok(Date.now() - t0 < 2500, `answered in ${Date.now() - t0} ms`);
      await Promise.all([probe(app), probe(app), probe(app)]);
      const stats = runtime.db.stats!();
      assert.ok(stats.inUse + stats.waiting <= 2, `probes do not pile up queries: ${JSON.stringify(stats)}`);

      proxy.resume();
      assert.ok(await eventually(async () => (await status()) === 200, 10_000), 'ready again once it answers');
    } finally {
      proxy.resume();
      await app.close();
      await runtime.close().catch(() => {});
      await proxy.stop();
      await tdb.drop();
    }
  });
  it('survives a connection lost in the middle of a request: that request is answered 503, the next ones work', async () => {
    const target = new URL(TEST_PG_URL);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const tdb = await freshDatabase();
    const viaProxy = new URL(tdb.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const config = testConfig({ kind: 'postgres', url: viaProxy.toString(), poolMax: 5 });
    const runtime = await createRuntime(config, { serving: false });
    const app = await appFor(config, runtime);
    try {
      await runtime.services.teams.create('acme');
      const { token } = await runtime.services.tokens.create({ team: 'acme', abilities: ['root'] });
      const audit = () => app.inject({ method: 'GET', url: '/v1/audit', headers: { authorization: `Bearer ${token}` } });
      assert.equal((await audit()).statusCode, 200); // the token is now cached; the next request only lists

      proxy.pause();
      const inFlight = audit();
      await new Promise((r) => setTimeout(r, 200));
      await proxy.stop(); // before this fix, pg emitted an unhandled 'error' here and the process died
      // A connection lost mid-query is an outage: 503 in the surface's format, never the query's text.
      const failed = await inFlight;
      assert.equal(failed.statusCode, 503, failed.body);
      assert.deepEqual(Object.keys(failed.json().error), ['code', 'message', 'request_id']);
      assert.equal(failed.json().error.code, 'unavailable');
      assert.doesNotMatch(failed.body, /select|audit_events|127\.0\.0\.1/i);

      await proxy.start();
      assert.ok(await eventually(async () => (await audit()).statusCode === 200, 10_000));
      assert.equal((await probe(app)).status, 200);
    } finally {
      proxy.resume();
      await app.close();
      await runtime.close().catch(() => {});
      await proxy.stop();
      await tdb.drop();
    }
  });
});
