import type { Ability } from '../../domain/types.js';
import { splitAuthorization } from '../auth.js';
import type { Credential, CredentialProblem } from '../dialect.js';
import type { RouteAbility } from '../route.js';

/**
 * keyhold's own words for authentication and body failures, once: the native dialect (Fastify's
 * routes) and the gateway's fast path both answer with these, so the two cannot drift apart.
 */
export const nativeWords = {
  tooManyAttempts: (waitSeconds: number) => `too many failed authentication attempts; retry in ${waitSeconds} s`,
  unauthenticated: (ability: RouteAbility | undefined) =>
    `${ability && ability !== 'any' ? `a valid token with the ${ability} ability` : 'a valid token'} is required (Authorization: Bearer <token>)`,
  forbidden: (reason: Ability | 'foreign_origin') =>
    reason === 'foreign_origin' ? "a session cookie is accepted on writes only from keyhold's own pages (Origin)" : `the token lacks the ${reason} ability`,
  tooLarge: 'request body is too large',
  formBody: 'send the body as JSON (Content-Type: application/json)',
};

/** The token an `Authorization` header carries (`Bearer` or `APIKey`, any case), or why none. */
export function tokenCredential(header: string | undefined): Credential | CredentialProblem {
  if (!header) return { kind: 'missing' };
  const auth = splitAuthorization(header);
  if (!auth || !auth.credential) return { kind: 'missing' };
  if (auth.scheme !== 'bearer' && auth.scheme !== 'apikey') return { kind: 'unsupported_scheme' };
  return auth.credential;
}
