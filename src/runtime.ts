import { randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/connect.js';
import { migrateToLatest, pendingMigrations } from './db/migrate.js';
import { type Clock, systemClock } from './domain/types.js';
import { resolveMasterKey } from './master-key.js';
import { createStore, type Store } from './repositories/index.js';
import { isMasterKeyMismatch, LiveKeyring, loadKeyring, lockedKeyring } from './services/keyring.js';
import type { Keyring } from './crypto/envelope.js';
import { caasKeysService } from './services/caas-keys.js';
import { privateKeysService } from './services/private-keys.js';
import { projectsService } from './services/projects.js';
import { verifyService } from './services/verify.js';
import { notify, subscribe } from './db/notify.js';
import { teamsService } from './services/teams.js';
import { tokensService } from './services/tokens.js';
import { readinessCheck } from './services/readiness.js';
import { rotationService } from './services/rotation.js';
import { type Metrics, registerDatabaseMetrics, registerVerifyCacheGauge } from './metrics.js';
import { auditService } from './services/audit.js';
import { LocalRateLimiter, type RateLimiter } from './services/rate-limiter.js';
import { RedisRateLimiter } from './redis/rate-limiter.js';
import { overviewService } from './services/overview.js';
import { usageService } from './services/usage.js';
import { sessionsService } from './services/sessions.js';
import { setupService } from './services/setup.js';
import { AppError, DatabaseUnavailable } from './domain/errors.js';
import { outageMonitor } from './services/outage-monitor.js';
import { keyringSealer } from './services/audit-chain.js';
import { auditFileSink } from './services/audit-file.js';
import { checkTarget, sendWebhook, TargetRefused } from './net/webhook-client.js';
import { expiryScheduler, type ExpiryScheduler } from './services/expiry-scheduler.js';
import { webhookWorker, type WebhookWorker } from './services/webhook-worker.js';
import { webhooksService } from './services/webhooks.js';
import { sshSigningService } from './services/ssh-signing.js';
import { sshCaService } from './services/ssh-ca.js';
import { sshCertificatesService } from './services/ssh-certificates.js';
import { pruner as createPruner, type Pruner } from './services/pruner.js';

/** The invalidation payload that tells other processes a token was revoked. */
const TOKENS_CHANGED = 'tokens';

/** How long /readyz waits for the database before answering 503. */
const READY_TIMEOUT_MS = 1000;

export interface Services {
  teams: ReturnType<typeof teamsService>;
  tokens: ReturnType<typeof tokensService>;
  privateKeys: ReturnType<typeof privateKeysService>;
  projects: ReturnType<typeof projectsService>;
  caasKeys: ReturnType<typeof caasKeysService>;
  verify: ReturnType<typeof verifyService>;
  rotation: ReturnType<typeof rotationService>;
  audit: ReturnType<typeof auditService>;
  sessions: ReturnType<typeof sessionsService>;
  setup: ReturnType<typeof setupService>;
  overview: ReturnType<typeof overviewService>;
  usage: ReturnType<typeof usageService>;
  webhooks: ReturnType<typeof webhooksService>;
  sshSigning: ReturnType<typeof sshSigningService>;
  sshCa: ReturnType<typeof sshCaService>;
  sshCertificates: ReturnType<typeof sshCertificatesService>;
}

export interface Runtime {
  db: Db;
  store: Store;
  keys: LiveKeyring;
  services: Services;
  clock: Clock;
  /** Is the database reachable with every migration applied? */
  ready: () => Promise<{ ok: boolean; reason?: string }>;
  /** Path of a master key file created by this start, if any. */
  createdMasterKey?: string;
  /** Sends expiry warnings; started in serving processes (`check()` runs a pass now). */
  expiry: ExpiryScheduler;
  /** Delivers webhooks; only in serving processes. */
  webhookWorker?: WebhookWorker;
  /** Deletes what is past retention; only in serving processes (`run()` runs a pass now). */
  pruner?: Pruner;
  /** Stops the worker and scheduler (in-flight deliveries get a moment, then their leases are given back) and closes the database. */
  close(): Promise<void>;
}

/**
 * Per-key rate limits: counted in Redis when configured (the limit holds across processes), else in
 * this process. A Redis outage fails open, counted, and reported once per outage.
 */
function rateLimiterFor(config: Config, clock: Clock, opts: RuntimeOptions): RateLimiter {
  if (!config.redisUrl) return new LocalRateLimiter(clock);
  let reported = false;
  return new RedisRateLimiter({
    url: config.redisUrl,
    prefix: config.redisPrefix,
    onFailOpen: (err) => {
      opts.metrics?.rateLimitFailOpen.inc();
      if (!reported) opts.onNotice?.('warn', 'Redis cannot be reached: rate limits fail open (keys are not limited) until it answers again', err);
      reported = true;
    },
    onRecovered: () => {
      if (reported) opts.onNotice?.('info', 'Redis answers again: rate limits are enforced');
      reported = false;
    },
  });
}

/** Counts verification outcomes and cache behaviour on `metrics`. */
function verifyMetrics(metrics: Metrics) {
  return (code: string, hit: boolean) => {
    metrics.verifyResults.inc({ code });
    if (code !== 'MALFORMED') metrics.verifyCacheLookups.inc({ result: hit ? 'hit' : 'miss' });
  };
}

export interface RuntimeOptions {
  clock?: Clock;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  /**
   * A serving process (the default) hears other processes' invalidations (PostgreSQL LISTEN) and
   * checkpoints SQLite's WAL off its request thread; a command-line process does neither.
   */
  serving?: boolean;
  /** Where verification outcomes and database gauges are counted; none when omitted. */
  metrics?: Metrics;
  /** Where failures of background work (webhook worker, expiry scheduler) are reported. */
  onBackgroundError?: (err: unknown, what: string) => void;
  /** A master key that does not open the data keys fails at first use rather than at start (not for serving processes). */
  keysWhenNeeded?: boolean;
  /** Where a serving process reports a change of state worth a log line (Redis lost and back). */
  onNotice?: (level: 'warn' | 'info', message: string, err?: unknown) => void;
}

/** Applies pending migrations; on PostgreSQL over a connection of their own, free of the statement and lock timeouts. */
async function migrate(cfg: Config['database'], db: Db): Promise<void> {
  if (cfg.kind !== 'postgres') return void (await migrateToLatest(db));
  const own = openDatabase({ ...cfg, poolMax: 1 }, { noTimeouts: true });
  try {
    await migrateToLatest(own);
  } finally {
    await own.close();
  }
}

/**
 * The keyring; with `keysWhenNeeded`, a master key that does not open the data keys fails only when
 * something needs them (a reading command after `master-key rewrap` with the old key still configured).
 */
async function openKeyring(store: Store, masterKey: Buffer, clock: Clock, opts: RuntimeOptions): Promise<Keyring> {
  try {
    return await loadKeyring(store, masterKey, clock);
  } catch (err) {
    if (!opts.keysWhenNeeded || !isMasterKeyMismatch(err)) throw err;
    opts.onNotice?.('warn', err.message);
    return lockedKeyring(err);
  }
}

/** The composition root shared by the server and the CLI: database, migrations, keyring, services. */
export async function createRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const clock = opts.clock ?? systemClock;
  const serving = opts.serving !== false;
  const master = resolveMasterKey(config.masterKey);
  const db = openDatabase(config.database, { backgroundCheckpoints: serving });
  try {
    if (opts.migrate !== false) await migrate(config.database, db);
    // One warning when the database stops serving and one line when it is back, not a stack per request.
    let probe: () => Promise<void> = async () => {};
    const outage = outageMonitor({ clock: Date.now, probe: () => probe(), count: () => opts.metrics?.databaseUnavailable.inc(), notice: opts.onNotice });
    const store = createStore(db, (detail, err) => outage.failed(detail, err));
    probe = () => store.probeWrite(clock());
    const keys = new LiveKeyring(await openKeyring(store, master.key, clock, opts), store, master.key);
    // Audit entries are MAC-chained from here on; entries from before the chain existed are sealed now.
    store.useAuditSealer(keyringSealer(keys));
    if (opts.migrate !== false) await store.auditChain.sealUnsealed(clock());
    if (config.auditFile) {
      store.useAuditSink(
        auditFileSink({ ...config.auditFile, notice: opts.onNotice, lost: (n) => opts.metrics?.auditFileLost.inc(n) }),
      );
    }
    const teams = teamsService(store, clock);
    const caasKeys = caasKeysService(store, clock);
    // Tags this process's notifications (PostgreSQL delivers them to their sender's LISTEN too).
    const origin = randomUUID().slice(0, 8);
    const verify = verifyService(store, clock, config.verify, opts.metrics && verifyMetrics(opts.metrics), rateLimiterFor(config, clock, opts));
    if (opts.metrics) {
      registerDatabaseMetrics(opts.metrics.registry, { dialect: db.dialect, stats: db.stats });
      registerVerifyCacheGauge(opts.metrics.registry, () => verify.stats().size);
    }
    // A write forgets the key here at once, and in every other process through PostgreSQL NOTIFY.
    caasKeys.onChange(async (digest) => {
      verify.invalidate(digest);
      await notify(db.db, db.dialect, `${origin}:${digest}`).catch(() => verify.invalidate('*'));
    });
    // Through a database outage a gateway's token keeps working as long as the keys it verifies stay cached.
    const tokens = tokensService(store, teams, clock, { cacheTtlMs: config.tokenCacheTtlMs, outageGraceMs: config.verify.cacheTtlMs });
    tokens.onRevoke(() => notify(db.db, db.dialect, `${origin}:${TOKENS_CHANGED}`).catch(() => {}));
    teams.onRemove(() => tokens.forgetEverywhere());
    const subscription = !serving
      ? undefined
      : subscribe(config.database, (message) => {
            // `<origin>:<payload>`; this process already acted on its own writes, so their echo is skipped.
            const colon = message.indexOf(':');
            if (colon >= 0 && message.slice(0, colon) === origin) return;
            const payload = colon >= 0 ? message.slice(colon + 1) : message;
            if (payload === TOKENS_CHANGED || payload === '*') tokens.invalidateCache();
            if (payload !== TOKENS_CHANGED) verify.invalidate(payload);
          }, undefined, db.dataVersion);
    // Start even if LISTEN is slow to come up; until it does, cache lifetimes bound staleness.
    if (subscription) await Promise.race([subscription.ready, new Promise((r) => setTimeout(r, 5000).unref())]);
    const sessions = sessionsService(store, tokens, clock, config.sessions);
    const targetPolicy = { allowPrivate: config.webhooks.allowPrivate };
    const webhooks = webhooksService(store, keys, clock, async (url) => {
      try {
        await checkTarget(url, targetPolicy);
      } catch (err) {
        if (err instanceof TargetRefused) throw new AppError('bad_request', err.message);
        throw err;
      }
    });
    // An outage is reported once by the monitor; background work just tries again later.
    const report = (what: string) => (err: unknown) => {
      if (!(err instanceof DatabaseUnavailable)) opts.onBackgroundError?.(err, what);
    };
    const expiry = expiryScheduler(store, clock, { ...config.expiry, onError: report('expiry scheduler') });
    // Outbound work runs only where a server runs: a CLI command writes events, a server sends them.
    const worker = serving
      ? webhookWorker(store, keys, clock, {
          owner: origin,
          pollMs: config.webhooks.pollMs,
          concurrency: config.webhooks.concurrency,
          perEndpoint: config.webhooks.perEndpoint,
          send: (req) => sendWebhook(req, targetPolicy),
          onError: report('webhook worker'),
        })
      : undefined;
    const pruner = serving
      ? createPruner(store, clock, {
          ...config.retention,
          intervalMs: config.retention.pruneIntervalMs,
          onPruned: (table, rows) => opts.metrics?.prunedRows.inc({ table }, rows),
          onError: report('pruner'),
        })
      : undefined;
    const privateKeys = privateKeysService(store, keys, clock);
    const sshCa = sshCaService(store, keys, privateKeys, clock);
    const usage = usageService(store, verify, clock);
    const services: Services = {
      teams,
      tokens,
      sessions,
      setup: setupService(store, teams, tokens, sessions, clock),
      overview: overviewService(store, usage, clock),
      usage,
      privateKeys,
      projects: projectsService(store, teams, clock),
      caasKeys,
      verify,
      rotation: rotationService(store, keys, clock),
      audit: auditService(store, keys),
      webhooks,
      sshCa,
      sshCertificates: sshCertificatesService(store, sshCa, clock),
      sshSigning: sshSigningService(store, keys, clock, opts.metrics && ((outcome, purpose) => opts.metrics!.signatures.inc({ outcome, purpose }))),
    };
    const close = async () => {
      await worker?.close();
      await pruner?.close();
      await expiry.close();
      await subscription?.close();
      await verify.close();
      outage.close();
      await db.close();
    };
    if (serving) {
      expiry.start();
      worker?.start();
      pruner?.start();
    }
    const ready = readinessCheck({
      ping: () => store.ping(),
      probeWrite: () => store.probeWrite(clock()),
      pendingMigrations: () => pendingMigrations(db),
      timeoutMs: READY_TIMEOUT_MS,
    });
    return { db, store, keys, services, clock, ready, createdMasterKey: master.created, expiry, webhookWorker: worker, pruner, close };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}
