import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../domain/errors.js';
import { type Actor, type ApiToken, hasAbility } from '../domain/types.js';
import type { AuthLimiter } from '../services/auth-limiter.js';
import type { SessionsService } from '../services/sessions.js';
import type { TokensService } from '../services/tokens.js';
import type { CredentialProblem, Dialect } from './dialect.js';
import type { RouteAbility } from './route.js';

export interface AuthDeps {
  tokens: TokensService;
  limiter: AuthLimiter;
  /** Console sessions, on the surfaces that accept the session cookie (keyhold's own). */
  sessions?: SessionsService;
  /** keyhold's public origin when a proxy changes it; writes by session cookie must come from it (or the Host's). */
  publicUrl?: string | null;
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

/** Methods that change nothing: a session cookie may be sent with them from anywhere. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Is this request's Origin keyhold's own? A write authenticated by a session cookie must come from
 * keyhold's own pages, whatever the browser's SameSite handling did (a missing Origin counts as foreign).
 */
function fromOwnOrigin(request: FastifyRequest, publicUrl: string | null): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  return origin === `${request.protocol}://${request.host}` || origin === publicUrl;
}

/** Reads the credential a request carries and checks it: the token, or why not. */
async function identify(deps: AuthDeps, dialect: Dialect, request: FastifyRequest): Promise<ApiToken | CredentialProblem> {
  const credential = dialect.credential(request);
  if (typeof credential === 'object' && 'kind' in credential) return credential;
  if (typeof credential === 'object') {
    const identity = deps.sessions ? await deps.sessions.resolve(credential.session) : undefined;
    if (!identity) return { kind: 'invalid' };
    if (!SAFE_METHODS.has(request.method) && !fromOwnOrigin(request, deps.publicUrl ?? null)) return { kind: 'foreign_origin' };
    request.session = identity.session;
    return identity.token;
  }
  try {
    return await deps.tokens.authenticate(credential);
  } catch (err) {
    if (isAppError(err, 'unauthorized')) return { kind: 'invalid' };
    throw err;
  }
}

/**
 * Answers 429 (and returns false) when the client's address is over its failure budget; routes that
 * check secrets themselves (sign-in, setup) call it first and `recordFailure` on a wrong secret.
 */
export function underFailureBudget(deps: AuthDeps, dialect: Dialect, request: FastifyRequest, reply: FastifyReply): boolean {
  const wait = deps.limiter.retryAfter(request.ip);
  if (wait > 0) dialect.tooManyAttempts(request, reply, wait);
  return wait <= 0;
}

/**
 * The one authentication of every surface: refuse an address over its failure budget (429), read
 * and check the credential (401; the failure counts against the address), then the ability (403).
 * Each answer is worded by the surface's dialect. Returns the token, or undefined once answered.
 */
export async function authenticate(deps: AuthDeps, dialect: Dialect, request: FastifyRequest, reply: FastifyReply, ability?: RouteAbility): Promise<ApiToken | undefined> {
  if (!underFailureBudget(deps, dialect, request, reply)) return undefined;
  const identity = await identify(deps, dialect, request);
  if ('kind' in identity) {
    // A forged cross-site write is not a guess at a secret: it does not count against the address.
    if (identity.kind === 'foreign_origin') dialect.forbidden(request, reply, 'foreign_origin');
    else {
      deps.limiter.fail(request.ip);
      dialect.unauthenticated(request, reply, identity);
    }
    return undefined;
  }
  if (ability && ability !== 'any' && !hasAbility(identity.abilities, ability)) {
    dialect.forbidden(request, reply, ability);
    return undefined;
  }
  request.token = identity;
  return identity;
}
