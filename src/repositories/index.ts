import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { auditRepository } from './audit.js';
import { caasKeysRepository } from './caas-keys.js';
import { dataKeysRepository } from './data-keys.js';
import { eventsRepository } from './events.js';
import { expiryNoticesRepository } from './expiry-notices.js';
import { privateKeysRepository } from './private-keys.js';
import { projectsRepository } from './projects.js';
import { sessionsRepository } from './sessions.js';
import { setupCodesRepository } from './setup-codes.js';
import { teamsRepository } from './teams.js';
import { tokensRepository } from './tokens.js';
import { webhookDeliveriesRepository } from './webhook-deliveries.js';
import { webhooksRepository } from './webhooks.js';

function bind(db: Kysely<Database>) {
  return {
    teams: teamsRepository(db),
    tokens: tokensRepository(db),
    dataKeys: dataKeysRepository(db),
    privateKeys: privateKeysRepository(db),
    audit: auditRepository(db),
    projects: projectsRepository(db),
    caasKeys: caasKeysRepository(db),
    sessions: sessionsRepository(db),
    setupCodes: setupCodesRepository(db),
    events: eventsRepository(db),
    webhooks: webhooksRepository(db),
    deliveries: webhookDeliveriesRepository(db),
    expiryNotices: expiryNoticesRepository(db),
  };
}

export type Repos = ReturnType<typeof bind>;

/** Every repository over one connection, plus a way to run several of them in one transaction. */
export interface Store extends Repos {
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
  /** Cheap round trip, for readiness. */
  ping(): Promise<void>;
}

export function createStore(db: Kysely<Database>): Store {
  return {
    ...bind(db),
    transaction: (fn) => db.transaction().execute((trx) => fn(bind(trx))),
    ping: async () => {
      await db.selectFrom('keyhold_meta').select('name').limit(1).execute();
    },
  };
}
