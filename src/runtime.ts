import type { Config } from './config.js';
import { openDatabase, type Db } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { type Clock, systemClock } from './domain/types.js';
import { resolveMasterKey } from './master-key.js';
import { createStore, type Store } from './repositories/index.js';
import { loadKeyring } from './services/keyring.js';
import { caasKeysService } from './services/caas-keys.js';
import { privateKeysService } from './services/private-keys.js';
import { projectsService } from './services/projects.js';
import { teamsService } from './services/teams.js';
import { tokensService } from './services/tokens.js';
import type { Keyring } from './crypto/envelope.js';

export interface Services {
  teams: ReturnType<typeof teamsService>;
  tokens: ReturnType<typeof tokensService>;
  privateKeys: ReturnType<typeof privateKeysService>;
  projects: ReturnType<typeof projectsService>;
  caasKeys: ReturnType<typeof caasKeysService>;
}

export interface Runtime {
  db: Db;
  store: Store;
  keyring: Keyring;
  services: Services;
  clock: Clock;
  /** Path of a master key file created by this start, if any. */
  createdMasterKey?: string;
  close(): Promise<void>;
}

/** The composition root shared by the server and the CLI: database, migrations, keyring, services. */
export async function createRuntime(config: Config, opts: { clock?: Clock; migrate?: boolean } = {}): Promise<Runtime> {
  const clock = opts.clock ?? systemClock;
  const master = resolveMasterKey(config.masterKey);
  const db = openDatabase(config.database);
  try {
    if (opts.migrate !== false) await migrateToLatest(db);
    const store = createStore(db.db);
    const keyring = await loadKeyring(store, master.key, clock);
    const teams = teamsService(store, clock);
    const services: Services = {
      teams,
      tokens: tokensService(store, teams, clock),
      privateKeys: privateKeysService(store, keyring, clock),
      projects: projectsService(store, teams, clock),
      caasKeys: caasKeysService(store, clock),
    };
    return { db, store, keyring, services, clock, createdMasterKey: master.created, close: () => db.close() };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}
