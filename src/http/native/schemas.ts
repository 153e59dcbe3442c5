import { Type } from 'typebox';
import { literalUnion } from '../literal-union.js';
import { MAX_ID } from '../../domain/types.js';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT } from '../../services/audit.js';
import { VERIFY_CODES } from '../../services/verify.js';
import { component } from '../openapi/document.js';

/** Schemas of keyhold's own routes: validation, types and the OpenAPI components in one. */

/** Every code of keyhold's error body: the services' closed set, and the one the body reader adds. */
export const NATIVE_ERROR_CODES = ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'unavailable', 'internal', 'unsupported_media_type'] as const;

export const NativeError = component(
  'Error',
  Type.Object(
    {
      error: Type.Object({
        code: literalUnion(
          NATIVE_ERROR_CODES,
          { description: 'What kind of failure: each maps to one HTTP status (unsupported_media_type: 415, for bodies an HTML form can send)' },
        ),
        message: Type.String(),
        request_id: Type.String({ description: 'Also sent as X-Request-Id' }),
      }),
    },
    { description: "keyhold's error body" },
  ),
);

/** A documented error answer of a native route: its description and keyhold's error body. */
export const errorAnswer = (description: string) => ({ description, schema: NativeError });

/** A record id: ids live in 32-bit integer columns. */
export const Id = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_ID, description });

const VerifyCode = literalUnion(
  VERIFY_CODES,
  {
    description:
      'MALFORMED: the checksum fails (no database lookup). FORBIDDEN_CONTAINER: the key is valid but not bound to that container. RATE_LIMITED: the key is over its rate limit (see `retry_after`).',
  },
);

export const VerifyRequest = component(
  'VerifyRequest',
  Type.Object({
    key: Type.String({ description: 'The API key secret a client presented', examples: ['khk_…'] }),
    container: Type.Object({
      name: Type.String({ examples: ['my-container'] }),
      namespace: Type.Optional(Type.String({ default: 'default', examples: ['space'] })),
    }),
    project_id: Type.Optional(Id('Only keys of this project are accepted')),
    region_id: Type.Optional(Id('Only keys of this region are accepted')),
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
    retry_after: Type.Optional(Type.Integer({ minimum: 1, description: 'RATE_LIMITED only: seconds until the key\'s rate-limit window ends' })),
    rotating_until: Type.Optional(
      Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
        description: "Present when the key is a rerolled key's previous secret, still in its grace period: when that ends. Move the client to the new secret before then.",
      }),
    ),
  }),
);

export const ForwardAuthQuery = Type.Object({
  container: Type.Optional(Type.String({ description: 'Target container name (else the X-Container-Name header)' })),
  namespace: Type.Optional(Type.String({ description: 'Its namespace (else the X-Container-Namespace header, else `default`)' })),
  project_id: Type.Optional(Id('Only keys of this project')),
  region_id: Type.Optional(Id('Only keys of this region')),
});

export const ForwardAuthRefusal = Type.Object({ valid: Type.Literal(false), code: Type.String({ examples: ['NOT_FOUND'] }) });

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
    detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
      description: 'What the action was about beyond field names, e.g. for `private_key.sign`: outcome, purpose, user, host_fingerprint, key_fingerprint, forwarded, reason',
    }),
  }),
);

export const AuditVerdict = component(
  'AuditVerdict',
  Type.Object({
    ok: Type.Boolean(),
    verified: Type.Integer({ description: 'Entries that verified (before the break, when broken)' }),
    broken_at: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'The first entry changed, inserted, or following removed ones (null: the chain end itself)' })),
    reason: Type.Optional(Type.String()),
  }),
);

export const AuditExportQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this time' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries before this time' })),
  },
  { additionalProperties: false },
);

export const AuditPage = component('AuditPage', Type.Object({ events: Type.Array(AuditEntry), next_cursor: Type.Union([Type.String(), Type.Null()]) }));

/** A filter value: something, but not a novel. */
const Filter = (description: string) => Type.String({ minLength: 1, maxLength: 1000, description });

export const AuditQuery = Type.Object(
  {
    since: Type.Optional(Type.String({ format: 'date-time', description: 'From this time on (inclusive)' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'Before this time (exclusive)' })),
    actor: Type.Optional(Filter('Only this actor, e.g. token:12')),
    resource: Type.Optional(Filter('A key id (`<uuid>`, `1/1/my-key`) or `type:id`')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: AUDIT_MAX_LIMIT, default: AUDIT_DEFAULT_LIMIT })),
    cursor: Type.Optional(Type.String({ description: "A previous page's next_cursor" })),
  },
  { additionalProperties: false },
);
