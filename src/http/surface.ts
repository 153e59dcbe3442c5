import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DatabaseUnavailable, isAppError } from '../domain/errors.js';
import { type AuthDeps, authenticate } from './auth.js';
import { type Dialect, Rejection, sendJson } from './dialect.js';
import { acceptRawBodies, rawBody } from './raw-body.js';

export interface SurfaceOptions extends AuthDeps {
  bodyLimit: number;
  /** Authenticate requests no route matches before answering them (Gcore checks credentials first). */
  authenticateUnmatched?: boolean;
  /** Answer unmatched requests in this dialect (a scope may leave that to an inner one). */
  notFound?: boolean;
}

/** The one error handler of a surface: every failure, worded by its dialect. */
export function errorHandler(dialect: Dialect) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof Rejection) return sendJson(reply, err.status, err.body);
    if (err.validation) return dialect.invalid(request, reply, { part: err.validationContext ?? 'body', issues: err.validation });
    if (isAppError(err)) {
      // An outage is logged once, when it starts and when it ends (services/outage-monitor.ts), not per request.
      if (err instanceof DatabaseUnavailable) request.log.debug(`answered 503: ${err.detail}`);
      else if (err.code === 'internal' || err.code === 'unavailable') request.log.error({ err }, 'service failure');
      return dialect.failed(request, reply, err);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return dialect.tooLarge(request, reply);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return dialect.malformed(request, reply);
    request.log.error({ err }, 'unexpected error');
    return dialect.internal(request, reply);
  };
}

/**
 * Puts a dialect in charge of a Fastify scope: bodies arrive raw and the dialect decodes them,
 * its validator compiler checks every route schema, routes that declare an ability authenticate
 * before anything else runs, and one error handler words every failure.
 */
export function installSurface(app: FastifyInstance, dialect: Dialect, opts: SurfaceOptions): void {
  acceptRawBodies(app, opts.bodyLimit);
  app.setValidatorCompiler(dialect.validation.compiler);

  app.addHook('onRequest', async (request, reply) => {
    const ability = request.routeOptions.config.route?.definition.ability;
    if (ability && !(await authenticate(opts, dialect, request, reply, ability))) return reply;
  });

  app.addHook('preValidation', async (request) => {
    const definition = request.routeOptions.config.route?.definition;
    // A route that reads no body ignores whatever was sent (forward-auth answers any method).
    if (definition?.schema.body) request.body = dialect.decodeBody(request, definition, rawBody(request));
  });

  app.setErrorHandler(errorHandler(dialect));

  if (opts.notFound !== false) {
    app.setNotFoundHandler(async (request, reply) => {
      if (opts.authenticateUnmatched && !(await authenticate(opts, dialect, request, reply))) return reply;
      return dialect.notFound(request, reply);
    });
  }
}
