import { type Kysely, type Selectable, sql } from 'kysely';
import { dialectOf } from '../db/connect.js';
import type { Database, Dialect } from '../db/schema.js';

type Row = Selectable<Database['webhook_deliveries']>;

/** The PostgreSQL advisory lock that makes leasing one process at a time (any fixed number unused elsewhere). */
const LEASE_LOCK = 7_206_113_401;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  id: number;
  webhookId: string;
  eventId: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  latencyMs: number | null;
  createdAt: number;
  lastAttemptAt: number | null;
  deliveredAt: number | null;
}

/** The outcome of one attempt, and what becomes of the delivery. */
export interface AttemptResult {
  status: DeliveryStatus;
  at: number;
  nextAttemptAt: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  latencyMs: number | null;
}

const toDelivery = (r: Row): Delivery => ({
  id: r.id,
  webhookId: r.webhook_id,
  eventId: r.event_id,
  status: r.status as DeliveryStatus,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  responseStatus: r.response_status,
  responseBody: r.response_body,
  error: r.error,
  latencyMs: r.latency_ms,
  createdAt: r.created_at,
  lastAttemptAt: r.last_attempt_at,
  deliveredAt: r.delivered_at,
});

/**
 * The lease statement (see `lease`), built apart so the query-plan test can look at it.
 */
export function leaseStatement(dialect: Dialect, owner: string, now: number, leaseMs: number, limit: number, perEndpoint: number) {
  const postgres = dialect === 'postgres';
  // Each enabled endpoint's oldest `perEndpoint` due deliveries whose lease is free…
  const perEndpointDue = postgres
    ? sql`from webhooks w cross join lateral (
          select x.id, x.next_attempt_at from webhook_deliveries x
          where x.webhook_id = w.id and x.status = 'pending' and x.next_attempt_at <= ${now} and (x.lease_until is null or x.lease_until <= ${now})
          order by x.next_attempt_at, x.id limit ${perEndpoint}) d`
    : // (The index's own order breaks ties by rowid: naming `x.id` here would make SQLite sort the whole range.)
      sql`from webhooks w join webhook_deliveries d on d.id in (
          select x.id from webhook_deliveries x
          where x.webhook_id = w.id and x.status = 'pending' and x.next_attempt_at <= ${now} and (x.lease_until is null or x.lease_until <= ${now})
          order by x.next_attempt_at limit ${perEndpoint})`;
  // …ranked within the endpoint, less the slots its live leases take, oldest ranks first.
  return sql<Row>`
    update webhook_deliveries set lease_owner = ${owner}, lease_until = ${now + leaseMs}
    where id in (
      select id from (
        select d.id, d.next_attempt_at,
          row_number() over (partition by w.id order by d.next_attempt_at, d.id) as rank,
          (select count(*) from webhook_deliveries y
            where y.webhook_id = w.id and y.lease_owner is not null and y.lease_until > ${now} and y.status = 'pending') as busy
        ${perEndpointDue}
        where w.disabled_at is null and (w.backoff_until is null or w.backoff_until <= ${now})
      ) ranked
      where rank <= ${perEndpoint} - busy
      order by rank, next_attempt_at, id
      limit ${limit}
    )
    ${
      // PostgreSQL re-checks rows another transaction changed meanwhile (a redeliver, a completion); one
      // SQLite statement has the database to itself, and this condition would make it scan by status.
      postgres ? sql`and status = 'pending' and (lease_until is null or lease_until <= ${now})` : sql``
    }
    returning *`;
}

export function webhookDeliveriesRepository(db: Kysely<Database>) {
  return {
    /**
     * Leases up to `limit` due deliveries to `owner` until `now + leaseMs`, fairly across endpoints: at
     * most `perEndpoint` in flight to one endpoint (counting every process's live leases), round-robin
     * (each endpoint's oldest due delivery first, then each one's second, …), and none of an endpoint
     * that is disabled or backing off. One UPDATE whose candidates come from each endpoint's own index
     * range, so its cost follows the number of endpoints, not the backlog. On PostgreSQL leases are
     * taken one process at a time (a transaction-scoped advisory lock), so two processes cannot both
     * count an endpoint's slots as free; the UPDATE re-checks that each row is still pending and free.
     * SQLite runs the one statement under its write lock. A lease that runs out (its holder died)
     * makes the delivery due again.
     */
    async lease(owner: string, now: number, leaseMs: number, limit: number, perEndpoint: number): Promise<Delivery[]> {
      if (limit <= 0) return [];
      const run = async (q: Kysely<Database>): Promise<Row[]> => {
        const postgres = dialectOf(q) === 'postgres';
        if (postgres) await sql`select pg_advisory_xact_lock(${LEASE_LOCK})`.execute(q);
        const { rows } = await leaseStatement(dialectOf(q), owner, now, leaseMs, limit, perEndpoint).execute(q);
        return rows;
      };
      const rows = db.isTransaction || dialectOf(db) === 'sqlite' ? await run(db) : await db.transaction().execute(run);
      return rows.map(toDelivery).sort((a, b) => a.id - b.id);
    },
    /** Records an attempt made under `owner`'s lease and ends the lease; false when the lease was lost meanwhile. */
    async complete(id: number, owner: string, r: AttemptResult): Promise<boolean> {
      const res = await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: r.status,
          attempts: eb('attempts', '+', 1),
          next_attempt_at: r.nextAttemptAt,
          lease_owner: null,
          lease_until: null,
          response_status: r.responseStatus,
          response_body: r.responseBody,
          error: r.error,
          latency_ms: r.latencyMs,
          last_attempt_at: r.at,
          delivered_at: r.status === 'delivered' ? r.at : null,
        }))
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /** Gives back the leases `owner` holds (all, or those of `ids`: a process closing), so another process may send them at once. */
    async release(owner: string, ids?: number[]): Promise<void> {
      if (ids?.length === 0) return;
      let q = db.updateTable('webhook_deliveries').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner).where('status', '=', 'pending');
      if (ids) q = q.where('id', 'in', ids);
      await q.execute();
    },
    /** A new pending delivery of an event to an endpoint (a redelivery). */
    async insert(webhookId: string, eventId: number, at: number): Promise<Delivery> {
      const row = await db
        .insertInto('webhook_deliveries')
        .values({ webhook_id: webhookId, event_id: eventId, status: 'pending', attempts: 0, next_attempt_at: at, created_at: at })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDelivery(row);
    },
    /** `lock`: on PostgreSQL the row is locked for the rest of the transaction (a redeliver deciding what to do with it). */
    async find(webhookId: string, id: number, opts: { lock?: boolean } = {}): Promise<Delivery | undefined> {
      let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).where('id', '=', id);
      if (opts.lock && dialectOf(db) === 'postgres') q = q.forUpdate();
      const row = await q.executeTakeFirst();
      return row && toDelivery(row);
    },
    /** The pending delivery of an event to an endpoint, if there is one (a redeliver makes at most one). */
    async findPending(webhookId: string, eventId: number): Promise<Delivery | undefined> {
      const row = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('webhook_id', '=', webhookId)
        .where('event_id', '=', eventId)
        .where('status', '=', 'pending')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row && toDelivery(row);
    },
    /**
     * Makes a pending delivery due at `at`, unless a process holds a live lease on it (an attempt is in
     * flight): undefined then, or when it is no longer pending. One conditional statement, so it and a
     * worker's lease cannot both win.
     */
    async reschedule(id: number, at: number): Promise<Delivery | undefined> {
      const row = await db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: at })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
        .returningAll()
        .executeTakeFirst();
      return row && toDelivery(row);
    },
    /**
     * Deletes up to `limit` of the oldest deliveries created before `before` that are done (delivered or
     * failed); a pending one, being retried, is never deleted. How many were. On PostgreSQL rows another
     * transaction holds (a redeliver deciding about one, another server's pruner) are skipped.
     */
    async pruneFinished(before: number, limit: number): Promise<number> {
      // `<> 'pending'` (delivered or failed) rather than `in (…)`: an equality would lead SQLite to the status index, every finished row, sorted.
      let ids = db.selectFrom('webhook_deliveries').select('id').where('created_at', '<', before).where('status', '<>', 'pending').orderBy('created_at').limit(limit);
      if (dialectOf(db) === 'postgres') ids = ids.forUpdate().skipLocked();
      const r = await db.deleteFrom('webhook_deliveries').where('id', 'in', ids).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    /** An endpoint's deliveries, newest first, before `beforeId`. */
    async list(webhookId: string, limit: number, beforeId?: number): Promise<Delivery[]> {
      let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
      if (beforeId !== undefined) q = q.where('id', '<', beforeId);
      return (await q.orderBy('id', 'desc').limit(limit).execute()).map(toDelivery);
    },
  };
}
export type WebhookDeliveriesRepository = ReturnType<typeof webhookDeliveriesRepository>;
