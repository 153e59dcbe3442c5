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
 * WAL pages past which the server's own connection checkpoints after a commit, as SQLite does by
 * default at 1000: the safety net under the worker (about 40 MB of WAL).
 */
export const WAL_SAFETY_NET_PAGES = 10_000;

/**
 * Moves SQLite's WAL checkpoints off the server's thread. By default the connection that commits
 * past 1000 WAL pages copies them into the database file and syncs it, inside that commit: on the
 * one thread that also answers every request, a burst of writes (a usage flush over many keys)
 * then stalls requests for milliseconds at a time. Here a worker thread with its own connection runs
 * a PASSIVE checkpoint (which never blocks readers or writers) every `intervalMs`.
 *
 * The worker alone cannot keep the WAL small under continuous writes: SQLite starts the WAL over
 * only when a write begins while every frame is already copied back, and with commits arriving
 * all the time a checkpoint on another thread never finishes before the next frame is appended
 * (a 4-minute soak grew a 10 GB WAL). So the server's connection keeps a high automatic
 * checkpoint (`safetyNetPages`): past it, the committing connection copies back the few frames the
 * worker has not, the next write starts the WAL over, and the file is cut back to the
 * `journal_size_limit`. If the worker dies, the connection checkpoints at SQLite's default again.
 */
export function startCheckpointer(sqlite: SQLite.Database, file: string, opts: { intervalMs?: number; safetyNetPages?: number } = {}): Checkpointer {
  const intervalMs = opts.intervalMs ?? 500;
  sqlite.pragma(`wal_autocheckpoint = ${opts.safetyNetPages ?? WAL_SAFETY_NET_PAGES}`);
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
