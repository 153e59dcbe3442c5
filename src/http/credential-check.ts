import { isAppError } from '../domain/errors.js';
import { type Ability, type ApiToken, hasAbility, type Session } from '../domain/types.js';
import type { AuthLimiter } from '../services/auth-limiter.js';
import type { SessionsService } from '../services/sessions.js';
import type { TokensService } from '../services/tokens.js';
import type { Credential, CredentialProblem } from './dialect.js';
import type { RouteAbility } from './route.js';

/**
 * The one check of a credential, free of any transport: Fastify's routes (auth.ts) and the gateway's
 * fast path both call it and only word its outcome. The order matters:
 *
 * 1. the credential is checked first, so a valid one is never refused, whatever else its address sent;
 * 2. a failure counts against the client's address, and an address over its budget gets 429 instead
 *    of 401 (an attacker behind the same proxy cannot lock good clients out);
 * 3. then the ability (403), which is not a failure: the token itself is real.
 */

export interface CredentialCheckDeps {
  tokens: TokensService;
  limiter: AuthLimiter;
  /** Console sessions, where the session cookie is accepted (keyhold's own surface). */
  sessions?: SessionsService;
}

export type CredentialOutcome =
  | { ok: true; token: ApiToken; session?: Session }
  | { ok: false; status: 429; retryAfter: number }
  | { ok: false; status: 401; problem: CredentialProblem }
  | { ok: false; status: 403; reason: Ability | 'foreign_origin' };

export interface CredentialRequest {
  credential: Credential | CredentialProblem;
  /** The client's address (the nearest untrusted one behind proxies). */
  ip: string;
  ability?: RouteAbility;
  /** For a session cookie on a write: did the request come from keyhold's own pages? */
  fromOwnOrigin?: () => boolean;
  /** GET/HEAD/OPTIONS: a session cookie may come with them from anywhere. */
  safeMethod?: boolean;
}

/** The token a credential stands for, or why not (not counted yet). */
async function identify(deps: CredentialCheckDeps, input: CredentialRequest): Promise<{ token: ApiToken; session?: Session } | CredentialProblem> {
  const { credential } = input;
  if (typeof credential === 'object' && 'kind' in credential) return credential;
  if (typeof credential === 'object') {
    const identity = deps.sessions ? await deps.sessions.resolve(credential.session) : undefined;
    if (!identity) return { kind: 'invalid' };
    if (!input.safeMethod && !input.fromOwnOrigin?.()) return { kind: 'foreign_origin' };
    return { token: identity.token, session: identity.session };
  }
  try {
    return { token: await deps.tokens.authenticate(credential) };
  } catch (err) {
    if (isAppError(err, 'unauthorized')) return { kind: 'invalid' };
    throw err;
  }
}

/** Checks a request's credential and ability; see the module comment for the order. */
export async function checkCredential(deps: CredentialCheckDeps, input: CredentialRequest): Promise<CredentialOutcome> {
  const identity = await identify(deps, input);
  if ('kind' in identity) {
    // A forged cross-site write is not a guess at a secret: it does not count against the address.
    if (identity.kind === 'foreign_origin') return { ok: false, status: 403, reason: 'foreign_origin' };
    const wait = deps.limiter.failed(input.ip);
    return wait > 0 ? { ok: false, status: 429, retryAfter: wait } : { ok: false, status: 401, problem: identity };
  }
  const { ability } = input;
  if (ability && ability !== 'any' && !hasAbility(identity.token.abilities, ability)) return { ok: false, status: 403, reason: ability };
  return { ok: true, ...identity };
}
