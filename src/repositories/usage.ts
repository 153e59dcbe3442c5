import type { Kysely } from 'kysely';
import { dialectOf } from '../db/connect.js';
import type { Database } from '../db/schema.js';

/** One count of answers: a team (0: none), a key (0: none), a period's start (epoch ms) and a code. */
export interface UsageRow {
  teamId: number;
  keyId: number;
  start: number;
  code: string;
  count: number;
}

/** One recorded refusal of a known key. */
export interface RefusalRow {
  teamId: number;
  keyId: number;
  at: number;
  code: string;
  container: string;
  namespace: string;
  ip: string | null;
  requestId: string | null;
}

export type UsageTable = 'usage_minutes' | 'usage_hours';

/** What a series read asks for: a team's rows, one key's (or, with `keyId` undefined, all of them), in [from, to). */
export interface UsageQuery {
  teamId: number;
  keyId?: number;
  from: number;
  to: number;
}

/** Persisted verification usage and the recent-refusals log (services/usage-counter.ts writes, services/usage.ts reads). */
export function usageRepository(db: Kysely<Database>) {
  /** Adds counts to a period table: one upsert for every row (rows unique by team, key, start, code). */
  async function add(table: UsageTable, rows: readonly UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (table === 'usage_minutes') {
      await db
        .insertInto('usage_minutes')
        .values(rows.map((r) => ({ team_id: r.teamId, key_id: r.keyId, minute: r.start, code: r.code, count: r.count })))
        .onConflict((oc) => oc.columns(['team_id', 'key_id', 'minute', 'code']).doUpdateSet((eb) => ({ count: eb('usage_minutes.count', '+', eb.ref('excluded.count')) })))
        .execute();
    } else {
      await db
        .insertInto('usage_hours')
        .values(rows.map((r) => ({ team_id: r.teamId, key_id: r.keyId, hour: r.start, code: r.code, count: r.count })))
        .onConflict((oc) => oc.columns(['team_id', 'key_id', 'hour', 'code']).doUpdateSet((eb) => ({ count: eb('usage_hours.count', '+', eb.ref('excluded.count')) })))
        .execute();
    }
  }

  return {
    add,
    /** Sums per period start and code (and key, with `byKey`), from one table. */
    async sums(table: UsageTable, q: UsageQuery, byKey = false): Promise<UsageRow[]> {
      type Out = { start: number | string; code: string; count: number | string; key_id: number };
      let rows: Out[];
      if (table === 'usage_minutes') {
        let query = db
          .selectFrom('usage_minutes')
          .select((eb) => [eb.ref('minute').as('start'), 'code', eb.fn.sum<number | string>('count').as('count'), byKey ? 'key_id' : eb.lit(0).as('key_id')])
          .where('team_id', '=', q.teamId)
          .where('minute', '>=', q.from)
          .where('minute', '<', q.to)
          .groupBy(['minute', 'code']);
        if (q.keyId !== undefined) query = query.where('key_id', '=', q.keyId);
        if (byKey) query = query.groupBy('key_id');
        rows = await query.execute();
      } else {
        let query = db
          .selectFrom('usage_hours')
          .select((eb) => [eb.ref('hour').as('start'), 'code', eb.fn.sum<number | string>('count').as('count'), byKey ? 'key_id' : eb.lit(0).as('key_id')])
          .where('team_id', '=', q.teamId)
          .where('hour', '>=', q.from)
          .where('hour', '<', q.to)
          .groupBy(['hour', 'code']);
        if (q.keyId !== undefined) query = query.where('key_id', '=', q.keyId);
        if (byKey) query = query.groupBy('key_id');
        rows = await query.execute();
      }
      return rows.map((r) => ({ teamId: q.teamId, keyId: byKey ? r.key_id : (q.keyId ?? 0), start: Number(r.start), code: r.code, count: Number(r.count) }));
    },
    /**
     * Moves up to `limit` minute rows older than `before` into hour rows, in one transaction: the
     * rows are deleted (returning their counts) and their sums added to the hours. On PostgreSQL rows
     * another server is rolling up are skipped, so no minute is counted twice.
     */
    async rollUpMinutes(before: number, limit: number): Promise<number> {
      return db.transaction().execute(async (trx) => {
        let ids = trx.selectFrom('usage_minutes').select('id').where('minute', '<', before).orderBy('minute').limit(limit);
        if (dialectOf(trx) === 'postgres') ids = ids.forUpdate().skipLocked();
        const moved = await trx.deleteFrom('usage_minutes').where('id', 'in', ids).returning(['team_id', 'key_id', 'minute', 'code', 'count']).execute();
        const hours = new Map<string, UsageRow>();
        for (const m of moved) {
          const start = Math.floor(Number(m.minute) / 3_600_000) * 3_600_000;
          const id = `${m.team_id}:${m.key_id}:${start}:${m.code}`;
          const row = hours.get(id);
          if (row) row.count += Number(m.count);
          else hours.set(id, { teamId: m.team_id, keyId: m.key_id, start, code: m.code, count: Number(m.count) });
        }
        // In key order, so two servers upserting the same hours lock them in the same order.
        const rows = [...hours.values()].sort(compareRows);
        await usageRepository(trx).add('usage_hours', rows);
        return moved.length;
      });
    },
    /** Deletes up to `limit` hour rows older than `before`; how many. */
    async pruneHours(before: number, limit: number): Promise<number> {
      let ids = db.selectFrom('usage_hours').select('id').where('hour', '<', before).orderBy('hour').limit(limit);
      if (dialectOf(db) === 'postgres') ids = ids.forUpdate().skipLocked();
      const r = await db.deleteFrom('usage_hours').where('id', 'in', ids).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async addRefusals(rows: readonly RefusalRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insertInto('key_refusals')
        .values(rows.map((r) => ({ team_id: r.teamId, key_id: r.keyId, at: r.at, code: r.code, container: r.container, namespace: r.namespace, ip: r.ip, request_id: r.requestId })))
        .execute();
    },
    /** Keeps each of these keys' newest `keep` refusals. */
    async trimRefusals(keyIds: readonly number[], keep: number): Promise<void> {
      for (const keyId of keyIds) {
        const newest = db.selectFrom('key_refusals').select('id').where('key_id', '=', keyId).orderBy('id', 'desc').limit(keep);
        await db.deleteFrom('key_refusals').where('key_id', '=', keyId).where('id', 'not in', newest).execute();
      }
    },
    /** A key's newest refusals first. */
    async refusals(teamId: number, keyId: number, limit: number): Promise<RefusalRow[]> {
      const rows = await db.selectFrom('key_refusals').selectAll().where('key_id', '=', keyId).where('team_id', '=', teamId).orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({ teamId: r.team_id, keyId: r.key_id, at: r.at, code: r.code, container: r.container, namespace: r.namespace, ip: r.ip, requestId: r.request_id }));
    },
  };
}
export type UsageRepository = ReturnType<typeof usageRepository>;

/** Team, key, start, code: the order every upsert writes in. */
export function compareRows(a: UsageRow, b: UsageRow): number {
  return a.teamId - b.teamId || a.keyId - b.keyId || a.start - b.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
