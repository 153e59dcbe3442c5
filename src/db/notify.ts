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

/** How often a SQLite server looks for commits by other processes. */
export const SQLITE_POLL_MS = 250;

/** SQLite: tells `*` whenever another connection committed (see subscribe). */
function pollDataVersion(onMessage: (payload: string) => void, dataVersion?: () => number): Subscription {
  if (!dataVersion) return { ready: Promise.resolve(), close: async () => {} };
  let seen = dataVersion();
  const timer = setInterval(() => {
    let now: number;
    try {
      now = dataVersion();
    } catch {
      return; // the connection is closing
    }
    if (now !== seen) {
      seen = now;
      onMessage('*');
    }
  }, SQLITE_POLL_MS);
  timer.unref();
  return { ready: Promise.resolve(), close: async () => clearInterval(timer) };
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
 *
 * On SQLite one server owns the file (db/serve-lock.ts), and the only other writers are `keyhold`
 * commands. With `dataVersion` (the server's own connection's PRAGMA data_version, which moves only
 * when another connection commits), it is polled every SQLITE_POLL_MS and any change is `*`: the CLI's
 * changes (a revoked token, a rerolled key) reach the server within that, and cache lifetimes bound
 * anything else.
 */
export function subscribe(cfg: Config['database'], onMessage: (payload: string) => void, onError?: (err: Error) => void, dataVersion?: () => number): Subscription {
  if (cfg.kind !== 'postgres') return pollDataVersion(onMessage, dataVersion);
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
