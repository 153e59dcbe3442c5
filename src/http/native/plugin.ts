import type { FastifyError, FastifyInstance } from 'fastify';
import { isAppError } from '../../domain/errors.js';
import type { Store } from '../../repositories/index.js';
import type { AuthLimiter } from '../../services/auth-limiter.js';
import type { TokensService } from '../../services/tokens.js';
import type { ScrapeSource } from '../metrics.js';
import { auditRoutes } from './audit.js';
import { NATIVE_STATUS, nativeAuth, nativeError } from './common.js';
import { opsRoutes } from './ops.js';

export interface NativeDeps {
  tokens: TokensService;
  limiter: AuthLimiter;
  store: Store;
  ready: () => Promise<{ ok: boolean; reason?: string }>;
  /** The /metrics source, or null when metrics have their own port. */
  metrics: ScrapeSource | null;
}

/**
 * keyhold's own surface: `/healthz`, `/readyz`, `/metrics` and everything under `/v1`, answering
 * errors as `{"error":{"code","message","request_id"}}`.
 *
 * To add a route, register it on the `/v1` scope below (or in a file like `audit.ts`) with the
 * ability it needs and its OpenAPI description (openapi.ts); the onRequest hook authenticates it
 * and sets `request.token` first:
 *
 *   v1.post('/keys/verify', { config: { ability: 'verify', openapi: nativeDocs.verify } }, async (request) => …);
 *
 * then run `npm run openapi` to refresh the checked-in openapi.json.
 *
 * Throw an AppError for a failure and the error handler answers it in the native shape.
 */
export async function nativePlugin(app: FastifyInstance, deps: NativeDeps): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    const ability = request.routeOptions.config?.ability;
    if (!ability) return;
    const token = await nativeAuth(deps, request, reply, ability);
    if (!token) return reply;
    request.token = token;
  });

  // Applies to this plugin's routes and its /v1 not-found answers; other surfaces keep their own.
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (isAppError(err)) {
      const status = NATIVE_STATUS[err.code];
      if (status >= 500) request.log.error({ err }, 'service failure');
      return nativeError(request, reply, status, err.code, status === 500 ? 'internal server error' : err.message);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return nativeError(request, reply, 413, 'bad_request', 'request body is too large');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return nativeError(request, reply, 415, 'bad_request', 'unsupported Content-Type; send application/json');
    // Framework messages can quote the body (JSON.parse does), so they are not echoed back.
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return nativeError(request, reply, 400, 'bad_request', 'malformed request');
    request.log.error({ err }, 'unexpected error');
    return nativeError(request, reply, 500, 'internal', 'internal server error');
  });

  await app.register(opsRoutes, { ready: deps.ready, metrics: deps.metrics });

  // A scope of its own so that its not-found handler covers /v1 and /v1/* only: the root's stays
  // the root's, and /api and /cloud keep their surfaces' handlers.
  await app.register(
    async (v1) => {
      v1.setNotFoundHandler((request, reply) => nativeError(request, reply, 404, 'not_found', 'no route matches this method and path'));
      await v1.register(auditRoutes, { store: deps.store });
    },
    { prefix: '/v1' },
  );
}
