import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createRuntime } from '../../src/runtime.js';
import { serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/server.js';
import { eventually, TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * Rate limits across two `keyhold serve` processes on one PostgreSQL: with Redis (the real one on
 * 127.0.0.1:6379, reached through a proxy the test can stop) the limit holds across both; edits made
 * through either reach both within a second; Redis going away mid-run fails the limit open (counted
 * in a metric, logged once) and never fails a verification. Without Redis, each process counts alone.
 */

const REDIS = { host: '127.0.0.1', port: 6379 };
const HOUR = 3600;
const web = { name: 'web', namespace: 'default' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counting tests need their whole run inside one window: wait out a window about to end. */
async function awayFromWindowEnd(windowSeconds: number, marginMs = 60_000): Promise<void> {
  const left = windowSeconds * 1000 - (Date.now() % (windowSeconds * 1000));
  if (left < marginMs) await sleep(left + 50);
}

/** Asks until `want` comes back or `ms` passes; returns what came back last. */
async function until<T>(ask: () => Promise<T>, want: (v: T) => boolean, ms: number): Promise<T> {
  const t0 = Date.now();
  let v = await ask();
  while (!want(v) && Date.now() - t0 < ms) {
    await sleep(20);
    v = await ask();
  }
  return v;
}

describe('rate limits across processes (PostgreSQL)', { skip: dialectUnderTest !== 'postgres' && 'PostgreSQL only' }, () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  let root: string;
  let gateway: string;
  const prefix = `keyhold-test-${randomBytes(6).toString('hex')}:`;
  const procs: ServeProcess[] = [];

  const api = async (p: ServeProcess, method: string, path: string, body?: unknown) => {
    const r = await fetch(`${p.url}/v1/api-keys${path}`, {
      method,
      headers: { authorization: `Bearer ${root}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text) as { secret: string; rate_limit: unknown };
  };
  const verify = async (p: ServeProcess, key: string) => {
    const r = await fetch(`${p.url}/v1/keys/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key, container: web }),
    });
    assert.equal(r.status, 200, 'never an error, whatever Redis does');
    return (await r.json()) as { code: string; retry_after?: number };
  };
  const failOpenCount = async (p: ServeProcess) => {
    const text = await (await fetch(`${p.url}/metrics`)).text();
    return Number(/^keyhold_rate_limit_fail_open_total (\S+)$/m.exec(text)?.[1] ?? 'NaN');
  };
  const start = async (extra: Record<string, string>) => {
    const p = await serve({ ...env, KEYHOLD_LOG_LEVEL: 'info', ...extra });
    procs.push(p);
    return p;
  };

  before(async () => {
    tdb = await freshDatabase();
    const masterKey = randomBytes(32).toString('base64');
    env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: masterKey };
    const rt = await createRuntime(testConfig(tdb.config, { masterKey: { kind: 'env', value: masterKey } }), { serving: false });
    await rt.services.teams.create('acme');
    await rt.services.projects.createProject({ team: 'acme', id: 1 });
    root = (await rt.services.tokens.create({ team: 'acme', abilities: ['root'] })).token;
    gateway = (await rt.services.tokens.create({ team: 'acme', abilities: ['verify'] })).token;
    await rt.close();
  });

  after(async () => {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    const redis = new Redis(REDIS);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await tdb.drop();
  });

  it('with Redis: the limit holds across both processes, edits reach both within 1 s, and a Redis outage fails open', async () => {
    const proxy = new TcpProxy(REDIS.host, REDIS.port);
    await proxy.start();
    try {
      const redisEnv = { KEYHOLD_REDIS_URL: `redis://127.0.0.1:${proxy.port}`, KEYHOLD_REDIS_PREFIX: prefix };
      const a = await start(redisEnv);
      const b = await start(redisEnv);
      await awayFromWindowEnd(HOUR);

      // 40 verifications, 20 on each process, 4 at a time: exactly 10 admitted in all.
      const key = (await api(a, 'POST', '', { project_id: 1, region_id: 1, name: 'shared-limit', containers: [web], rate_limit: { limit: 10, window_seconds: HOUR } })).secret;
      const codes: string[] = [];
      for (let i = 0; i < 10; i++) codes.push(...(await Promise.all([a, b, a, b].map(async (p) => (await verify(p, key)).code))));
      assert.equal(codes.filter((c) => c === 'VALID').length, 10, codes.join(' '));
      assert.equal(codes.filter((c) => c === 'RATE_LIMITED').length, 30);
      const fa = await fetch(`${b.url}/v1/forward-auth?container=web`, { headers: { 'x-api-key': key } });
      assert.equal(fa.status, 429);
      const retryAfter = Number(fa.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= HOUR, `Retry-After: ${retryAfter}`);

      // Raised through A: both processes admit within a second. Lowered through B, then removed: the same.
      await api(a, 'PATCH', '/1/1/shared-limit', { rate_limit: { limit: 1000, window_seconds: HOUR } });
      for (const p of [a, b]) assert.equal((await until(() => verify(p, key), (v) => v.code === 'VALID', 1000)).code, 'VALID');
      await api(b, 'PATCH', '/1/1/shared-limit', { rate_limit: { limit: 1, window_seconds: HOUR } });
      for (const p of [a, b]) assert.equal((await until(() => verify(p, key), (v) => v.code === 'RATE_LIMITED', 1000)).code, 'RATE_LIMITED');
      await api(b, 'PATCH', '/1/1/shared-limit', { rate_limit: null });
      for (const p of [a, b]) assert.equal((await until(() => verify(p, key), (v) => v.code === 'VALID', 1000)).code, 'VALID');
      for (const p of [a, b, a, b]) assert.equal((await verify(p, key)).code, 'VALID');

      // Redis goes away mid-run: verification goes on, admitting (the limit fails open), counted.
      const other = (await api(a, 'POST', '', { project_id: 1, region_id: 1, name: 'during-outage', containers: [web], rate_limit: { limit: 3, window_seconds: HOUR } })).secret;
      assert.equal((await verify(a, other)).code, 'VALID');
      await proxy.stop();
      const before = await Promise.all([a, b].map(failOpenCount));
      for (let i = 0; i < 5; i++) for (const p of [a, b]) assert.equal((await verify(p, other)).code, 'VALID');
      const afterOutage = await Promise.all([a, b].map(failOpenCount));
      assert.deepEqual(
        afterOutage.map((n, i) => n - before[i]!),
        [5, 5],
      );
      // Log lines reach stdout asynchronously (pino): wait for them before counting.
      const logged = (p: ServeProcess, text: string) => eventually(async () => p.stdout().includes(text), 5000);
      for (const p of [a, b]) {
        assert.ok(await logged(p, 'Redis cannot be reached'), 'the outage is logged');
        const warnings = p.stdout().split('\n').filter((l) => l.includes('Redis cannot be reached'));
        assert.equal(warnings.length, 1, `logged once per outage, not per request:\n${warnings.join('\n')}`);
        assert.match(warnings[0]!, /"level":40/);
      }

      // Redis answers again: the limit is enforced again (the outage's admissions were not counted).
      await proxy.start();
      for (const p of [a, b]) assert.equal((await until(() => verify(p, other), (v) => v.code === 'RATE_LIMITED', 10_000)).code, 'RATE_LIMITED');
      for (const p of [a, b]) assert.ok(await logged(p, 'Redis answers again'), 'recovery is logged');

      // A network that black-holes Redis: each verification waits at most the command timeout, then admits.
      proxy.pause();
      const third = (await api(b, 'POST', '', { project_id: 1, region_id: 1, name: 'black-holed', containers: [web], rate_limit: { limit: 1, window_seconds: HOUR } })).secret;
      const t0 = Date.now();
      assert.equal((await verify(b, third)).code, 'VALID');
      assert.ok(Date.now() - t0 < 2000, `answered after ${Date.now() - t0} ms`);
      proxy.resume();
      for (const p of [a, b]) assert.equal((await until(() => verify(p, third), (v) => v.code === 'RATE_LIMITED', 10_000)).code, 'RATE_LIMITED');
      for (const p of [a, b]) assert.ok(!p.stdout().includes('"level":50'), `no error logged:\n${p.stdout().split('\n').filter((l) => l.includes('"level":50')).join('\n')}`);
    } finally {
      await proxy.stop();
    }
  });

  it('without Redis: each process enforces the limit on what it answers (documented)', async () => {
    const a = await start({});
    const b = await start({});
    await awayFromWindowEnd(HOUR);
    const key = (await api(a, 'POST', '', { project_id: 1, region_id: 1, name: 'per-process', containers: [web], rate_limit: { limit: 3, window_seconds: HOUR } })).secret;
    for (const p of [a, b]) {
      for (let i = 0; i < 3; i++) assert.equal((await verify(p, key)).code, 'VALID');
      assert.equal((await verify(p, key)).code, 'RATE_LIMITED');
    }
  });
});
