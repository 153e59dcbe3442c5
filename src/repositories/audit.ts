import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface AuditEvent {
  teamId: number | null;
  actor: string;
  tokenId: number | null;
  action: string;
  resourceType: string;
  resourceId: string;
  /** Names of the fields that changed; never their values. */
  changed: string[];
  ip: string | null;
  requestId: string | null;
  createdAt: number;
  /** What the action was about beyond field names (a signature's purpose, user, host, outcome); never a secret. */
  detail?: Record<string, unknown> | null;
}

export interface StoredAuditEvent extends AuditEvent {
  id: number;
}

export function auditRepository(db: Kysely<Database>) {
  return {
    async insert(e: AuditEvent): Promise<void> {
      await db
        .insertInto('audit_events')
        .values({
          team_id: e.teamId,
          actor: e.actor,
          token_id: e.tokenId,
          action: e.action,
          resource_type: e.resourceType,
          resource_id: e.resourceId,
          changed: JSON.stringify(e.changed),
          ip: e.ip,
          request_id: e.requestId,
          created_at: e.createdAt,
          detail: e.detail ? JSON.stringify(e.detail) : null,
        })
        .execute();
    },
    /**
     * Oldest first by default; `newestFirst` with `beforeId` pages backwards through history. `since` is
     * inclusive, `until` exclusive. `resources` matches rows whose resource is any of the given ones (a
     * missing `type` matches every type).
     */
    async list(
      filter: {
        teamId?: number;
        limit?: number;
        since?: number;
        until?: number;
        actor?: string;
        action?: string;
        resourceType?: string;
        resourceId?: string;
        resources?: ReadonlyArray<{ type?: string; id: string }>;
        beforeId?: number;
        newestFirst?: boolean;
      } = {},
    ): Promise<StoredAuditEvent[]> {
      let q = db.selectFrom('audit_events').selectAll().orderBy('id', filter.newestFirst ? 'desc' : 'asc');
      if (filter.teamId !== undefined) q = q.where('team_id', '=', filter.teamId);
      if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
      if (filter.until !== undefined) q = q.where('created_at', '<', filter.until);
      if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
      if (filter.action !== undefined) q = q.where('action', '=', filter.action);
      if (filter.resourceType !== undefined) q = q.where('resource_type', '=', filter.resourceType);
      if (filter.resourceId !== undefined) q = q.where('resource_id', '=', filter.resourceId);
      const resources = filter.resources;
      if (resources !== undefined) {
        q = q.where((eb) =>
          eb.or(resources.map((r) => (r.type === undefined ? eb('resource_id', '=', r.id) : eb.and([eb('resource_type', '=', r.type), eb('resource_id', '=', r.id)])))),
        );
      }
      if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
      const rows = await q.limit(filter.limit ?? 1000).execute();
      return rows.map((r) => ({
        id: r.id,
        teamId: r.team_id,
        actor: r.actor,
        tokenId: r.token_id,
        action: r.action,
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        changed: JSON.parse(r.changed) as string[],
        ip: r.ip,
        requestId: r.request_id,
        createdAt: r.created_at,
        detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
      }));
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
