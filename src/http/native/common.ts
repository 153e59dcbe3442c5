import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isAppError } from '../../domain/errors.js';
import { type Ability, type ApiToken, hasAbility } from '../../domain/types.js';
import type { AuthLimiter } from '../../services/auth-limiter.js';
import type { TokensService } from '../../services/tokens.js';
import { splitAuthorization } from '../auth.js';

// The same declarations as the Coolify plugin's (identical types merge), so native routes read
// `config.ability` and `request.token` without depending on another surface's file.
declare module 'fastify' {
  interface FastifyContextConfig {
    /** The ability a route needs; routes without one run no authentication. */
    ability?: Ability;
  }
  interface FastifyRequest {
    token?: ApiToken;
  }
}

/** HTTP status of each AppError code on the native surface. */
export const NATIVE_STATUS: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** keyhold's own error shape: `{"error":{"code","message","request_id"}}`. */
export function nativeError(request: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode, message: string) {
  return reply.code(status).send({ error: { code, message, request_id: request.id } });
}

/**
 * Authenticates `Bearer`/`APIKey` tokens for native routes and checks one ability. Sends the 401/403/429
 * itself and returns undefined then. Failed attempts count against the client's address.
 */
export async function nativeAuth(
  deps: { tokens: TokensService; limiter: AuthLimiter },
  request: FastifyRequest,
  reply: FastifyReply,
  ability: Ability,
): Promise<ApiToken | undefined> {
  const wait = deps.limiter.retryAfter(request.ip);
  if (wait > 0) {
    reply.header('retry-after', String(wait));
    nativeError(request, reply, 429, 'rate_limited', `too many failed authentication attempts; retry in ${wait} s`);
    return undefined;
  }
  const auth = splitAuthorization(request.headers.authorization ?? '');
  let token: ApiToken | undefined;
  if (auth && ['bearer', 'apikey'].includes(auth.scheme) && auth.credential) {
    try {
      token = await deps.tokens.authenticate(auth.credential);
    } catch (err) {
      if (!isAppError(err, 'unauthorized')) throw err;
    }
  }
  if (!token) {
    deps.limiter.fail(request.ip);
    reply.header('www-authenticate', 'Bearer');
    nativeError(request, reply, 401, 'unauthorized', `a valid token with the ${ability} ability is required (Authorization: Bearer <token>)`);
    return undefined;
  }
  if (!hasAbility(token.abilities, ability)) {
    nativeError(request, reply, 403, 'forbidden', `the token lacks the ${ability} ability`);
    return undefined;
  }
  return token;
}
