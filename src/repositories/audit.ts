import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { appendToChain, type AuditRow, type AuditSealer, chainOf, pointMac } from './audit-chain.js';

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

/** The PostgreSQL advisory lock one server holds while it prunes a batch of the audit trail. */
const AUDIT_PRUNE_LOCK = 7_206_113_402;

/** Where a team's retained audit trail starts: entries with ids above `lastPrunedId` are kept. */
export interface AuditPrunePoint {
  /** null: entries of no team (instance-wide). */
  teamId: number | null;
  lastPrunedId: number;
  prunedAt: number;
}

/**
 * What the store hands every audit repository it binds: the sealer that MACs the chain (set once the
 * keyring is loaded; rows written before it are sealed by their team's next write), and, per
 * transaction, where appended rows are collected for the audit file.
 */
export interface AuditHooks {
  sealer?: AuditSealer;
  appended?: AuditRow[];
}

export function auditRepository(db: Kysely<Database>, hooks: AuditHooks = {}) {
  return {
    /** Appends an entry to its team's chain (in a transaction of its own when not in one). */
    async insert(e: AuditEvent): Promise<void> {
      const values = {
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
      };
      const sealer = hooks.sealer;
      if (!sealer) return void (await db.insertInto('audit_events').values(values).execute());
      const row = db.isTransaction ? await appendToChain(db, sealer, values) : await db.transaction().execute((trx) => appendToChain(trx, sealer, values));
      hooks.appended?.push(row);
    },
    /** The smallest team id above `after` with audit entries (an index seek), for walking the teams one at a time. */
    async nextTeam(after: number): Promise<number | undefined> {
      const row = await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.min('team_id').as('team'))
        .where('team_id', '>', after)
        .executeTakeFirst();
      return row?.team ?? undefined;
    },
    /**
     * Deletes a team's oldest entries (`teamId` null: entries of no team) strictly in id order: among
     * its first `limit` entries, those before the first one not older than `before`. So the kept trail
     * is always a suffix of the team's trail, with no holes, even if the clock once went backwards.
     * The highest id deleted is recorded in `audit_prune_points` (team 0 for entries of no team) in
     * the same transaction. Returns how many were deleted. On PostgreSQL one server prunes the audit
     * trail at a time: another finding the lock taken deletes nothing (0) and leaves it.
     */
    async pruneOldest(teamId: number | null, before: number, limit: number, at: number): Promise<number> {
      const run = async (q: Kysely<Database>): Promise<number> => {
        const postgres = dialectOf(q) === 'postgres';
        if (postgres) {
          const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${AUDIT_PRUNE_LOCK}) as ok`.execute(q);
          if (!rows[0]?.ok) return 0;
        }
        const team = teamId === null ? sql`team_id is null` : sql`team_id = ${teamId}`;
        const first = sql`(select id, created_at from audit_events where ${team} order by id limit ${limit})`;
        // One write statement (SQLite takes its write lock at once): the batch's prefix older than `before`.
        const { rows } = await sql<{ id: number; seq: number | null; mac: string | null }>`
          delete from audit_events where id in (
            select b.id from ${first} b
            where b.id < coalesce((select min(c.id) from ${first} c where c.created_at >= ${before}), b.id + 1)
          )
          returning id, seq, mac`.execute(q);
        if (rows.length === 0) return 0;
        // The last one pruned is where the retained chain now starts: its position and MAC, MACed themselves.
        const last = rows.reduce((a, b) => (Number(b.id) > Number(a.id) ? b : a));
        const lastId = Number(last.id);
        const chain = chainOf(teamId);
        const version = hooks.sealer?.version() ?? null;
        const sealed =
          last.seq !== null && last.mac !== null && hooks.sealer && version !== null
            ? { last_pruned_seq: last.seq, last_pruned_mac: last.mac, key_version: version, point_mac: pointMac(hooks.sealer, version, chain, last.seq, last.mac, lastId).toString('hex') }
            : { last_pruned_seq: null, last_pruned_mac: null, key_version: null, point_mac: null };
        // Batches go oldest first, so the newest prune point always has the highest id.
        await q
          .insertInto('audit_prune_points')
          .values({ team_id: chain, last_pruned_id: lastId, pruned_at: at, ...sealed })
          .onConflict((oc) => oc.column('team_id').doUpdateSet({ last_pruned_id: lastId, pruned_at: at, ...sealed }))
          .execute();
        return rows.length;
      };
      return db.isTransaction ? run(db) : db.transaction().execute(run);
    },
    /** Every team's prune point (see `pruneOldest`). */
    async prunePoints(): Promise<AuditPrunePoint[]> {
      const rows = await db.selectFrom('audit_prune_points').selectAll().orderBy('team_id').execute();
      return rows.map((r) => ({ teamId: r.team_id === 0 ? null : r.team_id, lastPrunedId: r.last_pruned_id, prunedAt: r.pruned_at }));
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
