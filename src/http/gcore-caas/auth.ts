import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../domain/errors.js';
import type { ApiToken } from '../../domain/types.js';
import type { AuthLimiter } from '../../services/auth-limiter.js';
import type { TokensService } from '../../services/tokens.js';
import { splitAuthorization } from '../auth.js';
import { gcoreError } from './errors.js';

/**
 * Our token format as far as its shape goes: `<digits>|<anything>` (Sanctum's `<id>|<secret>`) or a bare
 * secret, `<40 alphanumerics><crc32b>`. Anything else, e.g. `7` left by a shell that took `|` for a pipe,
 * is "not of our format" and is refused without a lookup.
 */
const WELL_FORMED_TOKEN = /^(?:[0-9]+\|.+|[A-Za-z0-9]{40}[0-9a-f]{8})$/s;

export type AuthFailure = { cls: 'not_authenticated' | 'token_not_valid'; message: string };

/** The token behind `Authorization: APIKey|Bearer <token>`, or the 401 of spec section 8 that fits. */
export async function authenticate(tokens: TokensService, request: FastifyRequest): Promise<ApiToken | AuthFailure> {
  const header = request.headers.authorization;
  const missing: AuthFailure = { cls: 'not_authenticated', message: 'Authentication credentials were not provided.' };
  if (header === undefined || header.trim() === '') return missing;
  const parts = splitAuthorization(header);
  if (!parts || (parts.scheme !== 'apikey' && parts.scheme !== 'bearer')) return { cls: 'token_not_valid', message: 'Given token not valid for any token type' };
  if (!parts.credential) return missing;
  if (!WELL_FORMED_TOKEN.test(parts.credential)) return { cls: 'token_not_valid', message: `Bad permanent token: ${[...parts.credential].slice(0, 8).join('')}` };
  try {
    return await tokens.authenticate(parts.credential);
  } catch (err) {
    if (isAppError(err, 'unauthorized')) return { cls: 'token_not_valid', message: 'Token is invalid or expired' };
    throw err;
  }
}

/** Authenticates, or answers 429/401 itself (returning undefined); failures count against the address. */
export async function authOrReply(
  deps: { tokens: TokensService; limiter: AuthLimiter },
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<ApiToken | undefined> {
  const wait = deps.limiter.retryAfter(request.ip);
  if (wait > 0) {
    reply.header('retry-after', String(wait));
    gcoreError(request, reply, 429, 'TooManyRequestsError', `Too many failed authentication attempts; retry in ${wait} seconds`);
    return undefined;
  }
  const auth = await authenticate(deps.tokens, request);
  if ('id' in auth) return auth;
  deps.limiter.fail(request.ip);
  gcoreError(request, reply, 401, auth.cls, auth.message);
  return undefined;
}
