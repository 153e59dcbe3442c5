import { Type } from 'typebox';
import { CAAS_KEY_LIMITS, MAX_ID } from '../../domain/types.js';
import { component } from '../openapi/document.js';

/**
 * The route schemas, mirroring Gcore's published extract (test/fixtures/upstream/gcore-caas-keys.yaml).
 * They are the single source: Ajv validates requests against them (pydantic.ts words the problems),
 * and they carry the titles, descriptions and examples of the OpenAPI document, under Gcore's
 * component names. Properties are declared in alphabetical order, the order Gcore writes (and
 * validation reports) them.
 */

/** Gcore's name pattern for keys and containers (CaasApiKeyCreateSerializer, CaasNamespacedName). */
export const NAME_PATTERN = '^[a-z][-a-z0-9]{0,62}[a-z0-9]$';

const DateTime = Type.String({ format: 'date-time' });
const CONTAINERS_EXAMPLE = [{ name: 'my-container', namespace: 'space' }];

export const CaasNamespacedName = component(
  'CaasNamespacedName',
  Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN, title: 'Name', description: 'Container name', examples: ['my-container'] }),
    namespace: Type.String({ maxLength: CAAS_KEY_LIMITS.namespaceChars, title: 'Namespace', description: 'Namespace name', examples: ['space'] }),
  },
    { title: 'CaasNamespacedName' },
  ),
);

const containersMeta = { title: 'Containers', description: 'List of containers using key', examples: [CONTAINERS_EXAMPLE] };
const descriptionMeta = { title: 'Description', description: 'Key description', examples: ['my first key'] };
const expireMeta = { title: 'Expire', description: 'Key expires at', examples: ['2023-07-31T00:00:00Z'] };
const disabledMeta = { title: 'Is Disabled', description: 'Set to true if key is disabled', examples: [false] };

export const CaasApiKeyCreateSerializer = component(
  'CaasApiKeyCreateSerializer',
  Type.Object(
  {
    containers: Type.Array(CaasNamespacedName, { ...containersMeta, maxItems: CAAS_KEY_LIMITS.containers }),
    description: Type.Optional(Type.String({ ...descriptionMeta, maxLength: CAAS_KEY_LIMITS.descriptionChars, default: '' })),
    expire: Type.Optional(Type.Union([DateTime, Type.Null()], { ...expireMeta, default: null })),
    is_disabled: Type.Optional(Type.Boolean({ ...disabledMeta, default: false })),
    name: Type.String({ pattern: NAME_PATTERN, title: 'Name', description: 'Key name', examples: ['my-key'] }),
  },
  { title: 'CaasApiKeyCreateSerializer' },
  ),
);

/** Every field "type or null", default null: absent and null mean "unchanged", except `expire: null` (docs/caas-keys.md). */
export const CaasApiKeyUpdateSerializer = component(
  'CaasApiKeyUpdateSerializer',
  Type.Object(
  {
    containers: Type.Optional(Type.Union([Type.Array(CaasNamespacedName, { maxItems: CAAS_KEY_LIMITS.containers }), Type.Null()], { ...containersMeta, default: null })),
    description: Type.Optional(Type.Union([Type.String({ maxLength: CAAS_KEY_LIMITS.descriptionChars }), Type.Null()], { ...descriptionMeta, default: null })),
    expire: Type.Optional(Type.Union([DateTime, Type.Null()], { ...expireMeta, default: null })),
    is_disabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { ...disabledMeta, default: null })),
  },
  { title: 'CaasApiKeyUpdateSerializer' },
  ),
);

const keyFields = {
  containers: Type.Array(CaasNamespacedName, containersMeta),
  created_at: Type.String({ format: 'date-time', title: 'Created At', description: 'Key starts to work', examples: ['2023-08-22T11:21:00Z'] }),
  description: Type.String(descriptionMeta),
  expire: Type.Union([DateTime, Type.Null()], expireMeta),
  is_disabled: Type.Boolean(disabledMeta),
  name: Type.String({ title: 'Name', description: 'Key name', examples: ['my-key'] }),
  source: Type.String({ title: 'Source', description: "Source of the apikey, can be 'cloud' or 'iate'", examples: ['cloud'] }),
  status: Type.String({ title: 'Status', description: 'Key status', examples: ['Expired'] }),
};

export const CaasApiKeySerializer = component('CaasApiKeySerializer', Type.Object(keyFields, { title: 'CaasApiKeySerializer' }));
export const CaasApiKeyCreateResultSerializer = component(
  'CaasApiKeyCreateResultSerializer',
  Type.Object(
  { ...keyFields, secret: Type.String({ title: 'Secret', description: 'Secret api key', examples: ['my-secret'] }) },
  { title: 'CaasApiKeyCreateResultSerializer' },
  ),
);
export const CaasApiKeyListSerializer = component(
  'CaasApiKeyListSerializer',
  Type.Object(
  {
    count: Type.Integer({ minimum: 0, title: 'Count', description: 'Number of objects', examples: [1] }),
    results: Type.Array(CaasApiKeySerializer, { title: 'Results', description: 'Objects' }),
  },
  { title: 'CaasApiKeyListSerializer' },
  ),
);

const pathId = (title: string) => Type.Integer({ minimum: 0, maximum: MAX_ID, title, description: title.replace(' Id', ' id'), examples: [1] });

/** Path of the list routes, in path order (the order `invalid_fields` reports them). */
export const ListPath = Type.Object({ project_id: pathId('Project Id'), region_id: pathId('Region Id') });

/**
 * Path of the single-key routes. Upstream documents `pattern: ^[a-zA-Z0-9][a-zA-Z0-9.-]+[a-zA-Z0-9]$` for
 * `key_name`; it is left out on purpose, since enforcing it would strand 2-character keys (docs/compatibility.md).
 */
export const ItemPath = Type.Object({
  ...ListPath.properties,
  key_name: Type.String({ minLength: 1, title: 'Key Name', description: 'Key name', examples: ['key-name'] }),
});

/** A list page when the query does not say. */
export const LIST_DEFAULTS = { limit: 1000, offset: 0 } as const;

export const ListQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({ exclusiveMinimum: 0, maximum: 1000, default: LIST_DEFAULTS.limit, title: 'Limit', description: 'Optional. Limit the number of returned items', examples: [1000] }),
  ),
  offset: Type.Optional(
    Type.Integer({
      minimum: 0,
      default: LIST_DEFAULTS.offset,
      title: 'Offset',
      description: 'Optional. Offset value is used to exclude the first set of records from the result',
      examples: [0],
    }),
  ),
});

export const GcoreError = component(
  'GcoreError',
  Type.Object(
    {
      exception_class: Type.String({ examples: ['ValidationError'] }),
      message: Type.String({ examples: ["Validation Error: {'name': ['Field required']}"] }),
      request_id: Type.String({ examples: ['3f1c0d2e9a8b4c7d8e6f5a4b3c2d1e0f'] }),
      invalid_fields: Type.Optional(
        Type.Object({}, { additionalProperties: Type.Array(Type.String()), description: 'Validation errors only: field path → messages', examples: [{ name: ['Field required'] }] }),
      ),
    },
    { description: "Gcore's error body" },
  ),
);

/** A documented error answer of a Gcore route: its description and Gcore's error body. */
export const gcoreErrorAnswer = (description: string) => ({ description, schema: GcoreError });
