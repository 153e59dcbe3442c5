import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Database, Dialect } from './schema.js';

/** The PostgreSQL channel on which processes tell each other which cached verifications to forget. */
export const INVALIDATION_CHANNEL = 'keyhold_invalidations';

/** Sends a notification; inside a transaction PostgreSQL delivers it only on commit. No-op on SQLite. */
export async function notify(db: Kysely<Database>, dialect: Dialect, payload: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_notify(${INVALIDATION_CHANNEL}, ${payload})`.execute(db);
}

export interface Subscription {
  /** Resolves once the first LISTEN is in place (immediately on SQLite). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Listens for invalidations on a dedicated connection, reconnecting with backoff up to 5 s. After
 * each (re)connect `onMessage('*')` is called: anything may have been missed meanwhile. While the
 * connection is down, caches keep their entries until their own lifetimes end (the documented bound
 * on staleness), so a database outage does not also stop verification of recently seen keys.
 * On SQLite there is nothing to listen to: one process owns the file, and cache lifetimes bound staleness.
 */
export function subscribe(cfg: Config['database'], onMessage: (payload: string) => void, onError?: (err: Error) => void): Subscription {
  if (cfg.kind !== 'postgres') return { ready: Promise.resolve(), close: async () => {} };
  let closed = false;
  let client: pg.Client | undefined;
  let delay = 100;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void;
  const ready = new Promise<void>((r) => (markReady = r));

  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: cfg.url });
    client = c;
    let failed = false;
    const fail = (err?: Error) => {
      if (failed) return;
      failed = true;
      if (err) onError?.(err);
      c.removeAllListeners('notification');
      c.end().catch(() => {});
      if (closed) return;
      timer = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, 5000);
    };
    c.on('error', fail);
    c.on('end', () => fail());
    c.on('notification', (msg) => {
      if (msg.channel === INVALIDATION_CHANNEL) onMessage(msg.payload ?? '*');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${INVALIDATION_CHANNEL}`);
      delay = 100;
      onMessage('*'); // whatever happened while we were not listening is unknown
      markReady();
    } catch (err) {
      fail(err as Error);
    }
  };
  void connect();

  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}
