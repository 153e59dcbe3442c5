import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import type { ErrorCode } from '../../domain/errors.js';
import { parseDateTime } from '../../domain/time.js';
import { type Dialect, Rejection } from '../dialect.js';
import { parseJsonBody } from '../json-input.js';
import { RETRY_AFTER } from '../openapi/document.js';
import { createValidation, UnreadableBody } from '../validation.js';
import { errorAnswer } from './schemas.js';
import { nativeWords, tokenCredential } from './auth-words.js';
import { sessionSecret } from './session-cookie.js';
import { describeFailure } from './wording.js';

/** HTTP status of each AppError code on the native surface. */
export const NATIVE_STATUS: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** keyhold's own error shape: `{"error":{"code","message","request_id"}}`. */
export function nativeError(request: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message, request_id: request.id } });
}

/**
 * Content types a browser may send cross-site without asking first (a plain HTML form). Refused,
 * so that no request a foreign page can forge is ever read as JSON; other types, or none, are read as JSON.
 */
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\s*(;|$)/i;


/** keyhold's own dialect: `{"error":{…}}` bodies, one sentence per validation problem. */
export const nativeDialect: Dialect = {
  name: 'native',
  docs: {
    tags: [],
    security: ['bearerAuth'],
    authResponses: {
      401: errorAnswer('Missing, unknown, expired or revoked token.'),
      403: errorAnswer('The token lacks the ability this route needs.'),
      429: { ...errorAnswer('Too many failed authentications from this address.'), headers: RETRY_AFTER },
    },
  },
  validation: createValidation({ formats: { 'date-time': (text) => parseDateTime(text, 'rfc3339') !== undefined }, repeated: 'refuse', textChecks: true }),

  // A token in the Authorization header, or else the console's session cookie.
  credential(request) {
    const header = request.headers.authorization;
    if (!header) {
      const session = sessionSecret(request);
      return session ? { session } : { kind: 'missing' };
    }
    return tokenCredential(header);
  },

  decodeBody(request, definition, raw) {
    if (FORM_TYPES.test(request.clientContentType ?? '')) {
      throw new Rejection(415, JSON.stringify({ error: { code: 'unsupported_media_type', message: nativeWords.formBody, request_id: request.id } }));
    }
    if (!raw || raw.length === 0) return definition.bodyRequired ? new UnreadableBody('missing') : {};
    const parsed = parseJsonBody(raw);
    return parsed.ok ? parsed.value : new UnreadableBody('invalid_json');
  },

  tooManyAttempts(request, reply, wait) {
    reply.header('retry-after', String(wait));
    return nativeError(request, reply, 429, 'rate_limited', nativeWords.tooManyAttempts(wait));
  },
  unauthenticated(request, reply) {
    reply.header('www-authenticate', 'Bearer');
    return nativeError(request, reply, 401, 'unauthorized', nativeWords.unauthenticated(request.routeOptions.config.route?.definition.ability));
  },
  forbidden: (request, reply, reason) => nativeError(request, reply, 403, 'forbidden', nativeWords.forbidden(reason)),
  invalid(request, reply, failure) {
    const schema = request.routeOptions.schema?.[failure.part] as TSchema | undefined;
    return nativeError(request, reply, 400, 'bad_request', describeFailure(failure, schema));
  },
  failed(request, reply, e) {
    const status = NATIVE_STATUS[e.code];
    return nativeError(request, reply, status, e.code, status === 500 ? 'internal server error' : e.message);
  },
  tooLarge: (request, reply) => nativeError(request, reply, 413, 'bad_request', nativeWords.tooLarge),
  // Framework messages can quote the body (JSON.parse does), so they are not echoed back.
  malformed: (request, reply) => nativeError(request, reply, 400, 'bad_request', 'malformed request'),
  internal: (request, reply) => nativeError(request, reply, 500, 'internal', 'internal server error'),
  notFound: (request, reply) => nativeError(request, reply, 404, 'not_found', 'no route matches this method and path'),
};
