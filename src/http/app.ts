import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { Services } from '../runtime.js';
import { AuthLimiter } from '../services/auth-limiter.js';
import { authenticate } from './auth.js';
import { coolifyDialect } from './coolify/dialect.js';
import { coolifyPlugin } from './coolify/plugin.js';
import { gcoreDialect, gcoreRouterFailure } from './gcore-caas/dialect.js';
import { gcoreCaasPlugin } from './gcore-caas/plugin.js';
import { instrumentRequests } from './metrics.js';
import { nativeDialect, nativeError } from './native/dialect.js';
import { nativePlugin } from './native/plugin.js';
import { collectRoutes } from './openapi/document.js';
import { errorHandler } from './surface.js';
import { gatewayFastPath } from './gateway/fast-path.js';
import { gatewayServer } from './gateway/listener.js';
import { newRequestId } from './request-id.js';
import { proxyTrust } from './client-address.js';

export interface AppDeps {
  config: Pick<Config, 'bodyLimit' | 'trustProxy' | 'coolifyVersion' | 'verify' | 'authFailures' | 'metricsPort' | 'publicUrl' | 'sessions'>;
  services: Services;
  ready: () => Promise<{ ok: boolean; reason?: string }>;
  logger: FastifyBaseLogger;
  /** Request metrics land here, and /metrics serves its registry (unless metrics have their own port). */
  metrics: Metrics;
  /** The failed-authentication limiter, when it is shared with a gateway listener; made here otherwise. */
  limiter?: AuthLimiter;
}

/** One limiter for every surface: failed authentication from an address counts wherever it happens. */
export function createAuthLimiter(config: Pick<Config, 'authFailures'>): AuthLimiter {
  return new AuthLimiter({ maxFailures: config.authFailures.limit, windowMs: config.authFailures.windowMs, clock: Date.now });
}

/** The gateway routes' fast path (gateway/fast-path.ts) over the app's services. */
export function gatewayHandler(deps: AppDeps, limiter: AuthLimiter) {
  return gatewayFastPath({
    tokens: deps.services.tokens,
    limiter,
    verify: deps.services.verify,
    metrics: deps.metrics,
    logger: deps.logger,
    bodyLimit: deps.config.bodyLimit,
    trust: proxyTrust(deps.config.trustProxy),
    containerHeader: deps.config.verify.containerHeader,
    namespaceHeader: deps.config.verify.namespaceHeader,
  });
}

/** Is this request URL under a surface's prefix? */
const under = (prefix: string) => (url: string) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);
const isGcoreUrl = under('/cloud');
const isCoolifyUrl = under('/api');

/** Registers every surface on a Fastify instance; no business logic lives here. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const limiter = deps.limiter ?? createAuthLimiter(deps.config);
  const fastPath = gatewayHandler(deps, limiter);
  const auth = { tokens: deps.services.tokens, limiter };
  const bodyLimit = deps.config.bodyLimit;

  const trust = proxyTrust(deps.config.trustProxy);
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit,
    // request.ip is the nearest address that is not a trusted proxy (the fast path uses the same function).
    trustProxy: trust,
    // Ids are ours alone: a client-supplied X-Request-Id is not trusted into logs and error bodies.
    genReqId: newRequestId,
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // Shutdown drains connections first (drain.ts); anything still arriving is answered, not refused.
    return503OnClosing: false,
    // Verification and forward-auth take the fast path before Fastify (same answers, less work per request).
    // The gateway routes are answered before Fastify sees them (gateway/fast-path.ts). Fastify applies its
    // timeouts only to servers it creates, so its keep-alive default (72 s, longer than load balancers' idle) is set here.
    serverFactory: (handler) => gatewayServer((req, res) => void (fastPath(req, res) || handler(req, res))),
    // A URL the router cannot match at all (`%FF`, an over-long segment) never reaches a surface;
    // it is still answered in the dialect of the surface its path names.
    frameworkErrors: (err, request, reply) => {
      reply.header('x-request-id', request.id);
      if (isCoolifyUrl(request.url)) return void coolifyDialect.malformed(request, reply);
      if (!isGcoreUrl(request.url)) return void nativeError(request, reply, err.statusCode ?? 400, 'bad_request', 'malformed request');
      // Nothing awaits this: a failure must still end in an answer, never an unhandled rejection.
      authenticate(auth, gcoreDialect, request, reply).then(
        (token) => void (token && gcoreRouterFailure(request, reply, err.code)),
        (cause: unknown) => {
          request.log.error({ err: cause }, 'unexpected error');
          if (!reply.sent) gcoreDialect.internal(request, reply);
        },
      );
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  instrumentRequests(app, deps.metrics);
  // request.cookies and reply.setCookie for the console's session cookie (unsigned: it is a random secret).
  await app.register(cookie);
  // Every route registered from here on is in /openapi.json.
  const routes = collectRoutes(app);

  await app.register(coolifyPlugin, { ...auth, prefix: '/api', privateKeys: deps.services.privateKeys, version: deps.config.coolifyVersion, bodyLimit });
  await app.register(gcoreCaasPlugin, { ...auth, prefix: '/cloud', caasKeys: deps.services.caasKeys, bodyLimit });
  await app.register(nativePlugin, {
    ...auth,
    sessions: deps.services.sessions,
    publicUrl: deps.config.publicUrl,
    sessionIdleMs: deps.config.sessions.idleMs,
    services: deps.services,
    bodyLimit,
    ready: deps.ready,
    metrics: deps.config.metricsPort === null ? deps.metrics.registry : null,
    containerHeader: deps.config.verify.containerHeader,
    namespaceHeader: deps.config.verify.namespaceHeader,
    routes,
  });

  // Anything outside the surfaces is keyhold's own: its not-found and error answers.
  app.setNotFoundHandler((request, reply) => nativeDialect.notFound(request, reply));
  app.setErrorHandler(errorHandler(nativeDialect));
  return app;
}
