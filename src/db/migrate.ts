import { type Kysely, Migrator, sql, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import type { Db } from './connect.js';
import * as m001 from './migrations/001-initial.js';
import * as m002 from './migrations/002-caas.js';
import * as m003 from './migrations/003-console.js';
import * as m005 from './migrations/005-rate-limits.js';
import * as m006 from './migrations/006-audit-newest-first.js';
import * as m004 from './migrations/004-lifecycle.js';
import * as m009 from './migrations/009-ssh-signing.js';
import * as m010 from './migrations/010-ssh-ca.js';
import * as m011 from './migrations/011-audit-chain.js';
import * as m012 from './migrations/012-usage.js';
import * as m013 from './migrations/013-webhook-secret-rotation.js';
import * as m007 from './migrations/007-webhook-scheduling.js';
import * as m008 from './migrations/008-retention.js';

type MigrationModule = { up(db: Kysely<any>, dialect: Db['dialect']): Promise<void> };
const MIGRATIONS: Record<string, MigrationModule> = {
  '001-initial': m001,
  '002-caas': m002,
  '003-console': m003,
  '004-lifecycle': m004,
  '005-rate-limits': m005,
  '006-audit-newest-first': m006,
  '007-webhook-scheduling': m007,
  '008-retention': m008,
  '009-ssh-signing': m009,
  '010-ssh-ca': m010,
  '011-audit-chain': m011,
  '012-usage': m012,
  '013-webhook-secret-rotation': m013,
};

/** Names of every migration this build knows, oldest first. */
export const MIGRATION_NAMES = Object.keys(MIGRATIONS).sort();

function provider(dialect: Db['dialect']): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, mod] of Object.entries(MIGRATIONS)) out[name] = { up: (db) => mod.up(db, dialect) };
      return out;
    },
  };
}

/**
 * On PostgreSQL the migration tables live in the connection's current schema, named explicitly:
 * Kysely's existence check otherwise sees same-named tables of any other schema in the database.
 */
async function migratorFor(handle: Db): Promise<Migrator> {
  let migrationTableSchema: string | undefined;
  if (handle.dialect === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db);
    migrationTableSchema = rows[0]?.schema;
  }
  return new Migrator({ db: handle.db, provider: provider(handle.dialect), migrationTableSchema });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isBusy(err: unknown): boolean {
  const code = err !== null && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : '';
  // SQLite: another process holds the write lock. PostgreSQL: two processes raced to create the migration tables.
  return code.startsWith('SQLITE_BUSY') || ['23505', '42P06', '42P07'].includes(code);
}

/**
 * A URL may name a schema (`?options=-c%20search_path%3Dkeyhold`). When it does not exist yet,
 * PostgreSQL has no current schema, and every table would fail with "relation does not exist": it
 * is created here (if the role may), else the error names it.
 */
async function ensureSchema(handle: Db): Promise<void> {
  const { rows } = await sql<{ current: string | null; path: string }>`select current_schema() as current, current_setting('search_path') as path`.execute(handle.db);
  if (rows[0]?.current) return;
  const first = (rows[0]?.path ?? '').split(',')[0]?.trim().replace(/^"(.*)"$/, '$1');
  if (!first || first === '$user') throw new Error(`the PostgreSQL search_path (${rows[0]?.path ?? ''}) names no schema keyhold can use: set one in KEYHOLD_DATABASE_URL (?options=-c%20search_path%3Dkeyhold)`);
  try {
    await sql`create schema if not exists ${sql.id(first)}`.execute(handle.db);
  } catch (err) {
    // Another process starting at the same moment created it first.
    if (isBusy(err)) return;
    throw new Error(`the PostgreSQL schema ${JSON.stringify(first)} named by search_path does not exist, and keyhold could not create it (${(err as Error).message}): create it, or grant CREATE on the database`, { cause: err });
  }
}

/**
 * Brings the schema to the latest version. Safe when several processes start at once: PostgreSQL
 * serialises through Kysely's advisory lock, SQLite through its write lock, and a lost race is retried.
 */
export async function migrateToLatest(handle: Db): Promise<MigrationResult[]> {
  if (handle.dialect === 'postgres') await ensureSchema(handle);
  const migrator = await migratorFor(handle);
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return results ?? [];
    if (attempt >= 20 || !isBusy(error)) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
    await sleep(50 * attempt);
  }
}

/** Migrations this build knows that the database has not applied yet. */
export async function pendingMigrations(handle: Db): Promise<string[]> {
  const migrator = await migratorFor(handle);
  const all = await migrator.getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
