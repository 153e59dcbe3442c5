import type { FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import { METRICS_CONTENT_TYPE } from '../../metrics.js';
import { defineRoute, type RouteDefinition } from '../route.js';

export interface OpsOptions {
  ready: () => Promise<{ ok: boolean; reason?: string }>;
  /** What /metrics serves; null when it is served on its own port instead (KEYHOLD_METRICS_PORT). */
  metrics: Registry | null;
}

const noStore = { 'Cache-Control': { description: 'no-store', schema: Type.String() } };
const uncached = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** Liveness, readiness and metrics: unauthenticated, for orchestrators and scrapers. */
export function opsRoutes(opts: OpsOptions): RouteDefinition[] {
  const tags = ['Operations'];
  const routes: RouteDefinition[] = [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      operationId: 'healthz',
      summary: 'Liveness',
      description: 'Answers while the process is up; never touches the database.',
      tags,
      schema: {},
      responses: { 200: { description: 'Alive.', schema: Type.Object({ status: Type.Literal('ok') }), headers: noStore } },
      // Liveness only: answering at all is the signal. It must not touch the database, or a database
      // outage would get healthy processes restarted.
      handler: async (_request, reply) => uncached(reply).send({ status: 'ok' }),
    }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      operationId: 'readyz',
      summary: 'Readiness',
      description: 'Ready when the database answers and every migration is applied.',
      tags,
      schema: {},
      responses: {
        200: { description: 'Ready.', schema: Type.Object({ status: Type.Literal('ready') }), headers: noStore },
        503: { description: 'Not ready, with the reason.', schema: Type.Object({ status: Type.Literal('unavailable'), reason: Type.String() }), headers: noStore },
      },
      async handler(_request, reply) {
        const r = await opts.ready();
        uncached(reply);
        return r.ok ? reply.send({ status: 'ready' }) : reply.code(503).send({ status: 'unavailable', reason: r.reason ?? 'not ready' });
      },
    }),
  ];
  const registry = opts.metrics;
  if (registry) {
    routes.push(
      defineRoute({
        method: 'GET',
        url: '/metrics',
        operationId: 'metrics',
        summary: 'Prometheus metrics',
        description: 'Text exposition format 0.0.4. Not on this port when KEYHOLD_METRICS_PORT is set.',
        tags,
        schema: {},
        responses: { 200: { description: 'Metrics.', contentType: 'text/plain; version=0.0.4', schema: Type.String() } },
        handler: async (_request, reply) => uncached(reply).type(METRICS_CONTENT_TYPE).send(await registry.metrics()),
      }),
    );
  }
  return routes;
}
