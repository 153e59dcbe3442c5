import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Services } from '../runtime.js';
import { coolifyPlugin } from './coolify/plugin.js';
import { gcoreCaasPlugin } from './gcore-caas/plugin.js';
import { gcoreRouterError, isGcoreUrl } from './gcore-caas/router-errors.js';
import { verifyPlugin } from './verify/plugin.js';
import { nativePlugin } from './native/plugin.js';
import { AuthLimiter } from '../services/auth-limiter.js';
import type { Store } from '../repositories/index.js';
import type { DbStats } from '../db/connect.js';
import { metrics as defaultMetrics, type MetricsRegistry } from '../metrics.js';
import { instrumentRequests } from './metrics.js';
import { collectRoutes } from './openapi/document.js';
import { openapiPlugin } from './openapi/plugin.js';

export interface AppDeps {
  config: Pick<Config, 'bodyLimit' | 'trustProxy' | 'coolifyVersion' | 'verify' | 'authFailures' | 'metricsPort'>;
  services: Services;
  store: Store;
  ready: () => Promise<{ ok: boolean; reason?: string }>;
  logger: Logger;
  /** Request metrics land here; defaults to the process registry. */
  metrics?: MetricsRegistry;
  /** The database behind `store`, for /metrics. */
  db?: { dialect: string; stats?(): DbStats };
}

/** Fastify's own answer to a URL its router cannot match (`%FF`, an over-long segment), with our request id. */
function fastifyRouterError(err: FastifyError, reply: FastifyReply) {
  const statusCode = err.statusCode ?? 400;
  const body = JSON.stringify({ error: STATUS_CODES[statusCode], code: err.code, message: err.message, statusCode });
  return reply.code(statusCode).type('application/json').send(body);
}

/** Registers every surface on a Fastify instance; no business logic lives here. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // One limiter for every surface: failed authentication from an address counts wherever it happens.
  const limiter = new AuthLimiter({ maxFailures: deps.config.authFailures.limit, windowMs: deps.config.authFailures.windowMs, clock: Date.now });

  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimit,
    trustProxy: deps.config.trustProxy,
    // Ids are ours alone: a client-supplied X-Request-Id is not trusted into logs and error bodies.
    // 32 lower-case hex characters, as Gcore's request ids; randomUUID draws from a cached entropy pool.
    genReqId: () => randomUUID().replaceAll('-', ''),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    return503OnClosing: true,
    // Such requests never reach a plugin's handlers; the Gcore surface still answers them in its own dialect.
    frameworkErrors: (err, request, reply) => {
      if (isGcoreUrl(request.url)) return void gcoreRouterError({ tokens: deps.services.tokens, limiter }, err, request, reply);
      reply.header('x-request-id', request.id);
      return fastifyRouterError(err, reply);
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const registry = deps.metrics ?? defaultMetrics;
  instrumentRequests(app, registry);
  // Every route registered from here on is in /openapi.json, from its config.openapi.
  const routes = collectRoutes(app);

  await app.register(coolifyPlugin, {
    limiter,
    prefix: '/api',
    tokens: deps.services.tokens,
    privateKeys: deps.services.privateKeys,
    version: deps.config.coolifyVersion,
    bodyLimit: deps.config.bodyLimit,
  });

  await app.register(gcoreCaasPlugin, {
    limiter,
    prefix: '/cloud',
    tokens: deps.services.tokens,
    caasKeys: deps.services.caasKeys,
    bodyLimit: deps.config.bodyLimit,
  });

  await app.register(nativePlugin, {
    tokens: deps.services.tokens,
    limiter,
    store: deps.store,
    ready: deps.ready,
    metrics: deps.config.metricsPort === null ? { registry, dialect: deps.db?.dialect ?? 'unknown', dbStats: deps.db?.stats } : null,
  });
  await app.register(verifyPlugin, {
    limiter,
    tokens: deps.services.tokens,
    verify: deps.services.verify,
    bodyLimit: deps.config.bodyLimit,
    containerHeader: deps.config.verify.containerHeader,
    namespaceHeader: deps.config.verify.namespaceHeader,
  });

  await app.register(openapiPlugin, { routes });

  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not_found', message: 'No route matches this method and path.' }));
  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: 'bad_request', message: err.message });
    }
    request.log.error({ err }, 'unexpected error');
    return reply.code(500).send({ error: 'internal', message: 'Internal server error' });
  });

  return app;
}
