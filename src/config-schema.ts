import { type Static, Type } from 'typebox';

/**
 * Every setting keyhold reads from the environment, defined once: name, type, default and
 * description. `loadConfig` validates the environment against it (with Ajv), `ConfigError` words
 * its problems from it, and `npm run docs` writes the README's settings table from it.
 *
 * Two annotations of our own (Ajv is told about them in config.ts):
 * - `x-default-text`: how the README shows a default that is computed from another setting;
 * - `x-expected`: how a problem message words what a string setting must look like.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = (options: { default?: number; description: string }) => Type.Integer({ minimum: 0, maximum: 65535, ...options });
const ms = (minimum: number, dflt: number, description: string) => Type.Integer({ minimum, maximum: 3_600_000, default: dflt, description });
/** One duration as the settings write it: digits and a unit, `s`, `m`, `h`, `d` or `w` (`30s`, `12h`, `90d`). config.ts parses it to ms. */
export const DURATION_PATTERN = '[0-9]{1,6}[smhdw]';
const duration = (dflt: string, description: string) =>
  Type.String({ pattern: `^ *${DURATION_PATTERN} *$`, default: dflt, description, 'x-expected': 'a duration such as 90d, 12h or 30s (s, m, h, d, w)' });
const header = (dflt: string, description: string) =>
  Type.String({ pattern: '^[A-Za-z0-9-]+$', default: dflt, description, 'x-expected': 'an HTTP header name (letters, digits, -)' });

export const SettingsSchema = Type.Object(
  {
    KEYHOLD_DATA_DIR: Type.String({
      minLength: 1,
      default: './data',
      description: 'directory of the default SQLite file (`keyhold.db`) and the default master key file (`master.key`); server and CLI share it; created 0700 when keyhold creates it',
    }),
    KEYHOLD_DATABASE_URL: Type.Optional(
      Type.String({
        'x-default-text': '$KEYHOLD_DATA_DIR/keyhold.db',
        description: '`postgres://…` selects PostgreSQL; anything else is a SQLite file path (created 0600)',
      }),
    ),
    KEYHOLD_HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'address to listen on (`0.0.0.0` for every IPv4 interface)' }),
    KEYHOLD_PORT: port({ default: 8080, description: 'port to listen on (`0` picks a free one)' }),
    KEYHOLD_GATEWAY_PORT: Type.Optional(
      port({ description: 'also serve verification and forward-auth (only those, and `/healthz`) on this port (same host), for the network gateways sit on' }),
    ),
    KEYHOLD_METRICS_PORT: Type.Optional(port({ description: 'serve `/metrics` only on this port (same host) instead of the API port' })),
    KEYHOLD_MASTER_KEY: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9+/]+={0,2}$',
        description: 'base64 of 32 random bytes (`openssl rand -base64 32`); encrypts private keys at rest',
        'x-expected': 'the base64 encoding of exactly 32 bytes (try: openssl rand -base64 32)',
      }),
    ),
    KEYHOLD_MASTER_KEY_FILE: Type.Optional(
      Type.String({
        'x-default-text': '$KEYHOLD_DATA_DIR/master.key',
        description: 'file holding the master key; the default file is created (0600) on a first start when neither master-key setting is given, except with `NODE_ENV=production`',
      }),
    ),
    KEYHOLD_LOG_LEVEL: Type.Enum([...LOG_LEVELS], { default: 'info', description: 'least severe log level written' }),
    KEYHOLD_BODY_LIMIT: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, default: 1024 * 1024, description: 'largest request body in bytes; larger ones get 413' }),
    KEYHOLD_COOLIFY_VERSION: Type.String({ minLength: 1, default: '4.3.11', description: 'what `GET /api/v1/version` reports' }),
    KEYHOLD_TRUST_PROXY: Type.String({
      default: 'false',
      pattern: '^[ -~]+$',
      description:
        'which `X-Forwarded-For` hops to believe behind a reverse proxy: the number of proxies in front of keyhold (`1`), or their addresses and CIDRs (`127.0.0.1,10.0.0.0/8`; also `loopback`, `linklocal`, `uniquelocal`); the client is the nearest address that is not a trusted proxy. `false`: none. `true` is refused (it would let any client forge its address)',
      'x-expected': 'false, a number of proxies (1), or a comma-separated list of proxy addresses/CIDRs (127.0.0.1,10.0.0.0/8)',
    }),
    KEYHOLD_PG_POOL_MAX: Type.Integer({ minimum: 1, maximum: 1000, default: 10, description: 'PostgreSQL connection pool size' }),
    KEYHOLD_PG_LOCK_TIMEOUT_MS: ms(
      0,
      2000,
      'PostgreSQL: longest a statement waits for a lock (`lock_timeout`); a write blocked longer answers 503 and frees its connection (`0`: wait for ever)',
    ),
    KEYHOLD_PG_STATEMENT_TIMEOUT_MS: ms(0, 5000, 'PostgreSQL: longest a statement may run (`statement_timeout`), migrations excepted; longer answers 503 (`0`: no limit)'),
    KEYHOLD_TOKEN_CACHE_TTL_MS: Type.Integer({
      minimum: 0,
      maximum: 600_000,
      default: 5000,
      description: 'how long a successful token lookup is remembered (a revocation reaches other processes at once on PostgreSQL, and a SQLite server within 250 ms of a `keyhold` command; this bounds anything missed; `0` disables)',
    }),
    KEYHOLD_AUTH_FAILURE_LIMIT: Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      default: 20,
      description: 'failed authentications per client address per window before 429 (`0` turns it off)',
    }),
    KEYHOLD_AUTH_FAILURE_WINDOW_S: Type.Integer({ minimum: 1, maximum: 86_400, default: 60, description: 'that window, in seconds' }),
    KEYHOLD_VERIFY_CACHE_SIZE: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 100_000, description: 'verification results kept in memory (`0` disables the cache)' }),
    KEYHOLD_VERIFY_CACHE_TTL_MS: ms(0, 30_000, 'longest a cached verification lives (the bound if an invalidation is missed)'),
    KEYHOLD_VERIFY_NEGATIVE_TTL_MS: ms(0, 5000, 'how long an unknown key stays cached as unknown'),
    KEYHOLD_USAGE_FLUSH_MS: ms(100, 5000, 'how often usage is written, in batches: `last_used_at`, the answers per key, minute and code, and the refusals log (a crash loses at most this much)'),
    KEYHOLD_FORWARD_AUTH_CONTAINER_HEADER: header('X-Container-Name', 'header naming the target container for forward-auth'),
    KEYHOLD_FORWARD_AUTH_NAMESPACE_HEADER: header('X-Container-Namespace', 'header naming its namespace (default namespace: `default`)'),
    KEYHOLD_PUBLIC_URL: Type.Optional(
      Type.String({
        pattern: '^https?://[^/?#]+$',
        description: 'the address people reach keyhold at (`https://keys.example.com`), when a proxy changes it: the setup link is printed with it',
        'x-expected': 'an origin: http(s)://host[:port], no path',
      }),
    ),
    KEYHOLD_SESSION_IDLE_MINUTES: Type.Integer({ minimum: 1, maximum: 10_080, default: 30, description: 'a console session unused this long ends' }),
    KEYHOLD_SESSION_MAX_HOURS: Type.Integer({ minimum: 1, maximum: 720, default: 12, description: 'a console session ends this long after sign-in, used or not' }),
    KEYHOLD_SHUTDOWN_TIMEOUT_S: Type.Integer({
      minimum: 1,
      maximum: 3600,
      default: 10,
      description: 'on SIGTERM/SIGINT, how long requests in flight may take to finish before their connections are dropped',
    }),
    KEYHOLD_WEBHOOK_ALLOW_PRIVATE: Type.Boolean({
      default: false,
      description: '`true` lets webhooks reach loopback, link-local and private addresses (tests, a receiver on the same network); refused otherwise, after DNS resolution',
    }),
    KEYHOLD_WEBHOOK_POLL_MS: ms(50, 1000, 'how often a serving process looks for webhook deliveries that are due'),
    KEYHOLD_WEBHOOK_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 1000, default: 16, description: 'webhook attempts a serving process has in flight at once, over every endpoint' }),
    KEYHOLD_WEBHOOK_PER_ENDPOINT: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 2,
      description: 'webhook attempts in flight at once to one endpoint, over every process: a slow or dead endpoint holds at most this many slots',
    }),
    KEYHOLD_EXPIRY_WARNINGS: Type.String({
      pattern: `^ *${DURATION_PATTERN} *(, *${DURATION_PATTERN} *)*$`,
      default: '7d,1d',
      description: 'how long before an API key expires `api_key.expiring` is sent, once per lead time (comma-separated, e.g. `7d,1d,2h`)',
      'x-expected': 'a comma-separated list of durations such as 7d,1d,12h',
    }),
    KEYHOLD_EXPIRY_CHECK_MS: ms(100, 60_000, 'how often a serving process looks for keys that are expiring or have expired'),
    KEYHOLD_RETENTION_EVENTS: duration(
      '30d',
      'events older than this are deleted, once no delivery of them is kept (the delivery log needs its events)',
    ),
    KEYHOLD_RETENTION_DELIVERIES: duration(
      '30d',
      'webhook deliveries created longer ago than this are deleted once delivered or failed; a pending delivery (being retried) never is',
    ),
    KEYHOLD_RETENTION_AUDIT: duration(
      '365d',
      "audit entries older than this are deleted, each team's oldest first, in id order; where each team's kept trail starts is recorded",
    ),
    KEYHOLD_RETENTION_USAGE_MINUTES: duration(
      '48h',
      'verification usage per minute older than this is rolled up into hours (the series by minute reaches back this far)',
    ),
    KEYHOLD_RETENTION_USAGE_HOURS: duration('90d', 'verification usage per hour older than this is deleted'),
    KEYHOLD_PRUNE_INTERVAL: duration(
      '1h',
      'how often a serving process deletes what is past retention (also once at start), in batches of 500 rows',
    ),
    KEYHOLD_REDIS_URL: Type.Optional(
      Type.String({
        pattern: '^rediss?://',
        description: '`redis://host:6379`: per-key rate limits hold across every process sharing it; without it each process counts only what it answers',
        'x-expected': 'a redis:// or rediss:// URL',
      }),
    ),
    KEYHOLD_REDIS_PREFIX: Type.String({
      default: 'keyhold:',
      minLength: 1,
      maxLength: 100,
      description: 'put before every Redis key keyhold writes: installations sharing one Redis need different prefixes',
    }),
    KEYHOLD_AUDIT_FILE: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'append every audit entry, once committed, to this file as one JSON line (the format of `GET /v1/audit/export`; docs/operations-observability.md), for a log shipper; created 0600',
      }),
    ),
    KEYHOLD_AUDIT_FILE_FAIL_CLOSED: Type.Boolean({
      default: false,
      description: '`true`: a change whose audit line cannot be written to KEYHOLD_AUDIT_FILE answers 503 and is not made (Vault\'s semantics); `false`: it is made, and the entry is in the database only',
    }),
    KEYHOLD_DEBUG: Type.Boolean({ default: false, description: '`true`: the CLI prints the stack trace of an unexpected error' }),
    NODE_ENV: Type.Optional(
      Type.String({ description: '`production`: a missing master key is an error at start, never a newly generated key (see "Production")' }),
    ),
  },
  { additionalProperties: true },
);

export type Settings = Static<typeof SettingsSchema>;

/** A setting's name, as the environment spells it. */
export type SettingName = keyof typeof SettingsSchema.properties;

/** The annotations a setting may carry beyond JSON Schema's own (see the file comment). */
export interface SettingSchema {
  type?: string;
  enum?: readonly string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  description?: string;
  'x-default-text'?: string;
  'x-expected'?: string;
}

/** The settings in the order they are documented. */
export function settingEntries(): Array<[SettingName, SettingSchema]> {
  return Object.entries(SettingsSchema.properties) as Array<[SettingName, SettingSchema]>;
}
