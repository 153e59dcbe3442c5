import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { isAppError } from '../../domain/errors.js';
import { canReadSensitive } from '../../domain/types.js';
import { KeyInUse, type PrivateKeysService } from '../../services/private-keys.js';
import { actorOf } from '../auth.js';
import { sendJson } from '../dialect.js';
import { callerOf, defineRoute, type ResponseSpec, type RouteDefinition } from '../route.js';
import { phpBase64Decode, stripTags } from './input.js';
import { generateKeyName } from './names.js';
import { CreateKeyBody, Message, PrivateKey, UpdateKeyBody, Uuid, UuidPath, ValidationErrors } from './schemas.js';
import { serializeKey } from './serialize.js';

const invalidRequest: ResponseSpec = {
  description: 'Invalid request: the body is not JSON, not an object, or empty; or the token is malformed.',
  schema: Type.Object({ message: Type.Optional(Type.String({ examples: ['Invalid request.'] })), error: Type.Optional(Type.String({ examples: ['Invalid JSON.'] })) }),
};
const notFound: ResponseSpec = { description: 'Private Key not found.', schema: Message('Private Key not found.') };
const invalid: ResponseSpec = { description: 'Validation error.', schema: ValidationErrors };
const text = (reply: FastifyReply, body: string) => reply.type('text/html; charset=UTF-8').send(body);

/** Coolify's `/api` routes: private keys, version and health, with upstream's status codes and literal bodies. */
export function coolifyRoutes(privateKeys: PrivateKeysService, version: string): RouteDefinition[] {
  const health = defineRoute({
    method: 'GET',
    url: '/v1/health',
    operationId: 'healthcheck',
    summary: 'Healthcheck',
    description: "Coolify's health route: `OK` while the process is up.",
    tags: ['Coolify'],
    schema: {},
    responses: { 200: { description: 'Healthy.', contentType: 'text/html', schema: Type.String({ examples: ['OK'] }) } },
    handler: (_request, reply) => text(reply, 'OK'),
  });
  return [
    health,
    // Both paths answer; upstream documents the one under /api/v1.
    { ...health, url: '/health', documented: false },
    defineRoute({
      method: 'GET',
      url: '/v1/version',
      ability: 'read',
      operationId: 'version',
      summary: 'Version',
      description: 'The Coolify version keyhold presents (`KEYHOLD_COOLIFY_VERSION`).',
      tags: ['Coolify'],
      schema: {},
      responses: { 200: { description: 'The version, as text.', contentType: 'text/html', schema: Type.String({ examples: ['4.3.11'] }) } },
      handler: (_request, reply) => text(reply, version),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/security/keys',
      ability: 'read',
      operationId: 'list-private-keys',
      secretInAnswer: true,
      summary: 'List',
      description: 'List all private keys.',
      schema: {},
      responses: { 200: { description: 'Get all private keys.', schema: Type.Array(PrivateKey) }, 400: invalidRequest },
      async handler(request, reply) {
        const caller = callerOf(request);
        const keys = await privateKeys.list(caller, canReadSensitive(caller.abilities));
        return sendJson(reply, 200, keys.map(serializeKey));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/security/keys/:uuid',
      ability: 'read',
      operationId: 'get-private-key-by-uuid',
      secretInAnswer: true,
      summary: 'Get',
      description: 'Get key by UUID.',
      schema: { params: UuidPath },
      responses: { 200: { description: 'Get all private keys.', schema: PrivateKey }, 400: invalidRequest, 404: notFound },
      async handler(request, reply) {
        const caller = callerOf(request);
        const key = await privateKeys.get(caller, request.params.uuid, canReadSensitive(caller.abilities));
        return sendJson(reply, 200, serializeKey(key));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/security/keys',
      ability: 'write',
      operationId: 'create-private-key',
      summary: 'Create',
      description: 'Create a new private key.',
      schema: { body: CreateKeyBody },
      bodyRequired: true,
      responses: { 201: { description: "The created private key's UUID.", schema: Uuid }, 400: invalidRequest, 422: invalid },
      async handler(request, reply) {
        const { name, description } = request.body;
        const privateKey = request.body.private_key.startsWith('-----BEGIN') ? request.body.private_key : phpBase64Decode(request.body.private_key);
        try {
          const created = await privateKeys.create(actorOf(request), {
            // PHP falsiness: a missing name or "0" gets a generated one.
            name: name && name !== '0' ? stripTags(name) : generateKeyName(),
            description: description && description !== '0' ? stripTags(description) : 'Created by Coolify via API',
            privateKey,
          });
          return sendJson(reply, 201, { uuid: created.uuid });
        } catch (err) {
          if (isAppError(err, 'bad_request')) return sendJson(reply, 422, { message: 'Invalid private key.' });
          if (isAppError(err, 'conflict')) return sendJson(reply, 422, { message: 'Private key already exists.' });
          throw err;
        }
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/security/keys/:uuid',
      ability: 'write',
      operationId: 'update-private-key',
      summary: 'Update',
      description: 'Update a private key. `private_key` is required even to rename a key, and success is 201, as upstream.',
      schema: { params: UuidPath, body: UpdateKeyBody },
      bodyRequired: true,
      responses: { 201: { description: "The updated private key's UUID.", schema: Uuid }, 400: invalidRequest, 404: notFound, 422: invalid },
      async handler(request, reply) {
        const { name, description, private_key } = request.body;
        try {
          const updated = await privateKeys.update(actorOf(request), request.params.uuid, {
            name: name === undefined ? undefined : stripTags(name),
            description: description === undefined ? undefined : stripTags(description),
            privateKey: private_key,
          });
          return sendJson(reply, 201, { uuid: updated.uuid });
        } catch (err) {
          // Upstream raises these from the model's saving hook, hence the ValidationException shape.
          const model = (message: string) => sendJson(reply, 422, { message, errors: { private_key: [message] } });
          if (isAppError(err, 'bad_request')) return model('The private key is invalid.');
          if (err instanceof KeyInUse) return model('This private key is in use by an SSH certificate authority and cannot be replaced.');
          if (isAppError(err, 'conflict')) return model('This private key already exists.');
          throw err;
        }
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/security/keys/:uuid',
      ability: 'write',
      operationId: 'delete-private-key-by-uuid',
      summary: 'Delete',
      description: 'Delete a private key.',
      schema: { params: UuidPath },
      responses: {
        200: { description: 'Private Key deleted.', schema: Message('Private Key deleted.') },
        400: invalidRequest,
        404: notFound,
        422: { description: 'Private Key is in use and cannot be deleted.', schema: Message('Private Key is in use and cannot be deleted.') },
      },
      async handler(request, reply) {
        try {
          await privateKeys.remove(actorOf(request), request.params.uuid);
        } catch (err) {
          // Upstream's answer for a key in use; here the user is one of keyhold's SSH CAs.
          if (err instanceof KeyInUse) {
            return sendJson(reply, 422, { message: 'Private Key is in use and cannot be deleted.', details: 'This private key is the signing key of an SSH certificate authority in keyhold.' });
          }
          throw err;
        }
        return sendJson(reply, 200, { message: 'Private Key deleted.' });
      },
    }),
  ];
}
