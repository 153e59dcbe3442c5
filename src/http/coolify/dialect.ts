import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { bearerToken, splitAuthorization } from '../auth.js';
import { type Dialect, sendJson } from '../dialect.js';
import { orderedJson } from '../json-input.js';
import { RETRY_AFTER } from '../openapi/document.js';
import { createValidation } from '../validation.js';
import { readInput } from './input.js';
import { laravelErrors } from './laravel.js';

const CATCH_ALL = JSON.stringify({ message: 'Not found.', docs: 'https://coolify.io/docs' });

/** Each request's input keys in the order sent, for ordering validation errors as Laravel does. */
const inputOrder = new WeakMap<FastifyRequest, string[]>();

const message = (example: string) => Type.Object({ message: Type.Optional(Type.String({ examples: [example] })) });

/** Coolify's dialect: Sanctum's token reading, Laravel's validation wording, Coolify's literal bodies. */
export const coolifyDialect: Dialect = {
  name: 'coolify',
  docs: {
    tags: ['Private Keys'],
    security: ['bearerAuth'],
    authResponses: {
      401: { description: 'Unauthenticated.', schema: message('Unauthenticated.') },
      403: { description: 'The token lacks the ability this route needs.', schema: message('Missing required permissions: write') },
      429: { description: 'Too many failed authentications from this address.', schema: message('Too Many Attempts.'), headers: RETRY_AFTER },
    },
  },
  validation: createValidation({ formats: {}, repeated: 'last', textChecks: false }),

  // Sanctum's reading of the header, plus `APIKey <token>` so one token works for both families of clients.
  credential(request) {
    const header = request.headers.authorization;
    if (!header) return { kind: 'missing' };
    const parts = splitAuthorization(header);
    const token = parts?.scheme === 'apikey' ? parts.credential : bearerToken(header);
    return token || { kind: 'missing' };
  },

  decodeBody(request, _definition, raw) {
    const input = readInput(request, raw);
    inputOrder.set(
      request,
      input.map(([k]) => k),
    );
    return Object.fromEntries(input);
  },

  tooManyAttempts(_request, reply, wait) {
    reply.header('retry-after', String(wait)).header('x-ratelimit-reset', String(Math.ceil(Date.now() / 1000) + wait));
    return sendJson(reply, 429, { message: 'Too Many Attempts.' });
  },
  unauthenticated: (_request, reply) => sendJson(reply, 401, { message: 'Unauthenticated.' }),
  forbidden: (_request, reply, ability) => sendJson(reply, 403, { message: `Missing required permissions: ${ability}` }),
  invalid(request, reply, failure) {
    const schema = request.routeOptions.schema?.body as { properties?: Record<string, unknown>; required?: string[] } | undefined;
    const errors = laravelErrors(failure.issues, Object.keys(schema?.properties ?? {}), schema?.required ?? [], inputOrder.get(request) ?? []);
    return sendJson(reply, 422, `{"message":"Validation failed.","errors":${orderedJson(errors)}}`);
  },
  failed(_request, reply, err) {
    if (err.code === 'not_found') return sendJson(reply, 404, { message: 'Private Key not found.' });
    if (err.code === 'unavailable') return sendJson(reply, 503, { message: 'Service Unavailable' });
    return sendJson(reply, 500, { message: 'Server Error' });
  },
  tooLarge: (_request, reply) => sendJson(reply, 413, { message: 'Request body is too large.' }),
  malformed: (_request, reply) => sendJson(reply, 400, { message: 'Invalid request.', error: 'Malformed request.' }),
  internal: (_request, reply) => sendJson(reply, 500, { message: 'Server Error' }),
  notFound: (_request, reply) => sendJson(reply, 404, CATCH_ALL),
};
