import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type Tally, talliedCounter } from './tallied-counter.js';

/**
 * keyhold's Prometheus metrics, on prom-client's registry. Names, labels and help texts are a
 * contract with dashboards and alerts (docs/operations-observability.md): change them only with
 * a note there.
 */

/** Seconds; suits request latency from a sub-millisecond cache hit to a slow database. */
export const REQUEST_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** What the database reports about its connections, read at every scrape. */
export interface DatabaseGauges {
  dialect: string;
  stats?: () => { open: boolean; idle: number; inUse: number; waiting: number; max: number };
}

/** The registry and the metrics keyhold itself counts. */
export interface Metrics {
  registry: Registry;
  /** Counted in plain numbers, handed to prom-client at scrape time (tallied-counter.ts). */
  httpRequests: Tally<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  verifyResults: Tally<'code'>;
  verifyCacheLookups: Tally<'result'>;
  rateLimitFailOpen: Counter;
  databaseUnavailable: Counter;
  signatures: Counter<'outcome' | 'purpose'>;
  prunedRows: Counter<'table'>;
  auditFileLost: Counter;
}

/**
 * A registry with keyhold's metrics. `processMetrics` adds prom-client's default process and
 * Node.js metrics (once per process: the server's registry, not every test's).
 */
export function createMetrics(opts: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (opts.processMetrics) {
    collectDefaultMetrics({ register: registry });
    new Gauge({
      name: 'nodejs_heap_used_bytes',
      help: 'V8 heap in use, in bytes.',
      registers,
      collect() {
        this.set(process.memoryUsage().heapUsed);
      },
    });
  }
  const labelNames = ['method', 'route', 'status'] as const;
  return {
    registry,
    httpRequests: talliedCounter({ name: 'keyhold_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status.', labelNames, registers }),
    httpDuration: new Histogram({
      name: 'keyhold_http_request_duration_seconds',
      help: 'Time from request received to response sent, in seconds.',
      labelNames,
      buckets: [...REQUEST_BUCKETS],
      registers,
    }),
    verifyResults: talliedCounter({ name: 'keyhold_verify_results_total', help: 'Verification answers (verify API and forward-auth) by code.', labelNames: ['code'] as const, registers }),
    verifyCacheLookups: talliedCounter({
      name: 'keyhold_verify_cache_lookups_total',
      help: 'Verification cache lookups by result; hit ratio = hit / (hit + miss). MALFORMED keys never reach the cache.',
      labelNames: ['result'],
      registers,
    }),
    rateLimitFailOpen: new Counter({
      name: 'keyhold_rate_limit_fail_open_total',
      help: 'Verifications of rate-limited keys admitted without counting because Redis could not be reached.',
      registers,
    }),
    signatures: new Counter({
      name: 'keyhold_ssh_signatures_total',
      help: 'Signing requests with stored SSH keys (keyhold agent), by outcome (signed, refused) and purpose (ssh, git, file; none when the bytes were for no purpose).',
      labelNames: ['outcome', 'purpose'],
      registers,
    }),
    prunedRows: new Counter({
      name: 'keyhold_pruned_rows_total',
      help: 'Rows deleted past retention (KEYHOLD_RETENTION_*), by table: events, webhook_deliveries, audit_events, usage_hours; usage_minutes counts minute rows rolled up into hours.',
      labelNames: ['table'],
      registers,
    }),
    auditFileLost: new Counter({
      name: 'keyhold_audit_file_lost_total',
      help: 'Audit entries committed but not written to KEYHOLD_AUDIT_FILE (it could not be written and KEYHOLD_AUDIT_FILE_FAIL_CLOSED is off); they are in the database.',
      registers,
    }),
    databaseUnavailable: new Counter({
      name: 'keyhold_database_unavailable_total',
      help: 'Database operations refused because the database could not serve (unreachable, read-only, full, locked); each answered 503 or retried later. The log has one line when an outage starts and one when it ends.',
      registers,
    }),
  };
}

/** Entries in the verification cache (bounded by KEYHOLD_VERIFY_CACHE_SIZE), sampled at every scrape. */
export function registerVerifyCacheGauge(registry: Registry, entries: () => number): void {
  registry.removeSingleMetric('keyhold_verify_cache_entries');
  new Gauge({
    name: 'keyhold_verify_cache_entries',
    help: 'Verification results held in memory (at most KEYHOLD_VERIFY_CACHE_SIZE).',
    registers: [registry],
    collect() {
      this.set(entries());
    },
  });
}

const DATABASE_FAMILIES = ['keyhold_db_info', 'keyhold_db_open', 'keyhold_db_connections', 'keyhold_db_connections_max', 'keyhold_db_pool_waiting'];

/** The database families, sampled from the process's connection (pool) at every scrape. */
export function registerDatabaseMetrics(registry: Registry, db: DatabaseGauges): void {
  const registers = [registry];
  // A registry outlives a runtime (tests, restarts in one process): the newest database reports.
  for (const name of DATABASE_FAMILIES) registry.removeSingleMetric(name);
  new Gauge({
    name: 'keyhold_db_info',
    help: 'The database this process uses.',
    labelNames: ['dialect'],
    registers,
    collect() {
      this.set({ dialect: db.dialect }, 1);
    },
  });
  const stats = db.stats;
  if (!stats) return;
  new Gauge({
    name: 'keyhold_db_open',
    help: 'Is the connection (pool) open? 0 once closed at shutdown; reachability is /readyz.',
    registers,
    collect() {
      this.set(stats().open ? 1 : 0);
    },
  });
  new Gauge({
    name: 'keyhold_db_connections',
    help: 'Open database connections by state (PostgreSQL pool: totalCount = idle + in_use).',
    labelNames: ['state'],
    registers,
    collect() {
      const s = stats();
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'in_use' }, s.inUse);
    },
  });
  new Gauge({
    name: 'keyhold_db_connections_max',
    help: 'Largest number of connections the pool may open (KEYHOLD_PG_POOL_MAX; 1 for SQLite).',
    registers,
    collect() {
      this.set(stats().max);
    },
  });
  new Gauge({
    name: 'keyhold_db_pool_waiting',
    help: 'Queries waiting for a free pool connection (PostgreSQL waitingCount).',
    registers,
    collect() {
      this.set(stats().waiting);
    },
  });
}

let shared: Metrics | undefined;

/** The process's registry, with process metrics: the one a server exposes. */
export function processMetrics(): Metrics {
  return (shared ??= createMetrics({ processMetrics: true }));
}
