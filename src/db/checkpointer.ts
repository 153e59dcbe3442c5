import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** The page count at which SQLite would checkpoint by itself, restored if the worker fails. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

export interface Checkpointer {
  /** Frames in the WAL and frames copied back at the last checkpoint, for tests and diagnostics. */
  last(): { log: number; checkpointed: number } | undefined;
  /** Asks for a checkpoint now; resolves when it has run. */
  now(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the server's thread. By default the connection that commits
 * past 1000 WAL pages copies them into the database file and syncs it, inside that commit: on the
 * one thread that also answers every request, a burst of writes (a usage flush over many keys)
 * then stalls requests for milliseconds at a time. Here the server's connection never checkpoints;
 * a worker thread with its own connection runs a PASSIVE checkpoint (which never blocks readers or
 * writers) every `intervalMs`. If the worker dies, the connection checkpoints by itself again.
 */
export function startCheckpointer(sqlite: SQLite.Database, file: string, intervalMs = 500): Checkpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { file, intervalMs } });
  worker.unref();
  let last: { log: number; checkpointed: number } | undefined;
  const waiting: Array<() => void> = [];
  const fallBack = () => {
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    for (const w of waiting.splice(0)) w();
  };
  worker.on('message', (m: { type: string; log?: number; checkpointed?: number }) => {
    if (m.type === 'checkpoint') last = { log: m.log!, checkpointed: m.checkpointed! };
    for (const w of waiting.splice(0)) w();
  });
  worker.on('error', fallBack);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopped = false;
  void exited.then(() => {
    if (!stopped) fallBack();
  });
  return {
    last: () => last,
    now: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        worker.postMessage('now');
      }),
    async stop() {
      if (stopped) return;
      stopped = true;
      worker.ref(); // keep the event loop alive until the worker has closed its connection
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
      await worker.terminate();
    },
  };
}
