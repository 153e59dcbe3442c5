import type { Kysely, Selectable } from 'kysely';
import { dialectOf } from '../db/connect.js';
import type { Database } from '../db/schema.js';

type Row = Selectable<Database['webhook_deliveries']>;

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

export function webhookDeliveriesRepository(db: Kysely<Database>) {
  return {
    /**
     * Leases up to `limit` due deliveries of enabled endpoints to `owner` until `now + leaseMs`, in one
     * statement. On PostgreSQL the candidate rows are locked with SKIP LOCKED, so processes leasing at
     * the same moment take different rows; on SQLite the statement runs under the one write lock. A
     * lease that runs out (its holder died) makes the delivery due again.
     */
    async lease(owner: string, now: number, leaseMs: number, limit: number): Promise<Delivery[]> {
      let due = db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .where('webhook_id', 'in', db.selectFrom('webhooks').select('id').where('disabled_at', 'is', null))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit);
      if (dialectOf(db) === 'postgres') due = due.forUpdate().skipLocked();
      const rows = await db
        .updateTable('webhook_deliveries')
        .set({ lease_owner: owner, lease_until: now + leaseMs })
        .where('id', 'in', due)
        .returningAll()
        .execute();
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
    /** Gives back every lease `owner` holds (a process closing), so another process may send them at once. */
    async release(owner: string): Promise<void> {
      await db.updateTable('webhook_deliveries').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner).where('status', '=', 'pending').execute();
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
    /** An endpoint's deliveries, newest first, before `beforeId`. */
    async list(webhookId: string, limit: number, beforeId?: number): Promise<Delivery[]> {
      let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
      if (beforeId !== undefined) q = q.where('id', '<', beforeId);
      return (await q.orderBy('id', 'desc').limit(limit).execute()).map(toDelivery);
    },
  };
}
export type WebhookDeliveriesRepository = ReturnType<typeof webhookDeliveriesRepository>;
