import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { DbStats } from '../db/connect.js';
import type { MetricsRegistry, SampledFamily } from '../metrics.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Methods Fastify routes; anything else a client invents is counted as `other`, to bound label values. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'QUERY']);

/** The route label of a request that matched no route (a 404 from any surface's not-found handler). */
export const UNMATCHED = 'unmatched';

/**
 * Counts every request and its latency by method, route pattern (`/api/v1/security/keys/:uuid`, never
 * the raw URL) and status. Call on the root instance before any surface is registered, so every
 * surface's routes and not-found handlers inherit the hook.
 */
export function instrumentRequests(app: FastifyInstance, registry: MetricsRegistry): void {
  const total = registry.counter('keyhold_http_requests_total', 'HTTP requests answered, by method, route pattern and status.', ['method', 'route', 'status']);
  const duration = registry.histogram('keyhold_http_request_duration_seconds', 'Time from request received to response sent, in seconds.', ['method', 'route', 'status']);
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: METHODS.has(request.method) ? request.method : 'other',
      route: request.routeOptions.url ?? UNMATCHED,
      status: reply.statusCode,
    };
    total.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
}

/** The database families of a scrape, sampled from this process's connection (pool) right now. */
export function dbFamilies(dialect: string, stats: DbStats | undefined): SampledFamily[] {
  const families: SampledFamily[] = [{ name: 'keyhold_db_info', help: 'The database this process uses.', type: 'gauge', samples: [{ labels: { dialect }, value: 1 }] }];
  if (!stats) return families;
  families.push(
    { name: 'keyhold_db_open', help: 'Is the connection (pool) open? 0 once closed at shutdown; reachability is /readyz.', type: 'gauge', samples: [{ value: stats.open ? 1 : 0 }] },
    {
      name: 'keyhold_db_connections',
      help: 'Open database connections by state (PostgreSQL pool: totalCount = idle + in_use).',
      type: 'gauge',
      samples: [
        { labels: { state: 'idle' }, value: stats.idle },
        { labels: { state: 'in_use' }, value: stats.inUse },
      ],
    },
    { name: 'keyhold_db_connections_max', help: 'Largest number of connections the pool may open (KEYHOLD_PG_POOL_MAX; 1 for SQLite).', type: 'gauge', samples: [{ value: stats.max }] },
    { name: 'keyhold_db_pool_waiting', help: 'Queries waiting for a free pool connection (PostgreSQL waitingCount).', type: 'gauge', samples: [{ value: stats.waiting }] },
  );
  return families;
}

export interface ScrapeSource {
  registry: MetricsRegistry;
  dialect: string;
  dbStats?: () => DbStats;
}

/** One scrape: the registry's metrics followed by this process's database state. */
export function scrape(source: ScrapeSource): string {
  return source.registry.render(dbFamilies(source.dialect, source.dbStats?.()));
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` alone on its own port (KEYHOLD_METRICS_PORT), so it can be exposed to a
 * scraper without exposing the API, or the other way round. Every other path is a 404.
 */
export async function startMetricsServer(opts: { host: string; port: number; source: ScrapeSource }): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const requestId = randomUUID().replaceAll('-', '');
    res.setHeader('x-request-id', requestId);
    const error = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code, message, request_id: requestId } }));
    };
    if (path !== '/metrics') return error(404, 'not_found', 'only /metrics is served on this port');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return error(405, 'bad_request', 'only GET and HEAD are allowed');
    }
    let body: string;
    try {
      body = scrape(opts.source);
    } catch {
      return error(500, 'internal', 'internal server error');
    }
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  // Scrapers reuse connections; do not let one keep the process from closing.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host, port: opts.port }, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
