import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Services } from '../runtime.js';
import { coolifyPlugin } from './coolify/plugin.js';
import { gcoreCaasPlugin } from './gcore-caas/plugin.js';
import { verifyPlugin } from './verify/plugin.js';

export interface AppDeps {
  config: Pick<Config, 'bodyLimit' | 'trustProxy' | 'coolifyVersion' | 'verify'>;
  services: Services;
  logger: Logger;
}

/** Registers every surface on a Fastify instance; no business logic lives here. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimit,
    trustProxy: deps.config.trustProxy,
    // Ids are ours alone: a client-supplied X-Request-Id is not trusted into logs and error bodies.
    genReqId: () => randomBytes(16).toString('hex'),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    return503OnClosing: true,
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(coolifyPlugin, {
    prefix: '/api',
    tokens: deps.services.tokens,
    privateKeys: deps.services.privateKeys,
    version: deps.config.coolifyVersion,
    bodyLimit: deps.config.bodyLimit,
  });

  await app.register(gcoreCaasPlugin, {
    prefix: '/cloud',
    tokens: deps.services.tokens,
    caasKeys: deps.services.caasKeys,
    bodyLimit: deps.config.bodyLimit,
  });

  await app.register(verifyPlugin, {
    tokens: deps.services.tokens,
    verify: deps.services.verify,
    bodyLimit: deps.config.bodyLimit,
    containerHeader: deps.config.verify.containerHeader,
    namespaceHeader: deps.config.verify.namespaceHeader,
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not_found', message: 'No route matches this method and path.' }));
  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: 'bad_request', message: err.message });
    }
    request.log.error({ err }, 'unexpected error');
    return reply.code(500).send({ error: 'internal', message: 'Internal server error' });
  });

  return app;
}
