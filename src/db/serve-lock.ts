import fs from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/**
 * One `keyhold serve` per SQLite file. Two servers on one file would each keep caches the other's
 * writes never invalidate (a disabled key admitted for 30 s), so the second refuses to start and
 * says which process holds the store. The lock is SQLite's own file lock on a small file beside the
 * store (`<file>-serve.lock`), held in EXCLUSIVE locking mode for the server's life: the kernel
 * releases it when the process ends, however it ends, so a crash never leaves a stale lock.
 * Command-line processes never take it: they work while a server runs.
 */

/** The keyhold_meta row naming the process that serves the store. */
const HOLDER = 'serving_process';

export class StoreInUse extends Error {
  constructor(file: string, holder: string | undefined) {
    super(
      `another keyhold serve${holder ? ` (${holder})` : ''} already serves the SQLite store at ${file}: one server per SQLite file, ` +
        "since servers on one file would not see each other's changes. Stop it first, or use PostgreSQL for several processes (KEYHOLD_DATABASE_URL=postgres://…).",
    );
    this.name = 'StoreInUse';
  }
}

export interface ServeLock {
  /** Records this process as the holder, for the message another server will print. */
  announce(db: Kysely<Database>, now: number): Promise<void>;
  release(): void;
}

/** Who holds the store, as the holder announced it (undefined when it has not yet). */
function readHolder(file: string): string | undefined {
  try {
    const db = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('select value from keyhold_meta where name = ?').get(HOLDER) as { value: string } | undefined;
      if (!row) return undefined;
      const h = JSON.parse(row.value) as { pid: number; host: string; started_at: string };
      return `pid ${h.pid} on ${h.host}, started ${h.started_at}`;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Takes the serving lock of a SQLite store (made before the store itself, on a first start), or
 * throws StoreInUse naming the holder. In a directory this process cannot write, there is no lock
 * to take: the server's check that it can write its store refuses to start there anyway.
 */
export function lockForServing(file: string): ServeLock {
  const path = `${file}-serve.lock`;
  try {
    fs.mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    fs.closeSync(fs.openSync(path, 'a', 0o600));
  } catch (err) {
    if (UNWRITABLE.has((err as NodeJS.ErrnoException).code ?? '')) return { announce: async () => {}, release: () => {} };
    throw err;
  }
  const lock = new SQLite(path);
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.pragma('busy_timeout = 0');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new StoreInUse(file, readHolder(file));
    throw err;
  }
  return {
    async announce(db, now) {
      const value = JSON.stringify({ pid: process.pid, host: os.hostname(), started_at: new Date(now).toISOString() });
      await sql`insert into keyhold_meta (name, value) values (${HOLDER}, ${value}) on conflict (name) do update set value = excluded.value`.execute(db);
    },
    release() {
      if (lock.open) lock.close();
    },
  };
}
