import { Type } from 'typebox';
import { AppError, isAppError } from '../../domain/errors.js';
import type { PrivateKeysService } from '../../services/private-keys.js';
import { actorFor } from '../auth.js';
import { callerOf, defineRoute, type RouteDefinition } from '../route.js';
import { RevealedSshKey, SshKey, SshKeyCreate, SshKeyUpdate } from './resource-schemas.js';
import { NativeError } from './schemas.js';
import { privateKeyWire } from './wire.js';

const err = (description: string) => ({ description, schema: NativeError });
const tags = ['SSH keys'];
const UuidPath = Type.Object({ uuid: Type.String({ minLength: 1, maxLength: 64, description: 'The key\'s uuid' }) });

/** The service's key-check failure, in this API's words. */
async function explainingKeyProblems<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (isAppError(e, 'bad_request')) throw new AppError('bad_request', 'private_key is not a key keyhold reads: an unencrypted PEM (PKCS#1, PKCS#8, SEC1) or OpenSSH private key');
    if (isAppError(e, 'conflict')) throw new AppError('conflict', 'the team already has this key (same fingerprint)');
    throw e;
  }
}

/**
 * The team's SSH private keys: the same store and key rules as the Coolify surface, but the key
 * text is never in these answers; `reveal` returns it to `read:sensitive` tokens, audited each time.
 */
export function sshKeyRoutes(privateKeys: PrivateKeysService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/private-keys',
      ability: 'read',
      operationId: 'list-ssh-keys',
      summary: 'List SSH keys',
      tags,
      schema: {},
      responses: { 200: { description: "The team's keys, oldest first.", schema: Type.Array(SshKey) } },
      handler: async (request) => (await privateKeys.list(callerOf(request).teamId, false)).map(privateKeyWire),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/private-keys',
      ability: 'write',
      operationId: 'create-ssh-key',
      summary: 'Add an SSH key',
      tags,
      schema: { body: SshKeyCreate },
      bodyRequired: true,
      responses: { 201: { description: 'Stored, encrypted.', schema: SshKey }, 400: err('Not a key keyhold reads.'), 409: err('The team already has this key.') },
      async handler(request, reply) {
        const { name, description, private_key } = request.body;
        const created = await explainingKeyProblems(
          privateKeys.create(actorFor(callerOf(request), request), { name, description: description ?? null, privateKey: private_key }),
        );
        return reply.code(201).send(privateKeyWire(created));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/private-keys/:uuid',
      ability: 'read',
      operationId: 'get-ssh-key',
      summary: 'Get an SSH key',
      tags,
      schema: { params: UuidPath },
      responses: { 200: { description: 'The key, without its private part.', schema: SshKey }, 404: err('No such key in the team.') },
      handler: async (request) => privateKeyWire(await privateKeys.get(callerOf(request).teamId, request.params.uuid, false)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/private-keys/:uuid',
      ability: 'write',
      operationId: 'update-ssh-key',
      summary: 'Rename, describe or replace an SSH key',
      tags,
      schema: { params: UuidPath, body: SshKeyUpdate },
      bodyRequired: true,
      responses: { 200: { description: 'The key as it now stands.', schema: SshKey }, 400: err('Not a key keyhold reads.'), 404: err('No such key in the team.'), 409: err('The team already has that key.') },
      async handler(request) {
        const { name, description, private_key } = request.body;
        const updated = await explainingKeyProblems(
          privateKeys.update(actorFor(callerOf(request), request), request.params.uuid, { name, description, privateKey: private_key }),
        );
        return privateKeyWire(updated);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/private-keys/:uuid',
      ability: 'write',
      operationId: 'delete-ssh-key',
      summary: 'Delete an SSH key',
      tags,
      schema: { params: UuidPath },
      responses: { 204: { description: 'Deleted.' }, 404: err('No such key in the team.') },
      async handler(request, reply) {
        await privateKeys.remove(actorFor(callerOf(request), request), request.params.uuid);
        return reply.code(204).send();
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/private-keys/:uuid/reveal',
      ability: 'read:sensitive',
      operationId: 'reveal-ssh-key',
      secretInAnswer: true,
      summary: 'Reveal an SSH private key',
      description: 'The private key text, for `read:sensitive` (or `root`) tokens. Every reveal writes an audit row (`private_key.reveal`).',
      tags,
      schema: { params: UuidPath },
      responses: { 200: { description: 'The key text.', schema: RevealedSshKey, headers: { 'Cache-Control': { description: 'no-store', schema: Type.String() } } }, 404: err('No such key in the team.') },
      async handler(request, reply) {
        const k = await privateKeys.reveal(actorFor(callerOf(request), request), request.params.uuid);
        return reply.header('cache-control', 'no-store').send({ uuid: k.uuid, private_key: k.privateKey });
      },
    }),
  ];
}
