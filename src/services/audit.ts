import { decodeCursor as decodeAnyCursor, encodeCursor as encodeAnyCursor } from '../domain/cursor.js';
import { AppError } from '../domain/errors.js';
import { integerInRange } from '../domain/integers.js';
import { formatDateTime, parseDateTime } from '../domain/time.js';
import type { Actor } from '../domain/types.js';
import type { AuditEvent, StoredAuditEvent } from '../repositories/audit.js';
import type { Store } from '../repositories/index.js';
import { auditChainVerifier, auditLine } from './audit-chain.js';
import type { LiveKeyring } from './keyring.js';

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

/** The audit trail pages backwards: a cursor is the id the next page ends before. */
export const encodeCursor = (id: number) => encodeAnyCursor('before', id);
const decodeCursor = (cursor: string) => decodeAnyCursor('before', cursor);

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
    const t = parseDateTime(v, 'rfc3339');
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
  const actor = text('actor');
  const resource = text('resource');
  const limitText = one('limit');
  let limit = AUDIT_DEFAULT_LIMIT;
  if (limitText !== undefined) {
    const n = /^\d+$/.test(limitText) ? integerInRange(limitText, 1, AUDIT_MAX_LIMIT) : undefined;
    if (n === undefined) problems.push(`limit must be an integer from 1 to ${AUDIT_MAX_LIMIT}`);
    else limit = n;
  }
  const query = { since, until, actor, resource, limit, cursor: one('cursor') };
  problems.push(...queryProblems(query));
  if (problems.length) throw new AppError('bad_request', problems.join('; '));
  return query;
}

/** What is wrong with a query whose fields are each well-formed: the time range and the cursor. */
function queryProblems(q: AuditQuery): string[] {
  const problems: string[] = [];
  if (q.since !== undefined && q.until !== undefined && q.since > q.until) problems.push('since must not be later than until');
  if (q.cursor !== undefined && decodeCursor(q.cursor) === undefined) problems.push('cursor is not one this server issued (pass next_cursor back unchanged)');
  return problems;
}

/** `type:id` also matches a resource id that happens to contain a colon, so both readings are searched. */
function resourceFilter(resource: string): Array<{ type?: string; id: string }> {
  const m = /^([a-z][a-z0-9_]*):(.+)$/s.exec(resource);
  return m ? [{ type: m[1]!, id: m[2]! }, { id: resource }] : [{ id: resource }];
}

/** The audit trail, as its readers see it (HTTP API and CLI); writers add rows through the store. */
export function auditService(store: Store, keys: LiveKeyring) {
  const verifier = auditChainVerifier(store, keys);
  return {
    /** Walks a team's MAC chain (null: entries of no team): ok, or the first entry changed, removed before or inserted. */
    verify: (teamId: number | null) => verifier.verifyTeam(teamId),
    /** Every chain of the instance (the CLI's view). */
    verifyAll: () => verifier.verifyAll(),
    /**
     * The entries created in [from, to) (either open) as NDJSON lines, oldest first, of one team or
     * (undefined) every team, read in batches so the export streams.
     */
    async *export(teamId: number | undefined, window: { from?: number; to?: number }): AsyncGenerator<string> {
      let afterId = 0;
      for (;;) {
        const rows = await store.auditChain.window({ teamId, ...window, afterId, limit: 1000 });
        if (rows.length === 0) return;
        yield rows.map((r) => `${auditLine(r)}\n`).join('');
        afterId = rows[rows.length - 1]!.id;
      }
    },
    /**
     * One page of the audit trail, newest first (by id), for one team or, with `teamId` undefined,
     * every team (the CLI's view). `nextCursor` is null on the last page.
     */
    async list(teamId: number | undefined, q: AuditQuery): Promise<{ events: StoredAuditEvent[]; nextCursor: string | null }> {
      const problems = queryProblems(q);
      if (problems.length) throw new AppError('bad_request', problems.join('; '));
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
    },
    /** The newest entries of one action on one resource of the team (a key's recent signatures). */
    recent: (teamId: number, f: { action: string; resourceType: string; resourceId: string; limit: number }) =>
      store.audit.list({ teamId, action: f.action, resourceType: f.resourceType, resourceId: f.resourceId, limit: f.limit, newestFirst: true }),
  };
}
export type AuditService = ReturnType<typeof auditService>;

/** The wire form of an audit row, shared by the HTTP API and `keyhold audit --json`. */
export function auditEntry(e: StoredAuditEvent) {
  return {
    id: e.id,
    at: formatDateTime(e.createdAt),
    actor: e.actor,
    token_id: e.tokenId,
    action: e.action,
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    changed_fields: e.changed,
    ip: e.ip,
    request_id: e.requestId,
    detail: e.detail ?? null,
  };
}
