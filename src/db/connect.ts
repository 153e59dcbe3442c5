import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Database, Dialect } from './schema.js';

export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for messages (never includes a password). */
  describe: string;
  close(): Promise<void>;
}

/** pg hands int8 back as a string; every int8 of ours is an epoch-ms or a count well under 2^53. */
function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === 20) return (v: string) => (v === null ? null : Number(v));
      return pg.types.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

/** Opens the configured database: the one place that branches on SQLite versus PostgreSQL. */
export function openDatabase(cfg: Config['database']): Db {
  if (cfg.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: cfg.url, max: cfg.poolMax, types: pgTypes(), connectionTimeoutMillis: 5000 });
    // An idle client that loses its connection emits 'error' on the pool; without a listener that kills the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', describe: redactUrl(cfg.url), close: () => db.destroy() };
  }
  fs.mkdirSync(path.dirname(cfg.file), { recursive: true });
  const sqlite = new SQLite(cfg.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', describe: cfg.file, close: () => db.destroy() };
}

/** Did a write fail on a unique index? Both databases report it differently. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
