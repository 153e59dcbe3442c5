import path from 'node:path';

/** Every setting keyhold reads, parsed once from the environment. */
export interface Config {
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolMax: number };
  host: string;
  port: number;
  /** When set, /metrics is served only on this port (same host), not on `port`. */
  metricsPort: number | null;
  masterKey: { kind: 'env'; value: string } | { kind: 'file'; path: string; createIfMissing: boolean };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimit: number;
  coolifyVersion: string;
  trustProxy: boolean;
  tokenCacheTtlMs: number;
  authFailures: { limit: number; windowMs: number };
  verify: {
    cacheSize: number;
    cacheTtlMs: number;
    negativeTtlMs: number;
    usageFlushMs: number;
    containerHeader: string;
    namespaceHeader: string;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The settings table, used by the README and by `keyhold config` style help. */
export const SETTINGS: ReadonlyArray<{ name: string; default: string; help: string }> = [
  { name: 'KEYHOLD_DATABASE_URL', default: './data/keyhold.db', help: 'postgres://… selects PostgreSQL; anything else is a SQLite file path' },
  { name: 'KEYHOLD_HOST', default: '127.0.0.1', help: 'address to listen on' },
  { name: 'KEYHOLD_PORT', default: '8080', help: 'port to listen on (0 picks a free one)' },
  { name: 'KEYHOLD_METRICS_PORT', default: '', help: 'serve /metrics only on this port (same host) instead of KEYHOLD_PORT' },
  { name: 'KEYHOLD_MASTER_KEY', default: '', help: 'base64 of 32 random bytes; encrypts private keys at rest' },
  { name: 'KEYHOLD_MASTER_KEY_FILE', default: './data/master.key', help: 'file holding the master key; created (0600) if neither setting is given' },
  { name: 'KEYHOLD_LOG_LEVEL', default: 'info', help: LOG_LEVELS.join(' | ') },
  { name: 'KEYHOLD_BODY_LIMIT', default: '1048576', help: 'largest request body in bytes; larger bodies get 413' },
  { name: 'KEYHOLD_COOLIFY_VERSION', default: '4.3.11', help: 'what GET /api/v1/version reports' },
  { name: 'KEYHOLD_TRUST_PROXY', default: 'false', help: 'true when behind a reverse proxy that sets X-Forwarded-For' },
  { name: 'KEYHOLD_PG_POOL_MAX', default: '10', help: 'PostgreSQL connection pool size' },
  { name: 'KEYHOLD_TOKEN_CACHE_TTL_MS', default: '5000', help: 'how long a successful token lookup is remembered; revocation elsewhere reaches a server within this bound (at once on PostgreSQL)' },
  { name: 'KEYHOLD_AUTH_FAILURE_LIMIT', default: '20', help: 'failed authentications allowed per client address per window before 429 (0 turns the limit off)' },
  { name: 'KEYHOLD_AUTH_FAILURE_WINDOW_S', default: '60', help: 'length of that window in seconds' },
  { name: 'KEYHOLD_VERIFY_CACHE_SIZE', default: '100000', help: 'verification results kept in memory (0 disables the cache)' },
  { name: 'KEYHOLD_VERIFY_CACHE_TTL_MS', default: '30000', help: 'longest a cached verification lives: the staleness bound if an invalidation is missed' },
  { name: 'KEYHOLD_VERIFY_NEGATIVE_TTL_MS', default: '5000', help: 'how long an unknown key stays cached as unknown' },
  { name: 'KEYHOLD_USAGE_FLUSH_MS', default: '5000', help: 'how often last_used_at is written, in one batch' },
  { name: 'KEYHOLD_FORWARD_AUTH_CONTAINER_HEADER', default: 'X-Container-Name', help: 'request header naming the target container for /v1/forward-auth' },
  { name: 'KEYHOLD_FORWARD_AUTH_NAMESPACE_HEADER', default: 'X-Container-Namespace', help: 'request header naming its namespace' },
];

function intSetting(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
    return dflt;
  }
  return Number(raw);
}

/** Reads the configuration; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const dbUrl = (env.KEYHOLD_DATABASE_URL ?? '').trim();
  const poolMax = intSetting(env, 'KEYHOLD_PG_POOL_MAX', 10, 1, 1000, problems);
  let database: Config['database'];
  if (/^postgres(ql)?:\/\//i.test(dbUrl)) {
    try {
      new URL(dbUrl);
    } catch {
      problems.push('KEYHOLD_DATABASE_URL is not a valid postgres:// URL');
    }
    database = { kind: 'postgres', url: dbUrl, poolMax };
  } else {
    const file = dbUrl.replace(/^sqlite:(\/\/)?/i, '') || './data/keyhold.db';
    database = { kind: 'sqlite', file: path.resolve(cwd, file) };
  }

  const host = (env.KEYHOLD_HOST ?? '').trim() || '127.0.0.1';
  const port = intSetting(env, 'KEYHOLD_PORT', 8080, 0, 65535, problems);
  const metricsPortSet = (env.KEYHOLD_METRICS_PORT ?? '').trim() !== '';
  const metricsPort = metricsPortSet ? intSetting(env, 'KEYHOLD_METRICS_PORT', 0, 0, 65535, problems) : null;
  if (metricsPort !== null && metricsPort !== 0 && metricsPort === port) problems.push('KEYHOLD_METRICS_PORT must differ from KEYHOLD_PORT');

  let masterKey: Config['masterKey'];
  const mkValue = env.KEYHOLD_MASTER_KEY?.trim();
  const mkFile = env.KEYHOLD_MASTER_KEY_FILE?.trim();
  if (mkValue && mkFile) problems.push('set only one of KEYHOLD_MASTER_KEY and KEYHOLD_MASTER_KEY_FILE');
  if (mkValue) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(mkValue) || Buffer.from(mkValue, 'base64').length !== 32) {
      problems.push('KEYHOLD_MASTER_KEY must be the base64 encoding of exactly 32 bytes (try: openssl rand -base64 32)');
    }
    masterKey = { kind: 'env', value: mkValue };
  } else if (mkFile) {
    masterKey = { kind: 'file', path: path.resolve(cwd, mkFile), createIfMissing: false };
  } else {
    masterKey = { kind: 'file', path: path.resolve(cwd, 'data/master.key'), createIfMissing: true };
  }

  const logLevel = (env.KEYHOLD_LOG_LEVEL ?? 'info').trim().toLowerCase() as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`KEYHOLD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const bodyLimit = intSetting(env, 'KEYHOLD_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024, problems);
  const coolifyVersion = (env.KEYHOLD_COOLIFY_VERSION ?? '').trim() || '4.3.11';
  const tp = (env.KEYHOLD_TRUST_PROXY ?? 'false').trim().toLowerCase();
  if (!['true', 'false', '1', '0', ''].includes(tp)) problems.push('KEYHOLD_TRUST_PROXY must be true or false');

  const header = (name: string, dflt: string) => {
    const v = (env[name] ?? '').trim() || dflt;
    if (!/^[A-Za-z0-9-]+$/.test(v)) problems.push(`${name} must be an HTTP header name`);
    return v.toLowerCase();
  };
  const verify = {
    cacheSize: intSetting(env, 'KEYHOLD_VERIFY_CACHE_SIZE', 100_000, 0, 10_000_000, problems),
    cacheTtlMs: intSetting(env, 'KEYHOLD_VERIFY_CACHE_TTL_MS', 30_000, 0, 3_600_000, problems),
    negativeTtlMs: intSetting(env, 'KEYHOLD_VERIFY_NEGATIVE_TTL_MS', 5_000, 0, 3_600_000, problems),
    usageFlushMs: intSetting(env, 'KEYHOLD_USAGE_FLUSH_MS', 5_000, 100, 3_600_000, problems),
    containerHeader: header('KEYHOLD_FORWARD_AUTH_CONTAINER_HEADER', 'X-Container-Name'),
    namespaceHeader: header('KEYHOLD_FORWARD_AUTH_NAMESPACE_HEADER', 'X-Container-Namespace'),
  };

  const tokenCacheTtlMs = intSetting(env, 'KEYHOLD_TOKEN_CACHE_TTL_MS', 5_000, 0, 600_000, problems);
  const authFailures = {
    limit: intSetting(env, 'KEYHOLD_AUTH_FAILURE_LIMIT', 20, 0, 1_000_000, problems),
    windowMs: intSetting(env, 'KEYHOLD_AUTH_FAILURE_WINDOW_S', 60, 1, 86_400, problems) * 1000,
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    database,
    host,
    port,
    metricsPort,
    masterKey,
    logLevel,
    bodyLimit,
    coolifyVersion,
    trustProxy: tp === 'true' || tp === '1',
    tokenCacheTtlMs,
    authFailures,
    verify,
  };
}
