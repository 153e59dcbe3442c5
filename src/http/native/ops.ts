import type { FastifyInstance } from 'fastify';
import { METRICS_CONTENT_TYPE, scrape, type ScrapeSource } from '../metrics.js';
import { nativeDocs } from './openapi.js';

export interface OpsDeps {
  ready: () => Promise<{ ok: boolean; reason?: string }>;
  /** Where /metrics reads from; null when it is served on its own port instead (KEYHOLD_METRICS_PORT). */
  metrics: ScrapeSource | null;
}

/** Liveness, readiness and metrics: unauthenticated, for orchestrators and scrapers. */
export async function opsRoutes(app: FastifyInstance, deps: OpsDeps): Promise<void> {
  // Liveness only: answering at all is the signal. It must not touch the database, or a database
  // outage would get healthy processes restarted.
  app.get('/healthz', { config: { openapi: nativeDocs.healthz } }, async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', { config: { openapi: nativeDocs.readyz } }, async (_request, reply) => {
    const r = await deps.ready();
    reply.header('cache-control', 'no-store');
    return r.ok ? reply.send({ status: 'ready' }) : reply.code(503).send({ status: 'unavailable', reason: r.reason });
  });

  const source = deps.metrics;
  if (source) {
    app.get('/metrics', { config: { openapi: nativeDocs.metrics } }, async (_request, reply) => reply.header('cache-control', 'no-store').type(METRICS_CONTENT_TYPE).send(scrape(source)));
  }
}
