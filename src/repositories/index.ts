import type { Kysely } from 'kysely';
import { describeOutage } from '../db/outage.js';
import type { Database } from '../db/schema.js';
import { AppError, DatabaseUnavailable } from '../domain/errors.js';
import { type AuditRow, type AuditSealer, chainReader } from './audit-chain.js';
import { type AuditHooks, auditRepository } from './audit.js';
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
import { usageRepository } from './usage.js';
import { webhookDeliveriesRepository } from './webhook-deliveries.js';
import { webhooksRepository } from './webhooks.js';

function bind(db: Kysely<Database>, audit: AuditHooks = {}) {
  return {
    teams: teamsRepository(db),
    tokens: tokensRepository(db),
    dataKeys: dataKeysRepository(db),
    privateKeys: privateKeysRepository(db),
    audit: auditRepository(db, audit),
    auditChain: chainReader(db, audit),
    projects: projectsRepository(db),
    caasKeys: caasKeysRepository(db),
    sessions: sessionsRepository(db),
    setupCodes: setupCodesRepository(db),
    events: eventsRepository(db),
    webhooks: webhooksRepository(db),
    deliveries: webhookDeliveriesRepository(db),
    expiryNotices: expiryNoticesRepository(db),
    sshCa: sshCaRepository(db),
    usage: usageRepository(db),
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

/**
 * Where committed audit entries go besides the database (KEYHOLD_AUDIT_FILE). Fail-closed, they are
 * written before the transaction commits and a failure rolls it back; otherwise after it commits.
 */
export interface AuditSink {
  failClosed: boolean;
  /** Throws when the entries cannot be written. */
  write(rows: readonly AuditRow[]): void;
  /** A write after commit failed (not fail-closed): the entries are in the database, not in the file. */
  lost?(err: unknown, rows: readonly AuditRow[]): void;
}

/** Every repository over one connection, plus a way to run several of them in one transaction. */
export interface Store extends Repos {
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
  /** From now on, audit entries are chained with this sealer (set once the keyring is loaded). */
  useAuditSealer(sealer: AuditSealer): void;
  /** From now on, committed audit entries are also written to this sink. */
  useAuditSink(sink: AuditSink): void;
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
  const audit: AuditHooks = {};
  let sink: AuditSink | undefined;
  const transaction: Store['transaction'] = async (fn) => {
    const appended: AuditRow[] = [];
    let result;
    try {
      result = await db.transaction().execute(async (trx) => {
        const r = await fn(guarded(bind(trx, { ...audit, appended }), where, onOutage));
        if (sink?.failClosed && appended.length) sink.write(appended);
        return r;
      });
    } catch (err) {
      translateOutage(err, where, onOutage);
    }
    if (sink && !sink.failClosed && appended.length) {
      try {
        sink.write(appended);
      } catch (err) {
        sink.lost?.(err, appended);
      }
    }
    return result;
  };
  const repos = guarded(bind(db, audit), where, onOutage);
  return {
    ...repos,
    // Outside a transaction too, an entry is appended in one of its own: the chain's head is locked, and the sink sees it.
    audit: { ...repos.audit, insert: (e) => transaction((r) => r.audit.insert(e)) },
    transaction,
    useAuditSealer: (sealer) => void (audit.sealer = sealer),
    useAuditSink: (s) => void (sink = s),
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
