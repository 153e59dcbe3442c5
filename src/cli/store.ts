import fs from 'node:fs';
import type { Config } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { MIGRATION_NAMES, pendingMigrations } from '../db/migrate.js';
import { AppError } from '../domain/errors.js';
import { resolveMasterKey } from '../master-key.js';
import { createStore } from '../repositories/index.js';

/**
 * What a command may do to the store:
 * - `read`: never creates or changes anything (`teams list`, `audit`, …);
 * - `change`: changes an existing store only (`tokens create` needs a team, so a new store is useless to it);
 * - `create`: may create a new store (`serve`, `migrate`, `teams create`), and says so loudly.
 */
export type StoreUse = 'read' | 'change' | 'create';

export interface StoreState {
  /** Where the data lives, for messages (never a password). */
  where: string;
  /** keyhold's tables are there (a SQLite file with no tables counts as no store). */
  exists: boolean;
  /** Migrations this build knows that the store has not applied. */
  pending: string[];
  /** The store already holds data keys, sealed under some master key. */
  sealed: boolean;
}

/** Looks at the configured store without creating anything. */
export async function inspectStore(database: Config['database']): Promise<StoreState> {
  if (database.kind === 'sqlite' && !fs.existsSync(database.file)) return { where: database.file, exists: false, pending: MIGRATION_NAMES, sealed: false };
  const db = openDatabase(database.kind === 'sqlite' ? { ...database, mustExist: true } : database);
  try {
    const pending = await pendingMigrations(db);
    const exists = pending.length < MIGRATION_NAMES.length;
    const sealed = exists && (await createStore(db).dataKeys.newestVersion()) !== undefined;
    return { where: db.describe, exists, pending, sealed };
  } finally {
    await db.close();
  }
}

const what = (database: Config['database'], where: string) => (database.kind === 'sqlite' ? `SQLite database ${where}` : `PostgreSQL database ${where}`);

/** Prints the notice that a command is about to create a new, empty store. */
export function announceNewStore(database: Config['database'], where: string): void {
  process.stderr.write(
    [
      '',
      '  NOTICE: keyhold is creating a new, empty store:',
      `    ${what(database, where)}${database.kind === 'sqlite' ? ' (file 0600, new directories 0700)' : ''}`,
      '  If you expected existing data, stop now and check KEYHOLD_DATA_DIR, KEYHOLD_DATABASE_URL and the working directory.',
      '',
      '',
    ].join('\n'),
  );
}

/**
 * The configuration a command runs with, after checking the store against what the command may do:
 * reading and changing commands fail on a missing store, naming where they looked, and never create a
 * master key; a creating command announces a new store, and creates a master key only for a store
 * that holds no sealed keys yet (a new key would open none of them). A key that is needed but cannot be
 * had fails here, before anything is announced or created (`needsMasterKey: false` for `migrate`).
 */
export async function configFor(config: Config, use: StoreUse, command: string, opts: { needsMasterKey?: boolean } = {}): Promise<{ config: Config; state: StoreState }> {
  const state = await inspectStore(config.database);
  const keyFile = config.masterKey.kind === 'file' ? config.masterKey.path : undefined;
  if (use !== 'create' && !state.exists) {
    const key = keyFile === undefined ? '' : `, master key file ${keyFile}${fs.existsSync(keyFile) ? '' : ' (missing too)'}`;
    throw new AppError(
      'not_found',
      `no keyhold store at ${what(config.database, state.where)}${key}. \`keyhold ${command}\` ${use === 'read' ? 'only reads' : 'needs an existing store'} and creates none: ` +
        'point KEYHOLD_DATA_DIR (or KEYHOLD_DATABASE_URL) at your store, or create one with `keyhold serve` or `keyhold teams create <name>`',
    );
  }
  if (use === 'read' && state.pending.length > 0) {
    throw new AppError('unavailable', `the store at ${state.where} needs migrations this version brings (${state.pending.join(', ')}): run \`keyhold migrate\` first`);
  }
  let masterKey = config.masterKey;
  if (masterKey.kind === 'file' && masterKey.createIfMissing) {
    if (use !== 'create') masterKey = { ...masterKey, createIfMissing: false, mustExistBecause: `\`keyhold ${command}\` never creates one` };
    else if (state.sealed) masterKey = { ...masterKey, createIfMissing: false, mustExistBecause: 'the store already holds keys sealed under a master key, which a new one would not open' };
  }
  // A key that cannot be had fails here, before a new store is announced (and then not created).
  if (opts.needsMasterKey !== false && masterKey.kind === 'file' && !masterKey.createIfMissing) resolveMasterKey(masterKey);
  const database = config.database.kind === 'sqlite' && use !== 'create' ? { ...config.database, mustExist: true } : config.database;
  if (use === 'create' && !state.exists) announceNewStore(config.database, state.where);
  return { config: { ...config, database, masterKey }, state };
}
