import type { Kysely } from 'kysely';
import { dialectOf } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { subscribes } from '../domain/events.js';

/** An event as the outbox keeps it: `payload` is the JSON text every endpoint receives, signed. */
export interface NewEvent {
  /** The message id (`webhook-id`), the same for every endpoint and every attempt. */
  uid: string;
  /** null: an instance-wide event (master key rotation), offered to every team's endpoints. */
  teamId: number | null;
  type: string;
  payload: string;
  createdAt: number;
}

export interface StoredEvent extends NewEvent {
  id: number;
}

export function eventsRepository(db: Kysely<Database>) {
  return {
    /**
     * Appends an event and a pending delivery for every enabled endpoint subscribed to its type (the
     * team's, or every team's for an instance-wide event). Run it in the change's own transaction:
     * the change, its event and its deliveries commit together or not at all. With `onlyTo`, the one
     * delivery goes to that endpoint whatever it subscribes to (a test event).
     */
    async insert(e: NewEvent, opts: { onlyTo?: string } = {}): Promise<{ id: number; deliveries: number }> {
      const { id } = await db
        .insertInto('events')
        .values({ uid: e.uid, team_id: e.teamId, type: e.type, payload: e.payload, created_at: e.createdAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      let q = db.selectFrom('webhooks').select(['id', 'events']).where('disabled_at', 'is', null);
      if (e.teamId !== null) q = q.where('team_id', '=', e.teamId);
      if (opts.onlyTo !== undefined) q = q.where('id', '=', opts.onlyTo);
      const targets = (await q.execute()).filter((w) => opts.onlyTo !== undefined || subscribes(JSON.parse(w.events) as string[], e.type));
      if (targets.length > 0) {
        await db
          .insertInto('webhook_deliveries')
          .values(targets.map((w) => ({ webhook_id: w.id, event_id: id, status: 'pending', attempts: 0, next_attempt_at: e.createdAt, created_at: e.createdAt })))
          .execute();
      }
      return { id, deliveries: targets.length };
    },
    /**
     * Deletes up to `limit` of the oldest events created before `before` that no delivery refers to
     * (so the foreign key's cascade never takes a delivery with it: a pending delivery keeps its event,
     * and so does one the delivery log still shows). How many were. On PostgreSQL events another
     * transaction holds (a delivery being added for it) are skipped.
     */
    async pruneUnreferenced(before: number, limit: number): Promise<number> {
      let ids = db
        .selectFrom('events as e')
        .select('e.id')
        .where('e.created_at', '<', before)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id'))))
        .orderBy('e.created_at')
        .limit(limit);
      if (dialectOf(db) === 'postgres') ids = ids.forUpdate().skipLocked();
      const r = await db.deleteFrom('events').where('id', 'in', ids).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async findByIds(ids: number[]): Promise<StoredEvent[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('events').selectAll().where('id', 'in', ids).execute();
      return rows.map((r) => ({ id: r.id, uid: r.uid, teamId: r.team_id, type: r.type, payload: r.payload, createdAt: r.created_at }));
    },
    /** Events of a team (or instance-wide, with null), oldest first: for tests and audits of the outbox. */
    async list(filter: { teamId?: number | null; type?: string } = {}): Promise<StoredEvent[]> {
      let q = db.selectFrom('events').selectAll().orderBy('id');
      if (filter.teamId === null) q = q.where('team_id', 'is', null);
      else if (filter.teamId !== undefined) q = q.where('team_id', '=', filter.teamId);
      if (filter.type !== undefined) q = q.where('type', '=', filter.type);
      return (await q.execute()).map((r) => ({ id: r.id, uid: r.uid, teamId: r.team_id, type: r.type, payload: r.payload, createdAt: r.created_at }));
    },
  };
}
export type EventsRepository = ReturnType<typeof eventsRepository>;
