import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { DecryptionError, dataKeyAad, open } from '../crypto/envelope.js';
import { AppError } from '../domain/errors.js';
import { MIGRATION_NAMES } from './migrate.js';

/** What a backup holds, read from the file itself. */
export interface BackupSummary {
  bytes: number;
  keyVersions: number;
  privateKeys: number;
  caasKeys: number;
  teams: number;
  tokens: number;
  migrations: string[];
}

const fail = (message: string) => new AppError('bad_request', message);

/**
 * Checks that `copy` (a private copy: it is turned into a single self-contained file, out of WAL mode)
 * is an intact keyhold SQLite database whose data keys `masterKey` unwraps, and that this build knows
 * every migration it has; returns what it holds. `file` names it in messages.
 */
function inspectCopy(copy: string, file: string, masterKey: Buffer): BackupSummary {
  let db: SQLite.Database;
  try {
    db = new SQLite(copy, { fileMustExist: true });
  } catch (err) {
    throw fail(`${file} cannot be opened as a SQLite database: ${(err as Error).message}`);
  }
  try {
    let check: string;
    try {
      db.pragma('journal_mode = DELETE');
      check = (db.pragma('integrity_check', { simple: true }) as string) ?? '';
    } catch (err) {
      throw fail(`${file} is not a SQLite database (${(err as Error).message})`);
    }
    if (check !== 'ok') throw fail(`${file} is damaged: SQLite's integrity check says ${JSON.stringify(check)}`);
    const tables = new Set((db.prepare(`select name from sqlite_master where type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name));
    for (const t of ['kysely_migration', 'data_keys', 'private_keys', 'api_tokens', 'teams']) {
      if (!tables.has(t)) throw fail(`${file} is not a keyhold database (no ${t} table)`);
    }
    const migrations = (db.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>).map((r) => r.name);
    const unknown = migrations.filter((m) => !MIGRATION_NAMES.includes(m));
    if (unknown.length) throw fail(`${file} was written by a newer keyhold (migrations ${unknown.join(', ')}): restore it with that version`);
    const wrapped = db.prepare('select version, wrapped from data_keys order by version').all() as Array<{ version: number; wrapped: Buffer }>;
    for (const row of wrapped) {
      try {
        open(masterKey, row.wrapped, dataKeyAad(row.version));
      } catch (err) {
        if (!(err instanceof DecryptionError)) throw err;
        throw fail(`the configured master key does not open ${file}: it was written with a different master key (KEYHOLD_MASTER_KEY / KEYHOLD_MASTER_KEY_FILE)`);
      }
    }
    const count = (table: string) => (tables.has(table) ? Number((db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n) : 0);
    return {
      bytes: fs.statSync(copy).size,
      keyVersions: wrapped.length,
      privateKeys: count('private_keys'),
      caasKeys: count('caas_keys'),
      teams: count('teams'),
      tokens: count('api_tokens'),
      migrations,
    };
  } finally {
    db.close();
  }
}

const tempBeside = (file: string, tag: string) => path.join(path.dirname(file), `.${path.basename(file)}.${tag}-${randomBytes(4).toString('hex')}`);

/**
 * A consistent copy of a live database through SQLite's online backup API (servers keep
 * reading and writing meanwhile), written beside `dest` and renamed into place once checked.
 */
export async function backupSqlite(source: string, dest: string, masterKey: Buffer, opts: { force?: boolean; onProgress?: (done: number, total: number) => void; onCreatedDirectory?: (dir: string) => void } = {}): Promise<BackupSummary> {
  if (!fs.existsSync(source)) throw fail(`there is no database at ${source} (KEYHOLD_DATABASE_URL)`);
  if (path.resolve(source) === path.resolve(dest)) throw fail('the backup file cannot be the database itself');
  if (fs.existsSync(dest) && !opts.force) throw fail(`${dest} already exists (use --force to replace it)`);
  const dir = path.dirname(path.resolve(dest));
  if (!fs.existsSync(dir)) {
    // `keyhold backup backups/keyhold-$(date +%F).db` on the first day: the directory is made, private.
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    opts.onCreatedDirectory?.(dir);
  }
  const tmp = tempBeside(path.resolve(dest), 'partial');
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // Only ciphertexts and digests, but still nobody else's business.
    fs.closeSync(fs.openSync(tmp, 'wx', 0o600));
    await db.backup(tmp, {
      progress({ totalPages, remainingPages }) {
        opts.onProgress?.(totalPages - remainingPages, totalPages);
        return 256;
      },
    });
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    db.close();
  }
  try {
    const summary = inspectCopy(tmp, dest, masterKey);
    fs.renameSync(tmp, dest);
    return summary;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Replaces the database file with a checked backup. Refuses while any process has the database
 * open (leaving WAL mode needs every other connection closed), and keeps the file it replaces.
 */
export function restoreSqlite(backup: string, target: string, masterKey: Buffer): { summary: BackupSummary; previous: string | null } {
  if (!fs.existsSync(backup)) throw fail(`${backup} does not exist`);
  if (path.resolve(backup) === path.resolve(target)) throw fail('the backup file is the database itself');
  // Like a store keyhold creates: readable by the service's user only.
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  // Checked as the very bytes that will be installed: a copy beside the target, renamed over it at the end.
  const tmp = tempBeside(path.resolve(target), 'restore');
  fs.copyFileSync(backup, tmp, fs.constants.COPYFILE_EXCL);
  try {
    fs.chmodSync(tmp, 0o600);
    const summary = inspectCopy(tmp, backup, masterKey);
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    const previous = replace(target, tmp);
    return { summary, previous };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Moves `tmp` onto `target`, keeping the file it replaces; refuses while `target` is open anywhere. */
function replace(target: string, tmp: string): string | null {
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    const db = new SQLite(target, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 0');
      let mode: unknown;
      try {
        mode = db.pragma('journal_mode = DELETE', { simple: true });
      } catch {
        mode = 'busy';
      }
      if (mode !== 'delete') throw new AppError('conflict', `${target} is in use by another process: stop every keyhold server using it, then restore`);
    } finally {
      db.close();
    }
    previous = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(target, previous);
  }
  fs.renameSync(tmp, target);
  for (const side of ['-wal', '-shm']) fs.rmSync(target + side, { force: true });
  return previous;
}
