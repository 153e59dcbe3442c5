import { Type } from 'typebox';

/** Gcore's name pattern for keys and containers (CaasApiKeyCreateSerializer, CaasNamespacedName). */
export const NAME_PATTERN = '^[a-z][-a-z0-9]{0,62}[a-z0-9]$';

const DateTime = Type.String({ format: 'date-time' });

export const CaasNamespacedName = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN, description: 'Container name' }),
    namespace: Type.String({ description: 'Namespace name' }),
  },
  { title: 'CaasNamespacedName' },
);

export const CaasApiKeyCreateSerializer = Type.Object(
  {
    containers: Type.Array(CaasNamespacedName, { description: 'List of containers using key' }),
    description: Type.Optional(Type.String({ default: '', description: 'Key description' })),
    expire: Type.Optional(Type.Union([DateTime, Type.Null()], { default: null, description: 'Key expires at' })),
    is_disabled: Type.Optional(Type.Boolean({ default: false, description: 'Set to true if key is disabled' })),
    name: Type.String({ pattern: NAME_PATTERN, description: 'Key name' }),
  },
  { title: 'CaasApiKeyCreateSerializer' },
);

export const CaasApiKeyUpdateSerializer = Type.Object(
  {
    containers: Type.Optional(Type.Union([Type.Array(CaasNamespacedName), Type.Null()], { default: null })),
    description: Type.Optional(Type.Union([Type.String(), Type.Null()], { default: null })),
    expire: Type.Optional(Type.Union([DateTime, Type.Null()], { default: null })),
    is_disabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { default: null })),
  },
  { title: 'CaasApiKeyUpdateSerializer' },
);

const keyFields = {
  containers: Type.Array(CaasNamespacedName, { description: 'List of containers using key' }),
  created_at: Type.String({ format: 'date-time', description: 'Key starts to work' }),
  description: Type.String({ description: 'Key description' }),
  expire: Type.Union([DateTime, Type.Null()], { description: 'Key expires at' }),
  is_disabled: Type.Boolean({ description: 'Set to true if key is disabled' }),
  name: Type.String({ description: 'Key name' }),
  source: Type.String({ description: "Source of the apikey, can be 'cloud' or 'iate'" }),
  status: Type.String({ description: 'Key status' }),
};

export const CaasApiKeySerializer = Type.Object(keyFields, { title: 'CaasApiKeySerializer' });
export const CaasApiKeyCreateResultSerializer = Type.Object(
  { ...keyFields, secret: Type.String({ description: 'Secret api key' }) },
  { title: 'CaasApiKeyCreateResultSerializer' },
);
export const CaasApiKeyListSerializer = Type.Object(
  { count: Type.Integer({ minimum: 0 }), results: Type.Array(CaasApiKeySerializer) },
  { title: 'CaasApiKeyListSerializer' },
);
