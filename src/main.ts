import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import { startMetricsServer, type MetricsServer } from './http/metrics.js';
import { createLogger } from './logger.js';
import { metrics } from './metrics.js';
import { createRuntime, type Runtime } from './runtime.js';

export interface Server {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  /** Where /metrics is served when KEYHOLD_METRICS_PORT is set. */
  metricsUrl?: string;
  close(): Promise<void>;
}

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

/** config → runtime (db, migrations, keyring, services) → HTTP → listen. */
export async function startServer(config: Config): Promise<Server> {
  const logger = createLogger(config.logLevel);
  const runtime = await createRuntime(config);
  warnCreatedMasterKey(runtime.createdMasterKey);
  const app = await buildApp({ config, services: runtime.services, store: runtime.store, ready: runtime.ready, logger, db: runtime.db });
  let metricsServer: MetricsServer | undefined;
  try {
    await app.listen({ host: config.host, port: config.port });
    if (config.metricsPort !== null) {
      metricsServer = await startMetricsServer({ host: config.host, port: config.metricsPort, source: { registry: metrics, dialect: runtime.db.dialect, dbStats: runtime.db.stats } });
    }
  } catch (err) {
    await app.close();
    await runtime.close();
    throw err;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, metricsUrl: metricsServer?.url, database: runtime.db.dialect, location: runtime.db.describe }, 'keyhold listening');
  let closing: Promise<void> | undefined;
  return {
    app,
    runtime,
    url,
    metricsUrl: metricsServer?.url,
    close: () =>
      (closing ??= (async () => {
        await app.close(); // stops accepting, lets in-flight requests finish
        await metricsServer?.close();
        await runtime.close();
      })()),
  };
}

/** Runs until SIGTERM/SIGINT, then shuts down gracefully; a second signal forces the exit. */
export async function serveForever(config: Config): Promise<void> {
  const server = await startServer(config);
  process.stdout.write(`keyhold listening on ${server.url} (${server.runtime.db.dialect}: ${server.runtime.db.describe})\n`);
  if (server.metricsUrl) process.stdout.write(`keyhold metrics on ${server.metricsUrl}/metrics\n`);
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
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
