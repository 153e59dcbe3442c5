import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../domain/errors.js';
import { type Ability, type Actor, type ApiToken, hasAbility } from '../domain/types.js';
import type { AuthLimiter } from '../services/auth-limiter.js';
import type { TokensService } from '../services/tokens.js';
import type { CredentialProblem, Dialect } from './dialect.js';

export interface AuthDeps {
  tokens: TokensService;
  limiter: AuthLimiter;
}

/** Laravel's `bearerToken()`: the text after the last `Bearer ` (any case), cut at the first comma. */
export function bearerToken(header: string): string | null {
  const pos = header.toLowerCase().lastIndexOf('bearer ');
  if (pos === -1) return null;
  const rest = header.slice(pos + 7);
  const comma = rest.indexOf(',');
  return comma === -1 ? rest : rest.slice(0, comma);
}

/** The scheme and credential of an Authorization header (`APIKey x`, `Bearer x`), scheme lower-cased. */
export function splitAuthorization(header: string): { scheme: string; credential: string } | null {
  const m = /^([A-Za-z][A-Za-z0-9._~+/-]*)(?:[ \t]+(.*))?$/s.exec(header.trim());
  if (!m) return null;
  return { scheme: m[1]!.toLowerCase(), credential: (m[2] ?? '').trim() };
}

/** Describes the authenticated token as the actor of audit rows. */
export function actorFor(token: ApiToken, request: FastifyRequest): Actor {
  return { teamId: token.teamId, tokenId: token.id, label: `token:${token.id}`, ip: request.ip, requestId: request.id };
}

/** Reads the token a request carries and checks it: the token, or why not. */
async function identify(deps: AuthDeps, dialect: Dialect, request: FastifyRequest): Promise<ApiToken | CredentialProblem> {
  const credential = dialect.credential(request);
  if (typeof credential !== 'string') return credential;
  try {
    return await deps.tokens.authenticate(credential);
  } catch (err) {
    if (isAppError(err, 'unauthorized')) return { kind: 'invalid' };
    throw err;
  }
}

/**
 * The one authentication of every surface: refuse an address over its failure budget (429), read
 * and check the credential (401; the failure counts against the address), then the ability (403).
 * Each answer is worded by the surface's dialect. Returns the token, or undefined once answered.
 */
export async function authenticate(deps: AuthDeps, dialect: Dialect, request: FastifyRequest, reply: FastifyReply, ability?: Ability): Promise<ApiToken | undefined> {
  const wait = deps.limiter.retryAfter(request.ip);
  if (wait > 0) {
    dialect.tooManyAttempts(request, reply, wait);
    return undefined;
  }
  const identity = await identify(deps, dialect, request);
  if ('kind' in identity) {
    deps.limiter.fail(request.ip);
    dialect.unauthenticated(request, reply, identity);
    return undefined;
  }
  if (ability && !hasAbility(identity.abilities, ability)) {
    dialect.forbidden(request, reply, ability);
    return undefined;
  }
  request.token = identity;
  return identity;
}
