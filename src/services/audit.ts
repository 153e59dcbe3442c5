import type { Actor } from '../domain/types.js';
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

export interface AuditQuery {
  since?: number;
  until?: number;
  actor?: string;
  /** A resource id (`uuid`, `1/1/my-key`) or `type:id`. */
  resource?: string;
  limit: number;
  /** Opaque: the id to continue before. */
  cursor?: string;
}

/** Decodes a page cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^before:\d{1,15}$/.test(text) ? Number(text.slice(7)) : undefined;
}

export const encodeCursor = (id: number) => Buffer.from(`before:${id}`).toString('base64url');

/** A team's audit trail, newest first, one page at a time. */
export async function listAudit(store: Store, teamId: number, q: AuditQuery): Promise<{ events: StoredAuditEvent[]; nextCursor: string | null }> {
  let resourceType: string | undefined;
  let resourceId = q.resource;
  const m = q.resource ? /^(private_key|caas_key):(.+)$/.exec(q.resource) : null;
  if (m) [resourceType, resourceId] = [m[1], m[2]];
  const events = await store.audit.list({
    teamId,
    since: q.since,
    until: q.until,
    actor: q.actor,
    resourceType,
    resourceId,
    beforeId: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
    limit: q.limit + 1,
    newestFirst: true,
  });
  const more = events.length > q.limit;
  const page = events.slice(0, q.limit);
  return { events: page, nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}
