import type { FastifyRequest } from 'fastify';
import type { Actor, ApiToken } from '../domain/types.js';

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
