import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DatabaseUnavailable } from './domain/errors.js';
import { lockForServing } from './db/serve-lock.js';
import type { Config } from './config.js';
import { buildApp, createAuthLimiter, gatewayHandler } from './http/app.js';
import { startGatewayListener, type GatewayListener } from './http/gateway/listener.js';
import { startMetricsServer, type MetricsServer } from './http/metrics.js';
import { createLogger } from './logger.js';
import { processMetrics } from './metrics.js';
import { trackConnections } from './http/drain.js';
import { createRuntime, type Runtime } from './runtime.js';
import { SETUP_CODE_TTL_MS } from './services/setup.js';

export interface Server {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  /** Where /metrics is served when KEYHOLD_METRICS_PORT is set. */
  metricsUrl?: string;
  /** Where verification and forward-auth are served alone when KEYHOLD_GATEWAY_PORT is set. */
  gatewayUrl?: string;
  close(): Promise<void>;
}

/** During a shutdown, a keep-alive connection idle this long is ended: nothing was on its way on it. */
const IDLE_GRACE_MS = 250;

/** Prints the loud warning for a master key this start just generated. */
export function warnCreatedMasterKey(path: string | undefined): void {
  if (!path) return;
  process.stderr.write(
    [
      '',
      '  WARNING: no master key was configured, so keyhold generated one at',
      `    ${path}`,
      '  It encrypts every stored private key. Back it up somewhere safe and separate from the database:',
      '  losing it loses every private key. In production set KEYHOLD_MASTER_KEY or KEYHOLD_MASTER_KEY_FILE,',
      '  and NODE_ENV=production: then a missing key stops keyhold instead of being replaced by a new one.',
      '',
      '',
    ].join('\n'),
  );
}

/**
 * A server must be able to write its SQLite store. SQLite opens a file it cannot write read-only
 * without a word (a store restored or left by a crash as another user, a read-only mount), and that
 * connection stays read-only even once the file is writable: keyhold would answer 503 to every write
 * for good. So `serve` checks with one real write and refuses to start, naming the file and the fix.
 */
async function refuseUnwritableStore(runtime: Runtime): Promise<void> {
  if (runtime.db.dialect !== 'sqlite') return;
  try {
    await runtime.store.probeWrite(runtime.clock());
  } catch (err) {
    const code = (err instanceof DatabaseUnavailable ? (err.cause as { code?: unknown } | undefined)?.code : undefined) ?? '';
    if (typeof code !== 'string' || !code.startsWith('SQLITE_READONLY')) throw err;
    const file = runtime.db.describe;
    throw new Error(
      [
        `the SQLite store at ${file} cannot be written (${code}), and keyhold serve needs to write it.`,
        `Make ${file}, its directory and any ${path.basename(file)}-wal and ${path.basename(file)}-shm files beside it writable by the user keyhold runs as`,
        `(a store restored from a backup or left by a crash is often owned by root), or move the store to writable storage; then start keyhold again.`,
        'Commands that only read (keyhold tokens list, keyhold audit, …) work on a read-only store.',
      ].join('\n'),
      { cause: err },
    );
  }
}

/** config → runtime (db, migrations, keyring, services) → HTTP → listen. */
export async function startServer(config: Config): Promise<Server> {
  const logger = createLogger(config.logLevel);
  const metrics = processMetrics();
  // One server per SQLite file (db/serve-lock.ts): refused before anything is opened.
  const lock = config.database.kind === 'sqlite' ? lockForServing(config.database.file) : undefined;
  let runtime: Runtime;
  try {
    runtime = await createRuntime(config, {
      metrics,
      onBackgroundError: (err, what) => logger.error({ err }, `${what} failed`),
      onNotice: (level, message, err) => logger[level](err ? { err } : {}, message),
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  try {
    await refuseUnwritableStore(runtime);
    await lock?.announce(runtime.db.db, runtime.clock());
  } catch (err) {
    await runtime.close();
    lock?.release();
    throw err;
  }
  warnCreatedMasterKey(runtime.createdMasterKey);
  const limiter = createAuthLimiter(config);
  const appDeps = { config, services: runtime.services, ready: runtime.ready, logger, metrics, limiter };
  const app = await buildApp(appDeps);
  let gateway: GatewayListener | undefined;
  let metricsServer: MetricsServer | undefined;
  const drain = trackConnections(app.server);
  try {
    await app.listen({ host: config.host, port: config.port });
    if (config.gatewayPort !== null) gateway = await startGatewayListener({ host: config.host, port: config.gatewayPort, handle: gatewayHandler(appDeps, limiter) });
    if (config.metricsPort !== null) {
      metricsServer = await startMetricsServer({ host: config.host, port: config.metricsPort, registry: metrics.registry });
    }
  } catch (err) {
    await app.close();
    await gateway?.close();
    await runtime.close();
    lock?.release();
    throw err;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, gatewayUrl: gateway?.url, metricsUrl: metricsServer?.url, database: runtime.db.dialect, location: runtime.db.describe }, 'keyhold listening');
  let closing: Promise<void> | undefined;
  return {
    app,
    runtime,
    url,
    metricsUrl: metricsServer?.url,
    gatewayUrl: gateway?.url,
    close: () =>
      (closing ??= (async () => {
        // Stop accepting; answer what arrives on open connections (closing each after its answer).
        const drains = [drain, ...(gateway ? [gateway.drain] : [])].map((d) => d.start({ timeoutMs: config.shutdownTimeoutMs, idleGraceMs: IDLE_GRACE_MS }));
        const timedOut = (await Promise.all(drains)).some(Boolean);
        if (timedOut) logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown: requests still in flight were cut off (KEYHOLD_SHUTDOWN_TIMEOUT_S)');
        await app.close();
        await gateway?.close();
        await metricsServer?.close();
        // Flushes what is pending (last use of keys and tokens) and closes the database.
        await runtime.close();
        lock?.release();
      })()),
  };
}

/**
 * On a fresh install (no team yet), prints a one-time setup link: opening it creates the first team
 * and signs the operator in as its administrator, no CLI needed. The code works once, for 15 minutes;
 * every start of a fresh install prints a new one.
 */
async function printSetupLink(server: Server, config: Config): Promise<void> {
  const code = await server.runtime.services.setup.issueCode();
  if (!code) return;
  // A wildcard bind address is not somewhere a browser can go; loopback is, on this machine.
  const base = config.publicUrl ?? server.url.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://[::1]:');
  const link = `${base}/ui/setup?code=${code}`;
  process.stderr.write(['', '  First run: no team exists yet. Open this link to create the first team and sign in as its administrator', `  (it works once, for ${SETUP_CODE_TTL_MS / 60_000} minutes):`, '', `    ${link}`, '', ''].join('\n'));
  server.app.log.info('first run: a setup link was printed on stderr');
}

/** Runs until SIGTERM, SIGINT or SIGHUP, then shuts down gracefully; a second signal forces the exit. */
export async function serveForever(config: Config): Promise<void> {
  const server = await startServer(config);
  // Before anything else is awaited: a signal that arrives once the port is open shuts down gracefully.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // SIGHUP (a closed terminal, a supervisor's reload) drains and exits like SIGTERM: keyhold has no
  // configuration to reload, and dying of it mid-request would reset every connection.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  // For people, on stderr: stdout carries only the JSON log lines, which log collectors parse.
  process.stderr.write(`keyhold listening on ${server.url} (${server.runtime.db.dialect}: ${server.runtime.db.describe})\n`);
  if (server.gatewayUrl) process.stderr.write(`keyhold gateway on ${server.gatewayUrl} (/v1/keys/verify, /v1/forward-auth)\n`);
  if (server.metricsUrl) process.stderr.write(`keyhold metrics on ${server.metricsUrl}/metrics\n`);
  await printSetupLink(server, config);
}
