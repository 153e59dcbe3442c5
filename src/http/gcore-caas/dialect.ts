import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import type { ErrorCode } from '../../domain/errors.js';
import { parseDateTime } from '../../domain/time.js';
import { RETRY_AFTER } from '../openapi/document.js';
import { splitAuthorization } from '../auth.js';
import type { CredentialProblem, Dialect } from '../dialect.js';
import { parseJsonBody } from '../json-input.js';
import { createValidation, type HttpPart, type Issue, UnreadableBody } from '../validation.js';
import { gcoreError, validationError } from './errors.js';
import { invalidFields, PART_ORDER } from './pydantic.js';
import { gcoreErrorAnswer } from './schemas.js';

/**
 * Our token format as far as its shape goes: `<digits>|<anything>` (Sanctum's `<id>|<secret>`) or a bare
 * secret, `<40 alphanumerics><crc32b>`. Anything else, e.g. `7` left by a shell that took `|` for a pipe,
 * is "not of our format" and is refused without a lookup.
 */
const WELL_FORMED_TOKEN = /^(?:[0-9]+\|.+|[A-Za-z0-9]{40}[0-9a-f]{8})$/s;

const LIST_PATH = /^\/cloud\/v1\/caas\/keys\/[^/]+\/[^/]+\/?$/;
const ITEM_PATH = /^\/cloud\/v1\/caas\/keys\/[^/]+\/[^/]+\/[^/]+\/?$/;

/** Gcore's 401 classes and messages, per reason (docs/compatibility.md). */
const UNAUTHENTICATED: Record<CredentialProblem['kind'], [string, string]> = {
  missing: ['not_authenticated', 'Authentication credentials were not provided.'],
  unsupported_scheme: ['token_not_valid', 'Given token not valid for any token type'],
  malformed: ['token_not_valid', 'Bad permanent token'],
  invalid: ['token_not_valid', 'Token is invalid or expired'],
  // Gcore's surface takes no session cookie, so this never happens there.
  foreign_origin: ['token_not_valid', 'Token is invalid or expired'],
};

/** Service failures as Gcore answers them: status and exception class. */
const FAILURES: Partial<Record<ErrorCode, [number, string]>> = {
  bad_request: [400, 'ValidationError'],
  not_found: [404, 'NotFoundError'],
  conflict: [409, 'ConflictError'],
  forbidden: [403, 'ForbiddenError'],
  rate_limited: [429, 'TooManyRequestsError'],
  unavailable: [503, 'ServiceUnavailableError'],
};

const validation = createValidation({ formats: { 'date-time': (text) => parseDateTime(text, 'python') !== undefined }, repeated: 'last', textChecks: true });


/** Gcore's CaaS dialect: pydantic's validation wording, Gcore's error bodies and 401 rules. */
export const gcoreDialect: Dialect = {
  name: 'gcore',
  docs: {
    tags: ['Container as a Service'],
    security: ['APIKey'],
    authResponses: {
      401: gcoreErrorAnswer('Missing, malformed, unknown, expired or revoked token.'),
      403: gcoreErrorAnswer('ForbiddenError: the token may not do this (a `read` token writing).'),
      429: { ...gcoreErrorAnswer('Too many failed authentications from this address.'), headers: RETRY_AFTER },
    },
  },
  validation,

  credential(request) {
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') return { kind: 'missing' };
    const parts = splitAuthorization(header);
    if (!parts || (parts.scheme !== 'apikey' && parts.scheme !== 'bearer')) return { kind: 'unsupported_scheme' };
    if (!parts.credential) return { kind: 'missing' };
    if (!WELL_FORMED_TOKEN.test(parts.credential)) return { kind: 'malformed', credential: parts.credential };
    return parts.credential;
  },

  decodeBody(_request, definition, raw) {
    if (!raw || raw.length === 0) return definition.bodyRequired ? new UnreadableBody('missing') : {};
    const parsed = parseJsonBody(raw);
    if (!parsed.ok) return new UnreadableBody('invalid_json');
    const v = parsed.value;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : new UnreadableBody('not_an_object');
  },

  tooManyAttempts(request, reply, wait) {
    reply.header('retry-after', String(wait));
    return gcoreError(request, reply, 429, 'TooManyRequestsError', `Too many failed authentication attempts; retry in ${wait} seconds`);
  },
  unauthenticated(request, reply, problem) {
    const [cls, message] = UNAUTHENTICATED[problem.kind];
    const shown = problem.kind === 'malformed' ? `${message}: ${[...problem.credential].slice(0, 8).join('')}` : message;
    return gcoreError(request, reply, 401, cls, shown);
  },
  forbidden: (request, reply) => gcoreError(request, reply, 403, 'ForbiddenError', 'You do not have permission to perform this action.'),

  // FastAPI reports every part's problems at once, where Fastify stops at the first failing part:
  // the remaining parts are checked here with the same schemas, so `invalid_fields` lists them all.
  invalid(request, reply, failure) {
    const schemas = request.routeOptions.schema ?? {};
    const data: Record<HttpPart, unknown> = { params: request.params, querystring: request.query, body: request.body, headers: request.headers };
    const parts: Array<{ part: HttpPart; schema: TSchema; issues: Issue[] }> = [];
    for (const part of PART_ORDER) {
      const schema = schemas[part] as TSchema | undefined;
      if (!schema) continue;
      const checked = part === failure.part ? { error: failure.issues } : validation.check(schema, part, data[part]);
      if ('error' in checked) parts.push({ part, schema, issues: checked.error });
    }
    return validationError(request, reply, invalidFields(parts));
  },
  failed(request, reply, e) {
    const [status, cls] = FAILURES[e.code] ?? [500, 'InternalServerError'];
    return gcoreError(request, reply, status, cls, status === 500 ? 'Internal server error' : e.message);
  },
  tooLarge: (request, reply) => gcoreError(request, reply, 413, 'HTTPError', 'HTTP 413: Request Entity Too Large'),
  malformed: (request, reply) => gcoreError(request, reply, 400, 'HTTPError', 'HTTP 400: Bad Request'),
  internal: (request, reply) => gcoreError(request, reply, 500, 'InternalServerError', 'Internal server error'),
  notFound(request, reply: FastifyReply) {
    const path = request.url.split('?')[0]!;
    const allow = LIST_PATH.test(path) ? 'GET, POST' : ITEM_PATH.test(path) ? 'GET, PATCH, DELETE' : null;
    if (!allow) return gcoreError(request, reply, 404, 'HTTPError', 'HTTP 404: Not Found');
    reply.header('allow', allow);
    return gcoreError(request, reply, 405, 'HTTPError', 'HTTP 405: Method Not Allowed');
  },
};

/** Gcore's answer to a URL its router cannot match at all (`%FF`, an over-long segment). */
export function gcoreRouterFailure(request: FastifyRequest, reply: FastifyReply, code: string | undefined): FastifyReply {
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return gcoreError(request, reply, 414, 'HTTPError', 'HTTP 414: Request-URI Too Long');
  return gcoreError(request, reply, 400, 'HTTPError', 'HTTP 400: Bad Request');
}
