import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../domain/errors.js';
import { type Ability, type ApiToken, type CaasKey, type Container, caasKeyStatus, hasAbility } from '../../domain/types.js';
import type { CaasKeysService } from '../../services/caas-keys.js';
import type { AuthLimiter } from '../../services/auth-limiter.js';
import type { TokensService } from '../../services/tokens.js';
import { actorFor, splitAuthorization } from '../auth.js';
import { parseJsonBody } from '../json-input.js';
import { acceptRawBodies, rawBody } from '../raw-body.js';
import { gcoreError, validationError } from './errors.js';
import { CaasApiKeyCreateSerializer, CaasApiKeyUpdateSerializer } from './schemas.js';
import { type InvalidFields, checkInteger, gcoreTime, parseDateTime, validateValue } from './validation.js';

export interface GcoreDeps {
  tokens: TokensService;
  limiter: AuthLimiter;
  caasKeys: CaasKeysService;
  bodyLimit: number;
}

type Params = { project_id: string; region_id: string; key_name?: string };

/** Our token shape, `<id>|<40 alphanumerics><crc32b>` or the bare secret: anything else is "not of our format". */
const WELL_FORMED_TOKEN = /^(\d{1,15}\|)?[A-Za-z0-9]{40}[0-9a-f]{8}$/;
const LIST_PATH = /^\/cloud\/v1\/caas\/keys\/[^/]+\/[^/]+\/?$/;
const ITEM_PATH = /^\/cloud\/v1\/caas\/keys\/[^/]+\/[^/]+\/[^/]+\/?$/;

/** The key object with keys in alphabetical order, as in every Gcore example. */
function serialize(k: CaasKey, now: number, secret?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    containers: k.containers.map((c) => ({ name: c.name, namespace: c.namespace })),
    created_at: gcoreTime(k.createdAt),
    description: k.description,
    expire: k.expire === null ? null : gcoreTime(k.expire),
    is_disabled: k.isDisabled,
    name: k.name,
  };
  if (secret !== undefined) out.secret = secret;
  out.source = k.source;
  out.status = caasKeyStatus(k, now);
  return out;
}

/** 401s of spec section 8, or the token. */
async function authenticate(tokens: TokensService, request: FastifyRequest): Promise<ApiToken | { cls: string; message: string }> {
  const header = request.headers.authorization;
  const missing = { cls: 'not_authenticated', message: 'Authentication credentials were not provided.' };
  if (header === undefined || header.trim() === '') return missing;
  const parts = splitAuthorization(header);
  if (!parts || (parts.scheme !== 'apikey' && parts.scheme !== 'bearer')) return { cls: 'token_not_valid', message: 'Given token not valid for any token type' };
  if (!parts.credential) return missing;
  if (!WELL_FORMED_TOKEN.test(parts.credential)) return { cls: 'token_not_valid', message: `Bad permanent token: ${parts.credential.slice(0, 8)}` };
  try {
    return await tokens.authenticate(parts.credential);
  } catch (err) {
    if (isAppError(err, 'unauthorized')) return { cls: 'token_not_valid', message: 'Token is invalid or expired' };
    throw err;
  }
}

/** Path ids, then the query, then the body: every problem at once, in that order. */
function checkPath(params: Params, errors: InvalidFields): { projectId: number; regionId: number } | undefined {
  const projectId = checkInteger('project_id', params.project_id, {}, errors);
  const regionId = checkInteger('region_id', params.region_id, {}, errors);
  return projectId !== undefined && regionId !== undefined ? { projectId, regionId } : undefined;
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

  /** Authenticates, or answers 429/401 itself (returning undefined); failures count against the address. */
  async function authOrReply(request: FastifyRequest, reply: FastifyReply): Promise<ApiToken | undefined> {
    const wait = deps.limiter.retryAfter(request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      gcoreError(request, reply, 429, 'TooManyRequestsError', `Too many failed authentication attempts; retry in ${wait} seconds`);
      return undefined;
    }
    const auth = await authenticate(deps.tokens, request);
    if ('id' in auth) return auth;
    deps.limiter.fail(request.ip);
    gcoreError(request, reply, 401, auth.cls, auth.message);
    return undefined;
  }

  // Authentication comes first, even before the route is known (spec section 8).
  app.addHook('onRequest', async (request, reply) => {
    const ability = request.routeOptions.config?.ability;
    if (!ability) return;
    const auth = await authOrReply(request, reply);
    if (!auth) return reply;
    if (!hasAbility(auth.abilities, ability)) return gcoreError(request, reply, 403, 'ForbiddenError', 'You do not have permission to perform this action.');
    request.token = auth;
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (!(await authOrReply(request, reply))) return reply;
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

  const route = (ability: Ability) => ({ config: { ability } });
  const LIST = '/v1/caas/keys/:project_id/:region_id';
  const ITEM = '/v1/caas/keys/:project_id/:region_id/:key_name';

  app.post<{ Params: Params }>(LIST, route('write'), async (request, reply) => {
    const errors: InvalidFields = [];
    const ns = checkPath(request.params, errors);
    const body = readBody(request, errors, true);
    if (body) validateValue(CaasApiKeyCreateSerializer, body, '', errors);
    if (errors.length || !ns || !body) return validationError(request, reply, errors);
    const { key, secret } = await deps.caasKeys.create(actorFor(request.token!, request), ns.projectId, ns.regionId, {
      name: body.name as string,
      description: (body.description as string | undefined) ?? '',
      containers: containersOf(body.containers),
      expire: typeof body.expire === 'string' ? parseDateTime(body.expire) : null,
      isDisabled: (body.is_disabled as boolean | undefined) ?? false,
    });
    return reply.code(200).send(serialize(key, now(), secret));
  });

  app.get<{ Params: Params; Querystring: Record<string, unknown> }>(LIST, route('read'), async (request, reply) => {
    const errors: InvalidFields = [];
    const ns = checkPath(request.params, errors);
    const q = request.query ?? {};
    const limit = q.limit === undefined ? 1000 : checkInteger('limit', q.limit, { gt: 0, le: 1000 }, errors);
    const offset = q.offset === undefined ? 0 : checkInteger('offset', q.offset, { ge: 0 }, errors);
    if (errors.length || !ns || limit === undefined || offset === undefined) return validationError(request, reply, errors);
    const page = await deps.caasKeys.page(request.token!.teamId, ns.projectId, ns.regionId, limit, offset);
    const t = now();
    return reply.send({ count: page.count, results: page.results.map((k) => serialize(k, t)) });
  });

  app.get<{ Params: Params }>(ITEM, route('read'), async (request, reply) => {
    const errors: InvalidFields = [];
    const ns = checkPath(request.params, errors);
    if (!ns) return validationError(request, reply, errors);
    const key = await deps.caasKeys.get(request.token!.teamId, ns.projectId, ns.regionId, request.params.key_name!);
    return reply.send(serialize(key, now()));
  });

  app.patch<{ Params: Params }>(ITEM, route('write'), async (request, reply) => {
    const errors: InvalidFields = [];
    const ns = checkPath(request.params, errors);
    const body = readBody(request, errors, false) ?? {};
    validateValue(CaasApiKeyUpdateSerializer, body, '', errors);
    if (errors.length || !ns) return validationError(request, reply, errors);
    const key = await deps.caasKeys.update(actorFor(request.token!, request), ns.projectId, ns.regionId, request.params.key_name!, {
      // null means "unchanged" for every field but expire, where it clears the expiry.
      description: typeof body.description === 'string' ? body.description : undefined,
      containers: Array.isArray(body.containers) ? containersOf(body.containers) : undefined,
      expire: !('expire' in body) ? undefined : body.expire === null ? null : parseDateTime(body.expire as string),
      isDisabled: typeof body.is_disabled === 'boolean' ? body.is_disabled : undefined,
    });
    return reply.send(serialize(key, now()));
  });

  app.delete<{ Params: Params }>(ITEM, route('write'), async (request, reply) => {
    const errors: InvalidFields = [];
    const ns = checkPath(request.params, errors);
    if (!ns) return validationError(request, reply, errors);
    await deps.caasKeys.remove(actorFor(request.token!, request), ns.projectId, ns.regionId, request.params.key_name!);
    return reply.code(204).send();
  });
}

