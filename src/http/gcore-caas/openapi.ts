import { Type } from 'typebox';
import { component, RETRY_AFTER, type ResponseDoc, type RouteDoc } from '../openapi/document.js';
import {
  CaasApiKeyCreateResultSerializer,
  CaasApiKeyCreateSerializer,
  CaasApiKeyListSerializer,
  CaasApiKeySerializer,
  CaasApiKeyUpdateSerializer,
  CaasNamespacedName,
  ItemPath,
  ListPath,
  ListQuery,
} from './schemas.js';

/**
 * The Gcore surface's OpenAPI descriptions: the validation schemas themselves (schemas.ts), under
 * the component names, operation ids, tags and summaries of Gcore's file
 * (shared/spec/openapi/gcore-caas-keys.yaml, vendored in test/fixtures/upstream), plus the error
 * responses Gcore leaves undocumented, in its error format.
 */

for (const [name, schema] of Object.entries({
  CaasNamespacedName,
  CaasApiKeyCreateSerializer,
  CaasApiKeyUpdateSerializer,
  CaasApiKeySerializer,
  CaasApiKeyCreateResultSerializer,
  CaasApiKeyListSerializer,
})) {
  component(name, schema);
}

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

const err = (description: string): ResponseDoc => ({ description, schema: GcoreError });
const common = {
  '400': err('ValidationError: a path parameter, query parameter or body field is invalid (see `invalid_fields`).'),
  '401': err('Missing, malformed, unknown, expired or revoked token.'),
  '403': err('ForbiddenError: the token may not do this (a `read` token writing).'),
  '429': { ...err('Too many failed authentications from this address.'), headers: RETRY_AFTER },
};
const notFound = err('NotFoundError: no such key in this project and region (or HTTPError: no such project for this token).');

const base = { tags: ['Container as a Service'], security: ['APIKey'] };

export const gcoreDocs = {
  create: {
    ...base,
    operationId: 'CaaSAuthKeysHandler.post',
    summary: 'Create API key',
    description: 'Create a new API key for container authentication. The secret is in this answer only.',
    path: ListPath,
    body: { schema: CaasApiKeyCreateSerializer, required: false },
    responses: { '200': { description: 'OK', schema: CaasApiKeyCreateResultSerializer }, ...common, '404': notFound, '409': err('ConflictError: the name is taken in this project and region.') },
  },
  list: {
    ...base,
    operationId: 'CaaSAuthKeysHandler.get',
    summary: 'List API keys',
    description: 'List all API keys in the specified project and region.',
    path: ListPath,
    query: ListQuery,
    responses: { '200': { description: 'OK', schema: CaasApiKeyListSerializer }, ...common, '404': notFound },
  },
  get: {
    ...base,
    operationId: 'CaaSAuthKeyHandler.get',
    summary: 'Get API key',
    description: 'Get detailed information about a specific API key.',
    path: ItemPath,
    responses: { '200': { description: 'OK', schema: CaasApiKeySerializer }, ...common, '404': notFound },
  },
  update: {
    ...base,
    operationId: 'CaaSAuthKeyHandler.patch',
    summary: 'Update API key',
    description: 'Update the configuration of an existing API key. Absent or null fields are left as they are, except `expire: null`, which clears the expiry.',
    path: ItemPath,
    body: { schema: CaasApiKeyUpdateSerializer, required: false },
    responses: { '200': { description: 'OK', schema: CaasApiKeySerializer }, ...common, '404': notFound },
  },
  delete: {
    ...base,
    operationId: 'CaaSAuthKeyHandler.delete',
    summary: 'Delete API key',
    description: 'Delete an API key and revoke its access.',
    path: ItemPath,
    responses: { '204': { description: 'No Content' }, ...common, '404': notFound },
  },
} satisfies Record<string, RouteDoc>;
