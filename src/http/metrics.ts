import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { METRICS_CONTENT_TYPE, type Metrics } from '../metrics.js';
import { newRequestId } from './request-id.js';

/** Methods Fastify routes; anything else a client invents is counted as `other`, to bound label values. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'QUERY']);

/** The route label of a request that matched no route (a 404 from any surface's not-found handler). */
export const UNMATCHED = 'unmatched';

/**
 * Counts every request and its latency by method, route pattern (`/api/v1/security/keys/:uuid`, never
 * the raw URL) and status. Call on the root instance before any surface is registered, so every
 * surface's routes and not-found handlers inherit the hook.
 */
export function instrumentRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: METHODS.has(request.method) ? request.method : 'other',
      route: request.routeOptions.url ?? UNMATCHED,
      status: reply.statusCode,
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` alone on its own port (KEYHOLD_METRICS_PORT), so it can be exposed to a
 * scraper without exposing the API, or the other way round. Every other path is a 404.
 */
export async function startMetricsServer(opts: { host: string; port: number; registry: Registry }): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const requestId = newRequestId();
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
    opts.registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => error(500, 'internal', 'internal server error'),
    );
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
