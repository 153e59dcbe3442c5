import { AppError } from '../domain/errors.js';
import { type Actor, MAX_ID } from '../domain/types.js';
import type { AuditEvent, StoredAuditEvent } from '../repositories/audit.js';
import type { Store } from '../repositories/index.js';

/** Builds an audit row for `actor`; `changed` holds field names only, never values. */
export function auditEvent(actor: Actor, action: string, resourceType: string, resourceId: string, changed: string[], at: number): AuditEvent {
  return {
    teamId: actor.teamId,
    actor: actor.label,
    tokenId: actor.tokenId,
    action,
    resourceType,
    resourceId,
    changed,
    ip: actor.ip,
    requestId: actor.requestId,
    createdAt: at,
  };
}

/** An audit row for an operation run from the command line on no team's behalf (key rotation, rewrap). */
export function cliAuditEvent(action: string, resourceType: string, resourceId: string, at: number): AuditEvent {
  return { teamId: null, actor: 'cli', tokenId: null, action, resourceType, resourceId, changed: [], ip: null, requestId: null, createdAt: at };
}

/** A validated audit-trail query, as `parseAuditQuery` returns it. */
export interface AuditQuery {
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  /** An actor label, e.g. `token:12`. */
  actor?: string;
  /** A resource id (`uuid`, `1/1/my-key`) or `type:id`. */
  resource?: string;
  limit: number;
  /** Opaque: where the previous page ended. */
  cursor?: string;
}

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;
const PARAMS = ['since', 'until', 'actor', 'resource', 'limit', 'cursor'] as const;
const MAX_FILTER_LENGTH = 1000;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** An RFC 3339 date-time (offset required; fraction kept to the millisecond) as epoch ms; undefined if it is not one. */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d); // not Date.UTC, which reads years 0-99 as 19xx
  check.setUTCHours(h, mi, sec, ms);
  const local = check.getTime();
  // 2024-02-30 rolls over into March; a date that does not round-trip does not exist.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) return undefined;
  if (m[8]) return local;
  const offH = Number(m[10]);
  const offM = Number(m[11]);
  if (offH > 23 || offM > 59) return undefined;
  return local - (m[9] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
}

/** Decodes a page cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^before:[1-9]\d{0,9}$/.test(text)) return undefined;
  const id = Number(text.slice(7));
  return id <= MAX_ID ? id : undefined;
}

export const encodeCursor = (id: number) => Buffer.from(`before:${id}`).toString('base64url');

/**
 * Checks raw query parameters (HTTP query string or CLI options) and returns the query, or throws one
 * `bad_request` listing every problem. Unknown and repeated parameters are refused rather than ignored,
 * so a typo cannot silently widen the result.
 */
export function parseAuditQuery(raw: Readonly<Record<string, unknown>>): AuditQuery {
  const problems: string[] = [];
  const unknown = Object.keys(raw).filter((k) => !(PARAMS as readonly string[]).includes(k));
  if (unknown.length) problems.push(`unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${PARAMS.join(', ')})`);
  const one = (k: (typeof PARAMS)[number]): string | undefined => {
    const v = raw[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      problems.push(`${k} must be given once`);
      return undefined;
    }
    return v;
  };
  const time = (k: 'since' | 'until') => {
    const v = one(k);
    if (v === undefined) return undefined;
    const t = parseRfc3339(v);
    if (t === undefined) problems.push(`${k} must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T12:00:00Z`);
    return t;
  };
  const text = (k: 'actor' | 'resource') => {
    const v = one(k);
    if (v === undefined) return undefined;
    if (v === '') problems.push(`${k} must not be empty`);
    else if (v.length > MAX_FILTER_LENGTH) problems.push(`${k} must be at most ${MAX_FILTER_LENGTH} characters`);
    else if (v.includes('\u0000')) problems.push(`${k} must not contain NUL characters`);
    return v;
  };
  const since = time('since');
  const until = time('until');
  if (since !== undefined && until !== undefined && since > until) problems.push('since must not be later than until');
  const actor = text('actor');
  const resource = text('resource');
  const limitText = one('limit');
  let limit = AUDIT_DEFAULT_LIMIT;
  if (limitText !== undefined) {
    limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= AUDIT_MAX_LIMIT)) problems.push(`limit must be an integer from 1 to ${AUDIT_MAX_LIMIT}`);
  }
  const cursor = one('cursor');
  if (cursor !== undefined && decodeCursor(cursor) === undefined) problems.push('cursor is not one this server issued (pass next_cursor back unchanged)');
  if (problems.length) throw new AppError('bad_request', problems.join('; '));
  return { since, until, actor, resource, limit, cursor };
}

/** `type:id` also matches a resource id that happens to contain a colon, so both readings are searched. */
function resourceFilter(resource: string): Array<{ type?: string; id: string }> {
  const m = /^([a-z][a-z0-9_]*):(.+)$/s.exec(resource);
  return m ? [{ type: m[1]!, id: m[2]! }, { id: resource }] : [{ id: resource }];
}

/**
 * One page of the audit trail, newest first (by id), for one team or, with `teamId` undefined, every
 * team (the CLI's view). `nextCursor` is null on the last page.
 */
export async function listAudit(store: Store, teamId: number | undefined, q: AuditQuery): Promise<{ events: StoredAuditEvent[]; nextCursor: string | null }> {
  const events = await store.audit.list({
    teamId,
    since: q.since,
    until: q.until,
    actor: q.actor,
    resources: q.resource === undefined ? undefined : resourceFilter(q.resource),
    beforeId: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
    limit: q.limit + 1,
    newestFirst: true,
  });
  const more = events.length > q.limit;
  const page = events.slice(0, q.limit);
  return { events: page, nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The wire form of an audit row, shared by the HTTP API and `keyhold audit --json`. */
export function auditEntry(e: StoredAuditEvent) {
  return {
    id: e.id,
    at: iso(e.createdAt),
    actor: e.actor,
    token_id: e.tokenId,
    action: e.action,
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    changed_fields: e.changed,
    ip: e.ip,
    request_id: e.requestId,
  };
}
