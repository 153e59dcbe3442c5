import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/config.js';
import type { Ability, Clock } from '../../src/domain/types.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { freshDatabase, type TestDatabase } from './db.js';

export interface TestServer {
  url: string;
  app: FastifyInstance;
  runtime: Runtime;
  db: TestDatabase;
  config: Config;
  /** Every log line the server wrote, as text. */
  logs: string[];
  /** Makes a team (once) and a token for it with the given abilities. */
  token(abilities: Ability[] | string, team?: string, opts?: { expiresInMs?: number }): Promise<string>;
  request(method: string, path: string, opts?: { token?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  json(): any;
}

export function testConfig(database: Config['database'], overrides: Partial<Config> = {}): Config {
  return {
    database,
    host: '127.0.0.1',
    port: 0,
    metricsPort: null,
    gatewayPort: null,
    masterKey: { kind: 'env', value: randomBytes(32).toString('base64') },
    logLevel: 'info',
    bodyLimit: 64 * 1024,
    coolifyVersion: '4.3.11',
    trustProxy: { kind: 'none' },
    tokenCacheTtlMs: 5000,
    authFailures: { limit: 0, windowMs: 60_000 },
    publicUrl: null,
    sessions: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 },
    shutdownTimeoutMs: 10_000,
    auditFile: null,
    redisUrl: null,
    redisPrefix: 'keyhold:',
    webhooks: { allowPrivate: true, pollMs: 100, concurrency: 16, perEndpoint: 2 },
    retention: { eventsMs: 30 * 86_400_000, deliveriesMs: 30 * 86_400_000, auditMs: 365 * 86_400_000, usageMinutesMs: 2 * 86_400_000, usageHoursMs: 90 * 86_400_000, pruneIntervalMs: 3_600_000 },
    expiry: { leadTimesMs: [7 * 86_400_000, 86_400_000], checkMs: 60_000 },
    verify: { cacheSize: 1000, cacheTtlMs: 30_000, negativeTtlMs: 5_000, usageFlushMs: 100, containerHeader: 'x-container-name', namespaceHeader: 'x-container-namespace' },
    ...overrides,
  };
}

/** A real server on a fresh database, listening on a loopback port, with a captured log. */
export async function startTestServer(opts: { clock?: Clock; config?: Partial<Config>; metrics?: Metrics; database?: TestDatabase } = {}): Promise<TestServer> {
  const db = opts.database ?? (await freshDatabase());
  const config = testConfig(db.config, opts.config);
  const metrics = opts.metrics ?? createMetrics();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  // As startServer does: notices (an outage starting and ending, Redis lost and back) go to the log.
  const runtime = await createRuntime(config, { clock: opts.clock, metrics, onNotice: (level, message, err) => logger[level](err ? { err } : {}, message) });
  const app = await buildApp({ config, services: runtime.services, ready: runtime.ready, logger, metrics });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const teams = new Set<string>();

  return {
    url,
    app,
    runtime,
    db,
    config,
    logs,
    async token(abilities, team = 'acme', o = {}) {
      if (!teams.has(team)) {
        if (!(await runtime.store.teams.findByName(team))) await runtime.services.teams.create(team);
        teams.add(team);
      }
      const list = typeof abilities === 'string' ? (abilities.split(',') as Ability[]) : abilities;
      return (await runtime.services.tokens.create({ team, abilities: list, expiresInMs: o.expiresInMs })).token;
    },
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization ??= `Bearer ${o.token}`;
      let body: string | Buffer | undefined;
      if (o.raw !== undefined) body = o.raw;
      else if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + path, { method, headers, body: body as BodyInit | undefined });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
    },
    async close() {
      await app.close();
      await runtime.close();
      await db.drop();
    },
  };
}
