import { Type } from 'typebox';
import { AppError } from '../../domain/errors.js';
import { formatDateTime, parseDateTime } from '../../domain/time.js';
import type { RateLimit } from '../../domain/types.js';
import type { CaasKeysService } from '../../services/caas-keys.js';
import { actorOf } from '../auth.js';
import { callerOf, defineRoute, type RouteDefinition } from '../route.js';
import { ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyPage, ApiKeyQuery, ApiKeyReroll, ApiKeyUpdate, ApiKeyUpdated } from './resource-schemas.js';
import { errorAnswer, Id } from './schemas.js';
import { apiKeyWire } from './wire.js';

/**
 * An expiry in the past is kept as given (the key is Expired from then on, as on Gcore's surface),
 * and said in a warning, so no one makes a dead key without knowing.
 */
function expiryWarnings(expire: number | null, now: number): { warnings?: string[] } {
  if (expire === null || expire > now) return {};
  return { warnings: [`expire ${formatDateTime(expire, 's')} is in the past: the key is Expired and verifies as EXPIRED until its expiry is moved`] };
}

const tags = ['API keys'];
const ItemPath = Type.Object({
  project_id: Id('Project id'),
  region_id: Id('Region id'),
  name: Type.String({ minLength: 1, maxLength: 64, description: 'Key name' }),
});

/** A validated RFC 3339 `expire` (or null), as stored: whole seconds, as the Gcore surface keeps them. */
function expireAt(text: string | null): number | null {
  if (text === null) return null;
  const ms = parseDateTime(text);
  if (ms === undefined) throw new AppError('bad_request', 'expire must be an RFC 3339 date-time with an offset');
  return Math.floor(ms / 1000) * 1000;
}

/** The wire's rate limit as the services keep it. */
const rateLimitFrom = (r: { limit: number; window_seconds: number } | null | undefined): RateLimit | null => (r ? { limit: r.limit, windowSeconds: r.window_seconds } : null);

/**
 * The team's CaaS API keys across its projects: the same store and rules as the Gcore surface (a
 * key made here is served there and the other way round), plus status, secret prefix and last use.
 */
export function apiKeyRoutes(caasKeys: CaasKeysService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/api-keys',
      ability: 'read',
      operationId: 'list-api-keys',
      summary: 'List API keys',
      description: "The team's keys in creation order, a page at a time, filtered by project, region, status or text.",
      tags,
      schema: { querystring: ApiKeyQuery },
      responses: { 200: { description: 'A page of keys.', schema: ApiKeyPage }, 400: errorAnswer('A filter is invalid.') },
      async handler(request) {
        const { project_id, region_id, status, q, limit, cursor } = request.query;
        const page = await caasKeys.search(callerOf(request).teamId, { projectId: project_id, regionId: region_id, status, text: q, limit: limit ?? 100, cursor });
        const now = caasKeys.now();
        return { keys: page.keys.map((k) => apiKeyWire(k, now)), next_cursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/api-keys',
      ability: 'write',
      operationId: 'create-api-key',
      secretInAnswer: true,
      summary: 'Create an API key',
      description: 'The secret is in this answer only.',
      tags,
      schema: { body: ApiKeyCreate },
      bodyRequired: true,
      responses: { 201: { description: 'Created; copy `secret` now.', schema: ApiKeyCreated }, 404: errorAnswer('No such project (in the team) or region.'), 409: errorAnswer('The name is taken in that project and region.') },
      async handler(request, reply) {
        const b = request.body;
        const { key, secret } = await caasKeys.create(actorOf(request), b.project_id, b.region_id, {
          name: b.name,
          description: b.description ?? '',
          containers: b.containers,
          expire: expireAt(b.expire ?? null),
          isDisabled: b.is_disabled ?? false,
          rateLimit: rateLimitFrom(b.rate_limit),
        });
        return reply.code(201).send({ ...apiKeyWire(key, caasKeys.now()), secret, ...expiryWarnings(key.expire, caasKeys.now()) });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/api-keys/:project_id/:region_id/:name',
      ability: 'read',
      operationId: 'get-api-key',
      summary: 'Get an API key',
      tags,
      schema: { params: ItemPath },
      responses: { 200: { description: 'The key.', schema: ApiKey }, 404: errorAnswer('No such key.') },
      async handler(request) {
        const { project_id, region_id, name } = request.params;
        return apiKeyWire(await caasKeys.get(callerOf(request).teamId, project_id, region_id, name), caasKeys.now());
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/api-keys/:project_id/:region_id/:name',
      ability: 'write',
      operationId: 'update-api-key',
      summary: 'Update an API key',
      description: 'Containers, description, expiry (null clears it) and the disabled flag; fields left out keep their value. Gateways see the change at once.',
      tags,
      schema: { params: ItemPath, body: ApiKeyUpdate },
      bodyRequired: true,
      responses: { 200: { description: 'The key as it now stands.', schema: ApiKeyUpdated }, 404: errorAnswer('No such key.') },
      async handler(request) {
        const { project_id, region_id, name } = request.params;
        const b = request.body;
        const key = await caasKeys.update(actorOf(request), project_id, region_id, name, {
          description: b.description,
          containers: b.containers,
          expire: b.expire === undefined ? undefined : expireAt(b.expire),
          isDisabled: b.is_disabled,
          rateLimit: b.rate_limit === undefined ? undefined : rateLimitFrom(b.rate_limit),
        });
        return { ...apiKeyWire(key, caasKeys.now()), ...(b.expire === undefined ? {} : expiryWarnings(key.expire, caasKeys.now())) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/api-keys/:project_id/:region_id/:name/reroll',
      ability: 'write',
      operationId: 'reroll-api-key',
      secretInAnswer: true,
      summary: 'Reroll an API key',
      description:
        'Replaces the secret and nothing else (name, containers, expiry, disabled flag stay). The new secret is in this answer only. ' +
        'The replaced secret keeps verifying for `grace_seconds` (verification answers then carry `rotating_until`); ' +
        'a secret kept from an earlier reroll stops at once, so at most two are ever valid. Every process refuses the old secret within a second of the end.',
      tags,
      schema: { params: ItemPath, body: ApiKeyReroll },
      responses: { 201: { description: 'Rerolled; copy `secret` now.', schema: ApiKeyCreated }, 404: errorAnswer('No such key.') },
      async handler(request, reply) {
        const { project_id, region_id, name } = request.params;
        const graceMs = (request.body?.grace_seconds ?? 0) * 1000;
        const { key, secret } = await caasKeys.reroll(actorOf(request), project_id, region_id, name, graceMs);
        return reply.code(201).send({ ...apiKeyWire(key, caasKeys.now()), secret, ...expiryWarnings(key.expire, caasKeys.now()) });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/api-keys/:project_id/:region_id/:name',
      ability: 'write',
      operationId: 'delete-api-key',
      summary: 'Delete an API key',
      tags,
      schema: { params: ItemPath },
      responses: { 204: { description: 'Deleted; gateways refuse it at once.' }, 404: errorAnswer('No such key.') },
      async handler(request, reply) {
        const { project_id, region_id, name } = request.params;
        await caasKeys.remove(actorOf(request), project_id, region_id, name);
        return reply.code(204).send();
      },
    }),
  ];
}
