import type { Kysely } from 'kysely';
import { describeOutage } from '../db/outage.js';
import type { Database } from '../db/schema.js';
import { AppError, DatabaseUnavailable } from '../domain/errors.js';
import { auditRepository } from './audit.js';
import { caasKeysRepository } from './caas-keys.js';
import { dataKeysRepository } from './data-keys.js';
import { eventsRepository } from './events.js';
import { expiryNoticesRepository } from './expiry-notices.js';
import { privateKeysRepository } from './private-keys.js';
import { projectsRepository } from './projects.js';
import { sessionsRepository } from './sessions.js';
import { setupCodesRepository } from './setup-codes.js';
import { sshCaRepository } from './ssh-ca.js';
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
    sshCa: sshCaRepository(db),
  };
}

export type Repos = ReturnType<typeof bind>;

/** Told of every operation that failed because the database could not serve. */
export type OutageListener = (detail: string, err: unknown) => void;

/** Turns outage errors (unreachable, read-only, full disk, …) into DatabaseUnavailable; anything else passes through. */
function translateOutage(err: unknown, where: string, onOutage?: OutageListener): never {
  if (err instanceof AppError) throw err;
  const detail = describeOutage(err, where);
  if (detail) onOutage?.(detail, err);
  throw detail ? new DatabaseUnavailable(detail, err) : err;
}

/** Every repository method, with outage errors translated (they would otherwise be 500s). */
function guarded(repos: Repos, where: string, onOutage?: OutageListener): Repos {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, repo] of Object.entries(repos)) {
    const methods: Record<string, unknown> = {};
    for (const [m, fn] of Object.entries(repo as Record<string, unknown>)) {
      methods[m] =
        typeof fn === 'function'
          ? async (...args: unknown[]) => {
              try {
                return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
              } catch (err) {
                translateOutage(err, where, onOutage);
              }
            }
          : fn;
    }
    out[name] = methods;
  }
  return out as Repos;
}

/** Every repository over one connection, plus a way to run several of them in one transaction. */
export interface Store extends Repos {
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
  /** Cheap round trip, for readiness. */
  ping(): Promise<void>;
  /** A real write (one row of keyhold_meta), for readiness: a database that answers but cannot write is not ready. */
  probeWrite(now: number): Promise<void>;
}

/**
 * Every repository over one database; `where` names it in outage messages (a file path, or a URL
 * without password), and `onOutage` hears of each operation an outage refused.
 */
export function createStore(handle: { db: Kysely<Database>; describe: string }, onOutage?: OutageListener): Store {
  const { db, describe: where } = handle;
  return {
    ...guarded(bind(db), where, onOutage),
    transaction: async (fn) => {
      try {
        return await db.transaction().execute((trx) => fn(guarded(bind(trx), where, onOutage)));
      } catch (err) {
        translateOutage(err, where, onOutage);
      }
    },
    ping: async () => {
      await db.selectFrom('keyhold_meta').select('name').limit(1).execute();
    },
    probeWrite: async (now) => {
      try {
        await db
          .insertInto('keyhold_meta')
          .values({ name: 'readiness_probe', value: String(now) })
          .onConflict((oc) => oc.column('name').doUpdateSet({ value: String(now) }))
          .execute();
      } catch (err) {
        translateOutage(err, where);
      }
    },
  };
}
