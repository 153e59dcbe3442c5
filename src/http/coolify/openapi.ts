import { Type } from 'typebox';
import { component, RETRY_AFTER, type ResponseDoc, type RouteDoc } from '../openapi/document.js';

/**
 * The Coolify surface's OpenAPI descriptions, after upstream's extract
 * (shared/spec/openapi/coolify-security-keys.yaml, vendored in test/fixtures/upstream):
 * the same operation ids, tags, summaries, parameters, request bodies and success codes, and
 * schemas with the same properties and required fields. Where upstream's file is wrong, the route
 * as served wins: PATCH is documented on `/security/keys/{uuid}`, and `description` may be null.
 */

// Upstream's response schemas require no property (every field Optional here too), so a client
// generated from either document reads the same objects. keyhold always sends every field but
// `private_key`, which only tokens with `read:sensitive` or `root` get.
const O = Type.Optional;

export const PrivateKey = component(
  'PrivateKey',
  Type.Object(
    {
      id: O(Type.Integer()),
      uuid: O(Type.String()),
      name: O(Type.String()),
      description: O(Type.Union([Type.String(), Type.Null()])),
      private_key: O(Type.String({ format: 'private-key', description: 'Only for tokens with `read:sensitive` or `root`.' })),
      public_key: O(Type.String({ description: 'The public key of the private key.' })),
      fingerprint: O(Type.String({ description: 'The fingerprint of the private key.' })),
      is_git_related: O(Type.Boolean()),
      team_id: O(Type.Integer()),
      created_at: O(Type.String()),
      updated_at: O(Type.String()),
    },
    { description: 'Private Key model' },
  ),
);

const Message = (example: string) => Type.Object({ message: O(Type.String({ examples: [example] })) });

export const KeyInput = Type.Object(
  { name: O(Type.String()), description: O(Type.String()), private_key: Type.String() },
  { additionalProperties: false },
);

const Uuid = Type.Object({ uuid: O(Type.String()) });

const r400: ResponseDoc = {
  description: 'Invalid request: the body is not JSON, not an object, or empty; or the token is malformed.',
  schema: Type.Object({ message: O(Type.String({ examples: ['Invalid request.'] })), error: O(Type.String({ examples: ['Invalid JSON.'] })) }),
};
const r401: ResponseDoc = { description: 'Unauthenticated.', schema: Message('Unauthenticated.') };
const r403: ResponseDoc = { description: 'The token lacks the ability this route needs.', schema: Message('Missing required permissions: write') };
const r404: ResponseDoc = { description: 'Private Key not found.', schema: Message('Private Key not found.') };
const r422: ResponseDoc = {
  description: 'Validation error.',
  schema: Type.Object({
    message: O(Type.String({ examples: ['Validation error.'] })),
    errors: O(Type.Object({}, { additionalProperties: Type.Array(Type.String()), examples: [{ private_key: ['The private key field is required.'] }] })),
  }),
};
const r429: ResponseDoc = {
  description: 'Too many failed authentications from this address.',
  schema: Message('Too Many Attempts.'),
  headers: RETRY_AFTER,
};

const uuidPath = Type.Object({ uuid: Type.String({ description: 'Private Key UUID' }) });
const base = { tags: ['Private Keys'], security: ['bearerAuth'] };

export const coolifyDocs = {
  list: {
    ...base,
    operationId: 'list-private-keys',
    summary: 'List',
    description: 'List all private keys.',
    responses: { '200': { description: 'Get all private keys.', schema: Type.Array(PrivateKey) }, '400': r400, '401': r401, '403': r403, '429': r429 },
  },
  create: {
    ...base,
    operationId: 'create-private-key',
    summary: 'Create',
    description: 'Create a new private key.',
    body: { schema: KeyInput, required: true },
    responses: { '201': { description: "The created private key's UUID.", schema: Uuid }, '400': r400, '401': r401, '403': r403, '422': r422, '429': r429 },
  },
  get: {
    ...base,
    operationId: 'get-private-key-by-uuid',
    summary: 'Get',
    description: 'Get key by UUID.',
    path: uuidPath,
    responses: { '200': { description: 'Get all private keys.', schema: PrivateKey }, '400': r400, '401': r401, '403': r403, '404': r404, '429': r429 },
  },
  update: {
    ...base,
    operationId: 'update-private-key',
    summary: 'Update',
    description: 'Update a private key. `private_key` is required even to rename a key, and success is 201, as upstream.',
    path: uuidPath,
    body: { schema: KeyInput, required: true },
    responses: { '201': { description: "The updated private key's UUID.", schema: Uuid }, '400': r400, '401': r401, '403': r403, '404': r404, '422': r422, '429': r429 },
  },
  delete: {
    ...base,
    operationId: 'delete-private-key-by-uuid',
    summary: 'Delete',
    description: 'Delete a private key.',
    path: uuidPath,
    responses: {
      '200': { description: 'Private Key deleted.', schema: Message('Private Key deleted.') },
      '400': r400,
      '401': r401,
      '403': r403,
      '404': r404,
      '422': { description: 'Private Key is in use and cannot be deleted.', schema: Message('Private Key is in use and cannot be deleted.') },
      '429': r429,
    },
  },
  health: {
    tags: ['Coolify'],
    security: [],
    operationId: 'healthcheck',
    summary: 'Healthcheck',
    description: 'Coolify\'s health route: `OK` while the process is up.',
    responses: { '200': { description: 'Healthy.', contentType: 'text/html', schema: Type.String({ examples: ['OK'] }) } },
  },
  version: {
    tags: ['Coolify'],
    security: ['bearerAuth'],
    operationId: 'version',
    summary: 'Version',
    description: 'The Coolify version keyhold presents (`KEYHOLD_COOLIFY_VERSION`).',
    responses: { '200': { description: 'The version, as text.', contentType: 'text/html', schema: Type.String({ examples: ['4.3.11'] }) }, '401': r401, '403': r403, '429': r429 },
  },
} satisfies Record<string, RouteDoc>;
