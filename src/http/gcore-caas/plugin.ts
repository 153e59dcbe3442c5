import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isAppError } from '../../domain/errors.js';
import { type Ability, type Container, hasAbility } from '../../domain/types.js';
import type { CaasKeysService } from '../../services/caas-keys.js';
import type { AuthLimiter } from '../../services/auth-limiter.js';
import type { TokensService } from '../../services/tokens.js';
import { actorFor } from '../auth.js';
import { parseJsonBody } from '../json-input.js';
import { acceptRawBodies, rawBody } from '../raw-body.js';
import { authOrReply } from './auth.js';
import { gcoreError, validationError } from './errors.js';
import { CaasApiKeyCreateSerializer, CaasApiKeyUpdateSerializer, ItemPath, ListPath, ListQuery } from './schemas.js';
import { gcoreDocs } from './openapi.js';
import type { RouteDoc } from '../openapi/document.js';
import { serializeKey } from './serialize.js';
import { type InvalidFields, parseDateTime, validateParams, validateValue } from './validation.js';

export interface GcoreDeps {
  tokens: TokensService;
  limiter: AuthLimiter;
  caasKeys: CaasKeysService;
  bodyLimit: number;
}

type Params = { project_id: string; region_id: string; key_name?: string };

const LIST_PATH = /^\/cloud\/v1\/caas\/keys\/[^/]+\/[^/]+\/?$/;
const ITEM_PATH = /^\/cloud\/v1\/caas\/keys\/[^/]+\/[^/]+\/[^/]+\/?$/;

type Namespace = { project_id: number; region_id: number };

/** Path parameters checked against the route's path schema; undefined when any is invalid. */
function checkPath<T extends Namespace>(schema: typeof ListPath | typeof ItemPath, params: Params, errors: InvalidFields): T | undefined {
  const before = errors.length;
  const values = validateParams(schema, params, errors) as T;
  return errors.length === before ? values : undefined;
}

/** The body as an object, or the problem with it (`body` entry), or undefined when empty and allowed. */
function readBody(request: FastifyRequest, errors: InvalidFields, required: boolean): Record<string, unknown> | undefined {
  const raw = rawBody(request);
  if (!raw || raw.length === 0) {
    if (required) errors.push(['body', ['Field required']]);
    return undefined;
  }
  const parsed = parseJsonBody(raw);
  if (!parsed.ok) {
    errors.push(['body', ['Invalid JSON']]);
    return undefined;
  }
  const v = parsed.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    errors.push(['body', ['Input should be a valid dictionary']]);
    return undefined;
  }
  return v as Record<string, unknown>;
}

const containersOf = (v: unknown) => (v as Container[]).map((c) => ({ name: c.name, namespace: c.namespace }));

/** Gcore's CaaS API-key surface under `/cloud`, in Gcore's error dialect. */
export async function gcoreCaasPlugin(app: FastifyInstance, deps: GcoreDeps): Promise<void> {
  acceptRawBodies(app, deps.bodyLimit);
  const now = () => deps.caasKeys.now();

  // Authentication comes first, even before the route is known (spec section 8).
  app.addHook('onRequest', async (request, reply) => {
    const ability = request.routeOptions.config?.ability;
    if (!ability) return;
    const auth = await authOrReply(deps, request, reply);
    if (!auth) return reply;
    if (!hasAbility(auth.abilities, ability)) return gcoreError(request, reply, 403, 'ForbiddenError', 'You do not have permission to perform this action.');
    request.token = auth;
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (!(await authOrReply(deps, request, reply))) return reply;
    const path = request.url.split('?')[0]!;
    const allow = LIST_PATH.test(path) ? 'GET, POST' : ITEM_PATH.test(path) ? 'GET, PATCH, DELETE' : null;
    if (!allow) return gcoreError(request, reply, 404, 'HTTPError', 'HTTP 404: Not Found');
    reply.header('allow', allow);
    return gcoreError(request, reply, 405, 'HTTPError', 'HTTP 405: Method Not Allowed');
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, request, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return gcoreError(request, reply, 413, 'HTTPError', 'HTTP 413: Request Entity Too Large');
    if (isAppError(err, 'not_found')) return gcoreError(request, reply, 404, 'NotFoundError', err.message);
    if (isAppError(err, 'conflict')) return gcoreError(request, reply, 409, 'ConflictError', err.message);
    if (isAppError(err, 'bad_request')) return gcoreError(request, reply, 400, 'ValidationError', err.message);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return gcoreError(request, reply, 400, 'HTTPError', 'HTTP 400: Bad Request');
    request.log.error({ err }, 'unexpected error');
    return gcoreError(request, reply, 500, 'InternalServerError', 'Internal server error');
  });

  const route = (ability: Ability, openapi: RouteDoc) => ({ config: { ability, openapi } });
  const LIST = '/v1/caas/keys/:project_id/:region_id';
  const ITEM = '/v1/caas/keys/:project_id/:region_id/:key_name';

  app.post<{ Params: Params }>(LIST, route('write', gcoreDocs.create), async (request, reply) => {
    const errors: InvalidFields = [];
    const ns = checkPath<Namespace>(ListPath, request.params, errors);
    const body = readBody(request, errors, true);
    if (body) validateValue(CaasApiKeyCreateSerializer, body, '', errors);
    if (errors.length || !ns || !body) return validationError(request, reply, errors);
    const { key, secret } = await deps.caasKeys.create(actorFor(request.token!, request), ns.project_id, ns.region_id, {
      name: body.name as string,
      description: (body.description as string | undefined) ?? '',
      containers: containersOf(body.containers),
      expire: typeof body.expire === 'string' ? parseDateTime(body.expire) : null,
      isDisabled: (body.is_disabled as boolean | undefined) ?? false,
    });
    return reply.code(200).send(serializeKey(key, now(), secret));
  });

  app.get<{ Params: Params; Querystring: Record<string, unknown> }>(LIST, route('read', gcoreDocs.list), async (request, reply) => {
    const errors: InvalidFields = [];
    const ns = checkPath<Namespace>(ListPath, request.params, errors);
    const q = validateParams(ListQuery, request.query ?? {}, errors) as { limit: number; offset: number };
    if (errors.length || !ns) return validationError(request, reply, errors);
    const page = await deps.caasKeys.page(request.token!.teamId, ns.project_id, ns.region_id, q.limit, q.offset);
    const t = now();
    return reply.send({ count: page.count, results: page.results.map((k) => serializeKey(k, t)) });
  });

  app.get<{ Params: Params }>(ITEM, route('read', gcoreDocs.get), async (request, reply) => {
    const errors: InvalidFields = [];
    const p = checkPath<Namespace & { key_name: string }>(ItemPath, request.params, errors);
    if (!p) return validationError(request, reply, errors);
    const key = await deps.caasKeys.get(request.token!.teamId, p.project_id, p.region_id, p.key_name);
    return reply.send(serializeKey(key, now()));
  });

  app.patch<{ Params: Params }>(ITEM, route('write', gcoreDocs.update), async (request, reply) => {
    const errors: InvalidFields = [];
    const p = checkPath<Namespace & { key_name: string }>(ItemPath, request.params, errors);
    const body = readBody(request, errors, false) ?? {};
    validateValue(CaasApiKeyUpdateSerializer, body, '', errors);
    if (errors.length || !p) return validationError(request, reply, errors);
    const key = await deps.caasKeys.update(actorFor(request.token!, request), p.project_id, p.region_id, p.key_name, {
      // null means "unchanged" for every field but expire, where it clears the expiry.
      description: typeof body.description === 'string' ? body.description : undefined,
      containers: Array.isArray(body.containers) ? containersOf(body.containers) : undefined,
      expire: !('expire' in body) ? undefined : body.expire === null ? null : parseDateTime(body.expire as string),
      isDisabled: typeof body.is_disabled === 'boolean' ? body.is_disabled : undefined,
    });
    return reply.send(serializeKey(key, now()));
  });

  app.delete<{ Params: Params }>(ITEM, route('write', gcoreDocs.delete), async (request, reply) => {
    const errors: InvalidFields = [];
    const p = checkPath<Namespace & { key_name: string }>(ItemPath, request.params, errors);
    if (!p) return validationError(request, reply, errors);
    await deps.caasKeys.remove(actorFor(request.token!, request), p.project_id, p.region_id, p.key_name);
    return reply.code(204).send();
  });
}

