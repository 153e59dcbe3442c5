import { Type } from 'typebox';
import { MAX_ID } from '../../domain/types.js';

/**
 * The route schemas, mirroring Gcore's published extract (shared/spec/openapi/gcore-caas-keys.yaml).
 * They are the single source: validation.ts walks them for pydantic-style checks, and they carry the
 * titles, descriptions and examples an OpenAPI document needs. Properties are declared in
 * alphabetical order, the order Gcore writes (and validation reports) them.
 */

/** Gcore's name pattern for keys and containers (CaasApiKeyCreateSerializer, CaasNamespacedName). */
export const NAME_PATTERN = '^[a-z][-a-z0-9]{0,62}[a-z0-9]$';

const DateTime = Type.String({ format: 'date-time' });
const CONTAINERS_EXAMPLE = [{ name: 'my-container', namespace: 'space' }];

export const CaasNamespacedName = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN, title: 'Name', description: 'Container name', examples: ['my-container'] }),
    namespace: Type.String({ title: 'Namespace', description: 'Namespace name', examples: ['space'] }),
  },
  { title: 'CaasNamespacedName' },
);

const containersMeta = { title: 'Containers', description: 'List of containers using key', examples: [CONTAINERS_EXAMPLE] };
const descriptionMeta = { title: 'Description', description: 'Key description', examples: ['my first key'] };
const expireMeta = { title: 'Expire', description: 'Key expires at', examples: ['2023-07-31T00:00:00Z'] };
const disabledMeta = { title: 'Is Disabled', description: 'Set to true if key is disabled', examples: [false] };

export const CaasApiKeyCreateSerializer = Type.Object(
  {
    containers: Type.Array(CaasNamespacedName, containersMeta),
    description: Type.Optional(Type.String({ ...descriptionMeta, default: '' })),
    expire: Type.Optional(Type.Union([DateTime, Type.Null()], { ...expireMeta, default: null })),
    is_disabled: Type.Optional(Type.Boolean({ ...disabledMeta, default: false })),
    name: Type.String({ pattern: NAME_PATTERN, title: 'Name', description: 'Key name', examples: ['my-key'] }),
  },
  { title: 'CaasApiKeyCreateSerializer' },
);

/** Every field "type or null", default null: absent and null mean "unchanged", except `expire: null` (spec 5). */
export const CaasApiKeyUpdateSerializer = Type.Object(
  {
    containers: Type.Optional(Type.Union([Type.Array(CaasNamespacedName), Type.Null()], { ...containersMeta, default: null })),
    description: Type.Optional(Type.Union([Type.String(), Type.Null()], { ...descriptionMeta, default: null })),
    expire: Type.Optional(Type.Union([DateTime, Type.Null()], { ...expireMeta, default: null })),
    is_disabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { ...disabledMeta, default: null })),
  },
  { title: 'CaasApiKeyUpdateSerializer' },
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

export const CaasApiKeySerializer = Type.Object(keyFields, { title: 'CaasApiKeySerializer' });
export const CaasApiKeyCreateResultSerializer = Type.Object(
  { ...keyFields, secret: Type.String({ title: 'Secret', description: 'Secret api key', examples: ['my-secret'] }) },
  { title: 'CaasApiKeyCreateResultSerializer' },
);
export const CaasApiKeyListSerializer = Type.Object(
  {
    count: Type.Integer({ minimum: 0, title: 'Count', description: 'Number of objects', examples: [1] }),
    results: Type.Array(CaasApiKeySerializer, { title: 'Results', description: 'Objects' }),
  },
  { title: 'CaasApiKeyListSerializer' },
);

const pathId = (title: string) => Type.Integer({ minimum: 0, maximum: MAX_ID, title, description: title.replace(' Id', ' id'), examples: [1] });

/** Path of the list routes, in path order (the order `invalid_fields` reports them). */
export const ListPath = Type.Object({ project_id: pathId('Project Id'), region_id: pathId('Region Id') });

/**
 * Path of the single-key routes. Upstream documents `pattern: ^[a-zA-Z0-9][a-zA-Z0-9.-]+[a-zA-Z0-9]$` for
 * `key_name`; it is left out on purpose, since enforcing it would strand 2-character keys (spec 2.1).
 */
export const ItemPath = Type.Object({
  ...ListPath.properties,
  key_name: Type.String({ minLength: 1, title: 'Key Name', description: 'Key name', examples: ['key-name'] }),
});

export const ListQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({ exclusiveMinimum: 0, maximum: 1000, default: 1000, title: 'Limit', description: 'Optional. Limit the number of returned items', examples: [1000] }),
  ),
  offset: Type.Optional(
    Type.Integer({
      minimum: 0,
      default: 0,
      title: 'Offset',
      description: 'Optional. Offset value is used to exclude the first set of records from the result',
      examples: [0],
    }),
  ),
});
