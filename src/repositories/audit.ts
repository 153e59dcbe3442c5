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
        })
        .execute();
    },
    async list(filter: { teamId?: number; limit?: number } = {}): Promise<StoredAuditEvent[]> {
      let q = db.selectFrom('audit_events').selectAll().orderBy('id');
      if (filter.teamId !== undefined) q = q.where('team_id', '=', filter.teamId);
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
      }));
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
