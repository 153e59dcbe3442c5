import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type DatabaseConnection, Kysely, PostgresAdapter, PostgresDialect, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { type Checkpointer, startCheckpointer } from './checkpointer.js';
import { describeOutage } from './outage.js';
import type { Database, Dialect } from './schema.js';

export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for messages (never includes a password). */
  describe: string;
  close(): Promise<void>;
  /** Connection counts for metrics, read at call time (optional so other `Db` makers need not provide it). */
  stats?: () => DbStats;
  /** SQLite with `backgroundCheckpoints`: the worker that checkpoints the WAL. */
  checkpointer?: Checkpointer;
  /**
   * SQLite: `PRAGMA data_version` of this connection, which changes only when another connection (a
   * `keyhold` command) commits; how a server notices the CLI's changes (db/notify.ts).
   */
  dataVersion?: () => number;
}

/**
 * A PostgreSQL pool's state, or SQLite's one connection. `idle + inUse` is every open connection;
 * `waiting` counts queries queued for one. SQLite reports its connection as idle while open: its
 * statements run synchronously, so none is executing while this runs.
 */
export interface DbStats {
  open: boolean;
  idle: number;
  inUse: number;
  waiting: number;
  max: number;
}

/** pg hands int8 back as a string; every int8 of ours is an epoch-ms or a count well under 2^53. */
function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === 20) return (v: string | null) => (v === null ? null : Number(v));
      const builtIn: unknown = pg.types.getTypeParser(oid, format);
      return builtIn;
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

/**
 * Opens the configured database: the one place that branches on SQLite versus PostgreSQL.
 * `backgroundCheckpoints` (long-running servers on SQLite) moves WAL checkpoints to a worker thread;
 * `noTimeouts` leaves PostgreSQL's lock and statement timeouts off (migrations).
 */
export function openDatabase(cfg: Config['database'], opts: { backgroundCheckpoints?: boolean; walSafetyNetPages?: number; noTimeouts?: boolean } = {}): Db {
  if (cfg.kind === 'postgres') {
    // A statement waiting on a lock another session holds gives up (and frees its connection) instead
    // of hanging requests and draining the pool; migrations (`noTimeouts`) may take as long as they need.
    const timeouts = opts.noTimeouts ? {} : { lock_timeout: cfg.lockTimeoutMs || undefined, statement_timeout: cfg.statementTimeoutMs || undefined };
    const pool = new pg.Pool({ connectionString: cfg.url, max: cfg.poolMax, types: pgTypes(), connectionTimeoutMillis: 5000, ...timeouts });
    // An idle client that loses its connection emits 'error' on the pool; without a listener that kills the process.
    pool.on('error', () => {});
    // A checked-out client has no pool listener, so a connection lost mid-query (restart, failover, network)
    // would emit an unhandled 'error' and crash the process. The query itself already fails with that
    // error, and the pool drops the dead client when it is released.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const stats = (): DbStats => ({
      open: !pool.ended,
      idle: pool.idleCount,
      inUse: pool.totalCount - pool.idleCount,
      waiting: pool.waitingCount,
      max: cfg.poolMax,
    });
    return { db, dialect: 'postgres', describe: redactUrl(cfg.url), close: () => db.destroy(), stats };
  }
  if (cfg.mustExist) {
    if (!fs.existsSync(cfg.file)) throw new Error(`no keyhold database at ${cfg.file}`);
  } else {
    createPrivately(cfg.file);
  }
  const sqlite = openSqlite(cfg.file);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // 32 MiB of page cache (the default is 2 MiB): lookups of a random key among 100k stay in memory.
  sqlite.pragma('cache_size = -32768');
  // When the WAL starts over after a full checkpoint, its file is cut back to 64 MiB (it is reused, not
  // truncated, otherwise: a burst would leave its size on disk for good).
  sqlite.pragma('journal_size_limit = 67108864');
  cachePreparedStatements(sqlite);
  const db = new Kysely<Database>({ dialect: new TransactionalSqliteDialect(sqlite) });
  const stats = (): DbStats => ({ open: sqlite.open, idle: sqlite.open ? 1 : 0, inUse: 0, waiting: 0, max: 1 });
  const checkpointer = opts.backgroundCheckpoints ? startCheckpointer(sqlite, cfg.file, { safetyNetPages: opts.walSafetyNetPages }) : undefined;
  const close = async () => {
    await checkpointer?.stop();
    await db.destroy();
  };
  const dataVersion = () => sqlite.pragma('data_version', { simple: true }) as number;
  return { db, dialect: 'sqlite', describe: cfg.file, close, stats, checkpointer, dataVersion };
}

/** Opens the file in WAL mode; failures name the file (SQLite's own messages do not). */
function openSqlite(file: string): SQLite.Database {
  try {
    const sqlite = new SQLite(file, { fileMustExist: true });
    sqlite.pragma('journal_mode = WAL');
    return sqlite;
  } catch (err) {
    const reason = describeOutage(err, file) ?? `cannot use the SQLite database at ${file}`;
    throw new Error(`${reason} (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

/**
 * Creates a new SQLite file 0600 in a directory created 0700, like the master key: the file holds
 * token digests and sealed keys. SQLite itself would create it 0644 (less the umask), and gives its
 * -wal and -shm files the main file's mode, so creating the main file first is enough. Existing
 * files and directories are left as they are.
 */
function createPrivately(file: string): void {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (err) {
    // Another process created it in the meantime: theirs is as good.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** How many distinct SQL texts keep their prepared statement. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running the small
 * indexed lookups on the hot paths (token and API-key digests). Statements are kept per SQL text,
 * least recently used dropped first. Safe because the driver runs each statement to completion
 * (`all`/`run`, never a half-read `iterate`), and better-sqlite3 is synchronous. A schema change
 * makes SQLite re-prepare a cached statement by itself.
 */
function cachePreparedStatements(sqlite: SQLite.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SQLite.Statement>();
  sqlite.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, stmt);
    return stmt;
  }) as typeof sqlite.prepare;
}

/**
 * SQLite does run DDL inside transactions, but Kysely's adapter says it does not, so its migrator
 * would apply migrations statement by statement: two processes starting at once on a new file then
 * both create the same table ("table already exists"). Saying so makes each run one transaction;
 * the loser of the race gets SQLITE_BUSY, rolls back, and `migrateToLatest` retries it.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class TransactionalSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: sqlite });
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }

  override createDriver(): SqliteDriver {
    return new RollbackOnlyWhenOpenDriver({ database: this.sqlite }, this.sqlite);
  }
}

/**
 * SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error): Kysely's
 * ROLLBACK then fails with "no transaction is active" and that error replaces the one that matters.
 * Rolling back only a transaction that is still open lets the real cause through.
 */
class RollbackOnlyWhenOpenDriver extends SqliteDriver {
  constructor(
    config: ConstructorParameters<typeof SqliteDriver>[0],
    private readonly sqlite: SQLite.Database,
  ) {
    super(config);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.sqlite.inTransaction) await super.rollbackTransaction(connection);
  }
}

/** Did a write fail on a unique index? Both databases report it differently. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** Which database a Kysely instance (or transaction) talks to, for the few statements that differ. */
export function dialectOf(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
