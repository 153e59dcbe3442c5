import path from 'node:path';
import proxyAddr from '@fastify/proxy-addr';
import { Ajv } from 'ajv';
import { durationMs } from './domain/duration.js';
import { type SettingName, type Settings, type SettingSchema, settingEntries, SettingsSchema } from './config-schema.js';

/** Every setting keyhold reads, parsed once from the environment (defined in config-schema.ts). */
export interface Config {
  database:
    | {
        kind: 'sqlite';
        file: string;
        /** Open an existing file only, never create one (commands that only read). */
        mustExist?: boolean;
      }
    | {
        kind: 'postgres';
        url: string;
        poolMax: number;
        /** `lock_timeout` and `statement_timeout` of every pooled connection, in ms (0: none; migrations run without). */
        lockTimeoutMs?: number;
        statementTimeoutMs?: number;
      };
  host: string;
  port: number;
  /** When set, /metrics is served only on this port (same host), not on `port`. */
  metricsPort: number | null;
  /** When set, verification and forward-auth are also served alone on this port (same host). */
  gatewayPort: number | null;
  masterKey:
    | { kind: 'env'; value: string }
    | {
        kind: 'file';
        path: string;
        createIfMissing: boolean;
        /** Why a missing file is not created here (production, a command that only reads): said in the error. */
        mustExistBecause?: string;
      };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimit: number;
  coolifyVersion: string;
  /** Which X-Forwarded-For hops are believed (http/client-address.ts). */
  trustProxy: { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'addresses'; addresses: string[] };
  tokenCacheTtlMs: number;
  authFailures: { limit: number; windowMs: number };
  /** The origin people reach keyhold at, when a proxy changes it (for the setup link). */
  publicUrl: string | null;
  sessions: { idleMs: number; absoluteMs: number };
  /** How long a shutdown waits for requests in flight. */
  shutdownTimeoutMs: number;
  /** KEYHOLD_AUDIT_FILE and whether a line that cannot be written refuses the change. */
  auditFile: { path: string; failClosed: boolean } | null;
  /** Redis for rate limits shared across processes, or null (each process counts its own). */
  redisUrl: string | null;
  redisPrefix: string;
  webhooks: {
    /** Deliver to loopback, link-local and private addresses too (KEYHOLD_WEBHOOK_ALLOW_PRIVATE). */
    allowPrivate: boolean;
    /** How often the delivery worker looks for due deliveries. */
    pollMs: number;
    /** Attempts in flight at once in this process. */
    concurrency: number;
    /** Attempts in flight at once to one endpoint, over every process. */
    perEndpoint: number;
  };
  /** What is deleted when, by every serving process (services/pruner.ts). */
  retention: {
    eventsMs: number;
    deliveriesMs: number;
    auditMs: number;
    /** Usage minutes older than this become hours; hours older than `usageHoursMs` go. */
    usageMinutesMs: number;
    usageHoursMs: number;
    /** How often a pass runs. */
    pruneIntervalMs: number;
  };
  expiry: {
    /** `api_key.expiring` goes out this long before `expire`, once per lead time; longest first. */
    leadTimesMs: number[];
    /** How often the scheduler looks. */
    checkMs: number;
  };
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

// Our own annotations are declared so Ajv's strict mode still catches typos in real keywords.
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true });
ajv.addVocabulary(['x-default-text', 'x-expected']);
const validate = ajv.compile<Settings>(SettingsSchema);

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];
/** What a boolean setting accepts, for messages. */
export const BOOLEAN_WORDS = 'true or false (also 1/0, yes/no, on/off)';

/** `true`/`1`/`yes`/`on` and `false`/`0`/`no`/`off` (any case); anything else is left for validation to refuse. */
export function parseBoolean(text: string): boolean | string {
  const t = text.trim().toLowerCase();
  return TRUE_WORDS.includes(t) ? true : FALSE_WORDS.includes(t) ? false : t;
}

/**
 * Environment strings to the schema's types. Stricter than Ajv's own `coerceTypes`, which would take
 * `1e3`, `0x10` or ` 12 ` as integers: only plain digits are an integer here. Unset and empty mean
 * "use the default". A value that does not convert stays a string, so validation reports it.
 */
function coerce(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of settingEntries()) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    if (schema.type === 'integer') out[name] = /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
    else if (schema.type === 'boolean') out[name] = parseBoolean(raw);
    else if (schema.enum) out[name] = raw.toLowerCase();
    else out[name] = raw;
  }
  return out;
}

/** The one message for a setting that failed validation, worded from its schema. Strings are never echoed: they may be secrets. */
function problemFor(name: string, schema: SettingSchema, raw: string | undefined): string {
  const got = ` (got ${JSON.stringify(raw)})`;
  if (schema.type === 'integer') return `${name} must be an integer from ${schema.minimum} to ${schema.maximum}${got}`;
  if (schema.type === 'boolean') return `${name} must be ${BOOLEAN_WORDS}${got}`;
  if (schema.enum) return `${name} must be one of ${schema.enum.join(', ')}${got}`;
  return `${name} must be ${schema['x-expected'] ?? 'a non-empty string'}`;
}

/** Validates the environment against the schema; every failing setting gives one problem. */
function readSettings(env: NodeJS.ProcessEnv, problems: string[]): Settings {
  const values = coerce(env);
  if (validate(values)) return values;
  const failing = new Set((validate.errors ?? []).map((e) => e.instancePath.slice(1)));
  for (const [name, schema] of settingEntries()) if (failing.has(name)) problems.push(problemFor(name, schema, env[name]?.trim()));
  // Values that failed are replaced by their defaults, so the checks below still run on sound input.
  const sound: Record<string, unknown> = {};
  for (const [name, schema] of settingEntries()) sound[name] = failing.has(name) ? schema.default : values[name];
  validate(sound);
  return sound as Settings;
}

const expected = (name: SettingName) => (SettingsSchema.properties[name] as SettingSchema)['x-expected'];

/** `90d`, `12h`, `30s` → ms; 0 for anything else (the schema has checked the shape). */
export const parseDuration = (text: string): number => durationMs(text) ?? 0;

/** A duration setting (see `duration` in config-schema.ts) in ms; zero is a problem. */
function durationSetting(name: SettingName, text: string, problems: string[]): number {
  const value = parseDuration(text);
  if (value <= 0) problems.push(`${name} must be a duration greater than zero`);
  return value;
}

/** `7d,1d` → lead times in ms, de-duplicated, longest first (the schema has checked the shape). */
function leadTimes(text: string, problems: string[]): number[] {
  const list = text.split(',').map(parseDuration);
  if (list.some((n) => n <= 0)) problems.push('KEYHOLD_EXPIRY_WARNINGS must list durations greater than zero');
  return [...new Set(list.filter((n) => n > 0))].sort((a, b) => b - a);
}

/**
 * KEYHOLD_TRUST_PROXY: `false` (or `0`), a hop count, or proxy addresses. `true` would believe every
 * hop, so the first X-Forwarded-For address, which the client writes, would be its address: refused.
 */
function trustProxySetting(text: string, problems: string[]): Config['trustProxy'] {
  const t = text.trim().toLowerCase();
  if (t === 'false' || t === '0') return { kind: 'none' };
  if (t === 'true') {
    problems.push(
      'KEYHOLD_TRUST_PROXY=true would trust every X-Forwarded-For hop, so any client could forge its address: write the number of proxies in front of keyhold (KEYHOLD_TRUST_PROXY=1), or their addresses (KEYHOLD_TRUST_PROXY=127.0.0.1,10.0.0.0/8)',
    );
    return { kind: 'none' };
  }
  if (/^\d{1,3}$/.test(t)) return { kind: 'hops', hops: Number(t) };
  const addresses = t.split(',').map((a) => a.trim()).filter(Boolean);
  try {
    proxyAddr.compile(addresses);
  } catch {
    problems.push(`KEYHOLD_TRUST_PROXY must be ${expected('KEYHOLD_TRUST_PROXY')}`);
    return { kind: 'none' };
  }
  return { kind: 'addresses', addresses };
}

/** Reads the configuration; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const s = readSettings(env, problems);
  const dataDir = path.resolve(cwd, s.KEYHOLD_DATA_DIR);
  const production = s.NODE_ENV === 'production';

  let database: Config['database'];
  const dbUrl = s.KEYHOLD_DATABASE_URL ?? '';
  if (/^postgres(ql)?:\/\//i.test(dbUrl)) {
    if (!URL.canParse(dbUrl)) problems.push('KEYHOLD_DATABASE_URL is not a valid postgres:// URL');
    database = { kind: 'postgres', url: dbUrl, poolMax: s.KEYHOLD_PG_POOL_MAX, lockTimeoutMs: s.KEYHOLD_PG_LOCK_TIMEOUT_MS, statementTimeoutMs: s.KEYHOLD_PG_STATEMENT_TIMEOUT_MS };
  } else {
    const file = dbUrl.replace(/^sqlite:(\/\/)?/i, '');
    database = { kind: 'sqlite', file: file ? path.resolve(cwd, file) : path.join(dataDir, 'keyhold.db') };
  }

  if (s.KEYHOLD_METRICS_PORT !== undefined && s.KEYHOLD_METRICS_PORT !== 0 && s.KEYHOLD_METRICS_PORT === s.KEYHOLD_PORT) {
    problems.push('KEYHOLD_METRICS_PORT must differ from KEYHOLD_PORT');
  }
  for (const other of ['KEYHOLD_PORT', 'KEYHOLD_METRICS_PORT'] as const) {
    if (s.KEYHOLD_GATEWAY_PORT !== undefined && s.KEYHOLD_GATEWAY_PORT !== 0 && s.KEYHOLD_GATEWAY_PORT === s[other]) problems.push(`KEYHOLD_GATEWAY_PORT must differ from ${other}`);
  }

  let masterKey: Config['masterKey'];
  const mkValue = s.KEYHOLD_MASTER_KEY;
  if (mkValue && s.KEYHOLD_MASTER_KEY_FILE) problems.push('set only one of KEYHOLD_MASTER_KEY and KEYHOLD_MASTER_KEY_FILE');
  if (mkValue) {
    // The pattern is checked by the schema; the decoded length only here.
    if (Buffer.from(mkValue, 'base64').length !== 32) {
      problems.push(`KEYHOLD_MASTER_KEY must be ${expected('KEYHOLD_MASTER_KEY')}`);
    }
    masterKey = { kind: 'env', value: mkValue };
  } else if (s.KEYHOLD_MASTER_KEY_FILE) {
    masterKey = { kind: 'file', path: path.resolve(cwd, s.KEYHOLD_MASTER_KEY_FILE), createIfMissing: false };
  } else {
    masterKey = production
      ? { kind: 'file', path: path.join(dataDir, 'master.key'), createIfMissing: false, mustExistBecause: 'NODE_ENV=production never generates a master key' }
      : { kind: 'file', path: path.join(dataDir, 'master.key'), createIfMissing: true };
  }

  const expiryLeadTimes = leadTimes(s.KEYHOLD_EXPIRY_WARNINGS, problems);
  const trustProxy = trustProxySetting(s.KEYHOLD_TRUST_PROXY, problems);
  const retention = {
    eventsMs: durationSetting('KEYHOLD_RETENTION_EVENTS', s.KEYHOLD_RETENTION_EVENTS, problems),
    deliveriesMs: durationSetting('KEYHOLD_RETENTION_DELIVERIES', s.KEYHOLD_RETENTION_DELIVERIES, problems),
    auditMs: durationSetting('KEYHOLD_RETENTION_AUDIT', s.KEYHOLD_RETENTION_AUDIT, problems),
    usageMinutesMs: durationSetting('KEYHOLD_RETENTION_USAGE_MINUTES', s.KEYHOLD_RETENTION_USAGE_MINUTES, problems),
    usageHoursMs: durationSetting('KEYHOLD_RETENTION_USAGE_HOURS', s.KEYHOLD_RETENTION_USAGE_HOURS, problems),
    pruneIntervalMs: durationSetting('KEYHOLD_PRUNE_INTERVAL', s.KEYHOLD_PRUNE_INTERVAL, problems),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    database,
    host: s.KEYHOLD_HOST,
    port: s.KEYHOLD_PORT,
    metricsPort: s.KEYHOLD_METRICS_PORT ?? null,
    gatewayPort: s.KEYHOLD_GATEWAY_PORT ?? null,
    masterKey,
    logLevel: s.KEYHOLD_LOG_LEVEL,
    bodyLimit: s.KEYHOLD_BODY_LIMIT,
    coolifyVersion: s.KEYHOLD_COOLIFY_VERSION,
    trustProxy,
    tokenCacheTtlMs: s.KEYHOLD_TOKEN_CACHE_TTL_MS,
    authFailures: { limit: s.KEYHOLD_AUTH_FAILURE_LIMIT, windowMs: s.KEYHOLD_AUTH_FAILURE_WINDOW_S * 1000 },
    publicUrl: s.KEYHOLD_PUBLIC_URL ?? null,
    sessions: { idleMs: s.KEYHOLD_SESSION_IDLE_MINUTES * 60_000, absoluteMs: s.KEYHOLD_SESSION_MAX_HOURS * 3_600_000 },
    shutdownTimeoutMs: s.KEYHOLD_SHUTDOWN_TIMEOUT_S * 1000,
    auditFile: s.KEYHOLD_AUDIT_FILE ? { path: path.resolve(cwd, s.KEYHOLD_AUDIT_FILE), failClosed: s.KEYHOLD_AUDIT_FILE_FAIL_CLOSED } : null,
    redisUrl: s.KEYHOLD_REDIS_URL ?? null,
    redisPrefix: s.KEYHOLD_REDIS_PREFIX,
    webhooks: {
      allowPrivate: s.KEYHOLD_WEBHOOK_ALLOW_PRIVATE,
      pollMs: s.KEYHOLD_WEBHOOK_POLL_MS,
      concurrency: s.KEYHOLD_WEBHOOK_CONCURRENCY,
      perEndpoint: s.KEYHOLD_WEBHOOK_PER_ENDPOINT,
    },
    retention,
    expiry: { leadTimesMs: expiryLeadTimes, checkMs: s.KEYHOLD_EXPIRY_CHECK_MS },
    verify: {
      cacheSize: s.KEYHOLD_VERIFY_CACHE_SIZE,
      cacheTtlMs: s.KEYHOLD_VERIFY_CACHE_TTL_MS,
      negativeTtlMs: s.KEYHOLD_VERIFY_NEGATIVE_TTL_MS,
      usageFlushMs: s.KEYHOLD_USAGE_FLUSH_MS,
      // Fastify hands header names over in lower case.
      containerHeader: s.KEYHOLD_FORWARD_AUTH_CONTAINER_HEADER.toLowerCase(),
      namespaceHeader: s.KEYHOLD_FORWARD_AUTH_NAMESPACE_HEADER.toLowerCase(),
    },
  };
}

/** KEYHOLD_DEBUG, read on its own: the CLI needs it even when the rest of the configuration is invalid. */
export const debugEnabled = (env: NodeJS.ProcessEnv = process.env): boolean => parseBoolean(env.KEYHOLD_DEBUG ?? '') === true;
