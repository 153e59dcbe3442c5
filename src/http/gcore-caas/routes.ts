import { AppError } from '../../domain/errors.js';
import { parseDateTime } from '../../domain/time.js';
import type { Container } from '../../domain/types.js';
import type { CaasKeysService } from '../../services/caas-keys.js';
import { actorOf } from '../auth.js';
import { callerOf, defineRoute } from '../route.js';
import {
  CaasApiKeyCreateResultSerializer,
  CaasApiKeyCreateSerializer,
  CaasApiKeyListSerializer,
  CaasApiKeySerializer,
  CaasApiKeyUpdateSerializer,
  gcoreErrorAnswer,
  ItemPath,
  LIST_DEFAULTS,
  ListPath,
  ListQuery,
} from './schemas.js';
import { serializeKey } from './serialize.js';

const invalid = gcoreErrorAnswer('ValidationError: a path parameter, query parameter or body field is invalid (see `invalid_fields`).');
const notFound = gcoreErrorAnswer('NotFoundError: no such key in this project and region, or no such project for this token.');

const LIST = '/v1/caas/keys/:project_id/:region_id';
const ITEM = '/v1/caas/keys/:project_id/:region_id/:key_name';

/** An `expire` that passed validation, as epoch ms (whole seconds: Gcore keeps no fraction). */
function expireAt(text: string): number {
  const ms = parseDateTime(text, 'python');
  if (ms === undefined) throw new AppError('bad_request', `not a date-time: ${text}`);
  return Math.floor(ms / 1000) * 1000;
}

const containers = (list: readonly Container[]) => list.map((c) => ({ name: c.name, namespace: c.namespace }));

/** Gcore's CaaS API-key routes, under `/cloud`. */
export function gcoreRoutes(caasKeys: CaasKeysService) {
  return [
    defineRoute({
      method: 'POST',
      url: LIST,
      ability: 'write',
      operationId: 'CaaSAuthKeysHandler.post',
      secretInAnswer: true,
      summary: 'Create API key',
      description: 'Create a new API key for container authentication. The secret is in this answer only.',
      schema: { params: ListPath, body: CaasApiKeyCreateSerializer },
      bodyRequired: true,
      responses: { 200: { description: 'OK', schema: CaasApiKeyCreateResultSerializer }, 400: invalid, 404: notFound, 409: gcoreErrorAnswer('ConflictError: the name is taken in this project and region.') },
      async handler(request, reply) {
        const { params, body } = request;
        const { key, secret } = await caasKeys.create(actorOf(request), params.project_id, params.region_id, {
          name: body.name,
          description: body.description ?? '',
          containers: containers(body.containers),
          expire: typeof body.expire === 'string' ? expireAt(body.expire) : null,
          isDisabled: body.is_disabled ?? false,
        });
        return reply.code(200).send(serializeKey(key, caasKeys.now(), secret));
      },
    }),
    defineRoute({
      method: 'GET',
      url: LIST,
      ability: 'read',
      operationId: 'CaaSAuthKeysHandler.get',
      summary: 'List API keys',
      description: 'List all API keys in the specified project and region.',
      schema: { params: ListPath, querystring: ListQuery },
      responses: { 200: { description: 'OK', schema: CaasApiKeyListSerializer }, 400: invalid, 404: notFound },
      async handler(request, reply) {
        const { params, query } = request;
        const page = await caasKeys.page(callerOf(request).teamId, params.project_id, params.region_id, query.limit ?? LIST_DEFAULTS.limit, query.offset ?? LIST_DEFAULTS.offset);
        const now = caasKeys.now();
        return reply.send({ count: page.count, results: page.results.map((k) => serializeKey(k, now)) });
      },
    }),
    defineRoute({
      method: 'GET',
      url: ITEM,
      ability: 'read',
      operationId: 'CaaSAuthKeyHandler.get',
      summary: 'Get API key',
      description: 'Get detailed information about a specific API key.',
      schema: { params: ItemPath },
      responses: { 200: { description: 'OK', schema: CaasApiKeySerializer }, 400: invalid, 404: notFound },
      async handler(request, reply) {
        const { project_id, region_id, key_name } = request.params;
        const key = await caasKeys.get(callerOf(request).teamId, project_id, region_id, key_name);
        return reply.send(serializeKey(key, caasKeys.now()));
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: ITEM,
      ability: 'write',
      operationId: 'CaaSAuthKeyHandler.patch',
      summary: 'Update API key',
      description: 'Update the configuration of an existing API key. Absent or null fields are left as they are, except `expire: null`, which clears the expiry.',
      schema: { params: ItemPath, body: CaasApiKeyUpdateSerializer },
      responses: { 200: { description: 'OK', schema: CaasApiKeySerializer }, 400: invalid, 404: notFound },
      async handler(request, reply) {
        const { params, body } = request;
        const key = await caasKeys.update(actorOf(request), params.project_id, params.region_id, params.key_name, {
          // null means "unchanged" for every field but expire, where it clears the expiry.
          description: body.description ?? undefined,
          containers: body.containers ? containers(body.containers) : undefined,
          expire: body.expire === undefined ? undefined : body.expire === null ? null : expireAt(body.expire),
          isDisabled: body.is_disabled ?? undefined,
        });
        return reply.send(serializeKey(key, caasKeys.now()));
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: ITEM,
      ability: 'write',
      operationId: 'CaaSAuthKeyHandler.delete',
      summary: 'Delete API key',
      description: 'Delete an API key and revoke its access.',
      schema: { params: ItemPath },
      responses: { 204: { description: 'No Content' }, 400: invalid, 404: notFound },
      async handler(request, reply) {
        const { project_id, region_id, key_name } = request.params;
        await caasKeys.remove(actorOf(request), project_id, region_id, key_name);
        return reply.code(204).send();
      },
    }),
  ];
}
