import { Type } from 'typebox';
import { VERIFY_CODES } from '../../services/verify.js';
import { component, RETRY_AFTER, type ResponseDoc, type RouteDoc } from '../openapi/document.js';

/** OpenAPI descriptions of keyhold's own routes: verification, audit, health, readiness, metrics, docs. */

export const NativeError = component(
  'Error',
  Type.Object(
    {
      error: Type.Object({
        code: Type.String({ examples: ['bad_request'], description: 'bad_request, unauthorized, forbidden, not_found, conflict, rate_limited, unavailable or internal' }),
        message: Type.String(),
        request_id: Type.String({ description: 'Also sent as X-Request-Id' }),
      }),
    },
    { description: "keyhold's error body" },
  ),
);

const Container = Type.Object({
  name: Type.String({ examples: ['my-container'] }),
  namespace: Type.Optional(Type.String({ default: 'default', examples: ['space'] })),
});

const VerifyCode = Type.Union(
  VERIFY_CODES.map((c) => Type.Literal(c)),
  { description: 'MALFORMED: the checksum fails (no database lookup). FORBIDDEN_CONTAINER: the key is valid but not bound to that container.' },
);

export const VerifyRequest = component(
  'VerifyRequest',
  Type.Object({
    key: Type.String({ description: 'The API key secret a client presented', examples: ['khk_…'] }),
    container: Container,
    project_id: Type.Optional(Type.Integer({ minimum: 0, description: 'Only keys of this project are accepted' })),
    region_id: Type.Optional(Type.Integer({ minimum: 0, description: 'Only keys of this region are accepted' })),
  }),
);

export const VerifyResponse = component(
  'VerifyResponse',
  Type.Object({
    valid: Type.Boolean(),
    code: VerifyCode,
    key: Type.Union([
      Type.Object({
        name: Type.String(),
        project_id: Type.Integer(),
        region_id: Type.Integer(),
        status: Type.String({ examples: ['Active'] }),
        expire: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        containers: Type.Array(Type.Object({ name: Type.String(), namespace: Type.String() })),
      }),
      Type.Null(),
    ]),
  }),
);

export const AuditEntry = component(
  'AuditEntry',
  Type.Object({
    id: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actor: Type.String({ examples: ['token:12'] }),
    token_id: Type.Union([Type.Integer(), Type.Null()]),
    action: Type.String({ examples: ['private_key.update'] }),
    resource_type: Type.String({ examples: ['private_key'] }),
    resource_id: Type.String(),
    changed_fields: Type.Array(Type.String(), { description: 'Names of the fields that changed, never their values' }),
    ip: Type.Union([Type.String(), Type.Null()]),
    request_id: Type.Union([Type.String(), Type.Null()]),
  }),
);

export const AuditPage = component('AuditPage', Type.Object({ events: Type.Array(AuditEntry), next_cursor: Type.Union([Type.String(), Type.Null()]) }));

const e = (description: string): ResponseDoc => ({ description, schema: NativeError });
const auth = {
  '401': e('Missing, unknown, expired or revoked token.'),
  '403': e('The token lacks the ability this route needs.'),
  '429': { ...e('Too many failed authentications from this address.'), headers: RETRY_AFTER },
};
const noStore = { 'Cache-Control': { description: 'no-store', schema: Type.String() } };

const Refusal = Type.Object({ valid: Type.Literal(false), code: Type.String({ examples: ['NOT_FOUND'] }) });

export const nativeDocs = {
  verify: {
    tags: ['Verification'],
    security: ['bearerAuth'],
    operationId: 'verify-key',
    summary: 'Verify an API key',
    description: 'For gateways: is this CaaS API key valid for this container? Needs a token with the `verify` (or `root`) ability. Answered from an in-process cache that writes invalidate (see docs/verification.md).',
    body: { schema: VerifyRequest, required: true },
    responses: { '200': { description: 'The verdict (also for invalid keys).', schema: VerifyResponse }, '400': e('The body is not a valid verification request.'), ...auth, '413': e('The body is too large.') },
  },
  forwardAuth: {
    tags: ['Verification'],
    security: [],
    operationId: 'forward-auth',
    methods: ['GET'],
    summary: 'Forward-auth for proxies',
    description:
      'For nginx `auth_request`, Traefik `ForwardAuth` and Caddy `forward_auth`: the client\'s key from `X-API-Key` or `Authorization: Bearer`, the target container from the query or the configured headers. Answers on every method, the same way; documented once, as GET.',
    query: Type.Object({
      container: Type.Optional(Type.String({ description: 'Target container name (else the X-Container-Name header)' })),
      namespace: Type.Optional(Type.String({ description: 'Its namespace (else the X-Container-Namespace header, else `default`)' })),
      project_id: Type.Optional(Type.Integer({ minimum: 0, description: 'Only keys of this project' })),
      region_id: Type.Optional(Type.Integer({ minimum: 0, description: 'Only keys of this region' })),
    }),
    headers: [
      { name: 'X-API-Key', in: 'header', required: false, description: "The client's API key (or send it as `Authorization: Bearer`)", schema: Type.String() },
      { name: 'X-Container-Name', in: 'header', required: false, description: 'Target container (name configurable: KEYHOLD_FORWARD_AUTH_CONTAINER_HEADER)', schema: Type.String() },
      { name: 'X-Container-Namespace', in: 'header', required: false, description: 'Its namespace (KEYHOLD_FORWARD_AUTH_NAMESPACE_HEADER)', schema: Type.String() },
    ],
    responses: {
      '204': {
        description: 'Admit.',
        headers: {
          'X-Keyhold-Key-Name': { description: 'The key that was presented', schema: Type.String() },
          'X-Keyhold-Project-Id': { description: 'Its project', schema: Type.Integer() },
          'X-Keyhold-Region-Id': { description: 'Its region', schema: Type.Integer() },
        },
      },
      '400': e('No target container, or a malformed project_id / region_id.'),
      '401': { description: 'Refuse: no key, or MALFORMED, NOT_FOUND, DISABLED or EXPIRED.', schema: Refusal },
      '403': { description: 'Refuse: FORBIDDEN_CONTAINER.', schema: Refusal },
    },
  },
  audit: {
    tags: ['Audit'],
    security: ['bearerAuth'],
    operationId: 'list-audit-events',
    summary: 'Audit trail',
    description: "The team's audit trail, newest first, for `root` tokens: who did what to which key, from which address, with the names of the changed fields.",
    query: Type.Object({
      since: Type.Optional(Type.String({ format: 'date-time', description: 'From this time on (inclusive)' })),
      until: Type.Optional(Type.String({ format: 'date-time', description: 'Before this time (exclusive)' })),
      actor: Type.Optional(Type.String({ description: 'Only this actor, e.g. token:12' })),
      resource: Type.Optional(Type.String({ description: 'A key id (`<uuid>`, `1/1/my-key`) or `type:id`' })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      cursor: Type.Optional(Type.String({ description: "A previous page's next_cursor" })),
    }),
    responses: { '200': { description: 'A page of events.', schema: AuditPage }, '400': e('A filter is invalid.'), ...auth },
  },
  healthz: {
    tags: ['Operations'],
    security: [],
    operationId: 'healthz',
    summary: 'Liveness',
    description: 'Answers while the process is up; never touches the database.',
    responses: { '200': { description: 'Alive.', schema: Type.Object({ status: Type.Literal('ok') }), headers: noStore } },
  },
  readyz: {
    tags: ['Operations'],
    security: [],
    operationId: 'readyz',
    summary: 'Readiness',
    description: 'Ready when the database answers and every migration is applied.',
    responses: {
      '200': { description: 'Ready.', schema: Type.Object({ status: Type.Literal('ready') }), headers: noStore },
      '503': { description: 'Not ready, with the reason.', schema: Type.Object({ status: Type.Literal('unavailable'), reason: Type.String() }), headers: noStore },
    },
  },
  metrics: {
    tags: ['Operations'],
    security: [],
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    description: 'Text exposition format 0.0.4. Not on this port when KEYHOLD_METRICS_PORT is set.',
    responses: { '200': { description: 'Metrics.', contentType: 'text/plain; version=0.0.4', schema: Type.String() } },
  },
  openapi: {
    tags: ['Operations'],
    security: [],
    operationId: 'openapi',
    summary: 'This document',
    responses: { '200': { description: 'OpenAPI 3.1.', schema: Type.Object({}, { additionalProperties: true }) } },
  },
  docs: {
    tags: ['Operations'],
    security: [],
    operationId: 'docs',
    summary: 'Interactive API reference',
    responses: { '200': { description: 'Swagger UI over /openapi.json.', contentType: 'text/html', schema: Type.String() } },
  },
} satisfies Record<string, RouteDoc>;
