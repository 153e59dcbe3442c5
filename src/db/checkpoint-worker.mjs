// Runs SQLite WAL checkpoints for a server process on a thread of their own (see checkpointer.ts).
// Plain JavaScript: worker threads do not inherit the tsx loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
let stopping = false;

function checkpoint() {
  if (stopping) return;
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint', log: row.log, checkpointed: row.checkpointed });
  } catch (err) {
    parentPort.postMessage({ type: 'error', message: String(err && err.message) });
  }
}

const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'now') checkpoint();
  if (m === 'stop') {
    stopping = true;
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
