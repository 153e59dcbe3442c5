import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, ApiToken } from '../domain/types.js';
import { checkCredential, type CredentialCheckDeps } from './credential-check.js';
import type { Dialect } from './dialect.js';
import { callerOf, type RouteAbility } from './route.js';

export interface AuthDeps extends CredentialCheckDeps {
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
  return { teamId: token.teamId, tokenId: token.id, label: `token:${token.id}`, ip: request.ip, requestId: request.id, privateKeys: token.privateKeys };
}

/** The actor of an authenticated route's request: its caller's token, address and request id. */
export function actorOf(request: FastifyRequest): Actor {
  return actorFor(callerOf(request), request);
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

/**
 * A secret checked by a route itself (sign-in's token, setup's code) was wrong: counts against the
 * address, and answers 429 (returning false) once the address is over its budget.
 */
export function secretFailed(deps: AuthDeps, dialect: Dialect, request: FastifyRequest, reply: FastifyReply): boolean {
  const wait = deps.limiter.failed(request.ip);
  if (wait > 0) dialect.tooManyAttempts(request, reply, wait);
  return wait <= 0;
}

/**
 * The one authentication of every surface (credential-check.ts decides, the surface's dialect words
 * it): 401 for a missing or bad credential, 429 instead once the address is over its failure budget,
 * 403 for a missing ability. A credential that checks out is never refused for its address's failures.
 * Returns the token, or undefined once answered.
 */
export async function authenticate(deps: AuthDeps, dialect: Dialect, request: FastifyRequest, reply: FastifyReply, ability?: RouteAbility): Promise<ApiToken | undefined> {
  const outcome = await checkCredential(deps, {
    credential: dialect.credential(request),
    ip: request.ip,
    ability,
    safeMethod: SAFE_METHODS.has(request.method),
    fromOwnOrigin: () => fromOwnOrigin(request, deps.publicUrl ?? null),
  });
  if (outcome.ok) {
    if (outcome.session) request.session = outcome.session;
    request.token = outcome.token;
    return outcome.token;
  }
  if (outcome.status === 429) dialect.tooManyAttempts(request, reply, outcome.retryAfter);
  else if (outcome.status === 401) dialect.unauthenticated(request, reply, outcome.problem);
  else dialect.forbidden(request, reply, outcome.reason);
  return undefined;
}
