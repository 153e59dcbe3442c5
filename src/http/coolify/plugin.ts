import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../domain/errors.js';
import { type Ability, type ApiToken, canReadSensitive, hasAbility } from '../../domain/types.js';
import type { PrivateKeysService } from '../../services/private-keys.js';
import type { AuthLimiter } from '../../services/auth-limiter.js';
import type { TokensService } from '../../services/tokens.js';
import { actorFor, bearerToken, splitAuthorization } from '../auth.js';
import { acceptRawBodies } from '../raw-body.js';
import { type CoolifyFailure, phpBase64Decode, readInput, stripTags, validateInput } from './input.js';
import { generateKeyName } from './names.js';
import { coolifyDocs } from './openapi.js';
import { serializeKey } from './serialize.js';

export interface CoolifyDeps {
  tokens: TokensService;
  limiter: AuthLimiter;
  privateKeys: PrivateKeysService;
  version: string;
  bodyLimit: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The ability a route needs; routes without one run no authentication. */
    ability?: Ability;
  }
  interface FastifyRequest {
    token?: ApiToken;
  }
}

const CATCH_ALL = JSON.stringify({ message: 'Not found.', docs: 'https://coolify.io/docs' });

function json(reply: FastifyReply, status: number, body: string | object) {
  return reply
    .code(status)
    .type('application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}

const fail = (reply: FastifyReply, f: CoolifyFailure) => json(reply, f.status, f.body);

/** Sanctum's reading of the header, plus `APIKey <token>` so one token works for both families of clients. */
function credential(header: string | undefined): string | null {
  if (!header) return null;
  const parts = splitAuthorization(header);
  if (parts?.scheme === 'apikey') return parts.credential || null;
  return bearerToken(header) || null;
}

/** Coolify's `/api` surface: private keys, version and health, with upstream's status codes and literal bodies. */
export async function coolifyPlugin(app: FastifyInstance, deps: CoolifyDeps): Promise<void> {
  acceptRawBodies(app, deps.bodyLimit);

  // Authenticate, then check the route's ability: upstream's middleware order (spec section 3).
  app.addHook('onRequest', async (request, reply) => {
    const ability = request.routeOptions.config?.ability;
    if (!ability) return;
    const wait = deps.limiter.retryAfter(request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait)).header('x-ratelimit-reset', String(Math.ceil(Date.now() / 1000) + wait));
      return json(reply, 429, { message: 'Too Many Attempts.' });
    }
    const unauthenticated = () => {
      deps.limiter.fail(request.ip);
      return json(reply, 401, { message: 'Unauthenticated.' });
    };
    const raw = credential(request.headers.authorization);
    if (!raw) return unauthenticated();
    let token: ApiToken;
    try {
      token = await deps.tokens.authenticate(raw);
    } catch (err) {
      if (isAppError(err, 'unauthorized')) return unauthenticated();
      throw err;
    }
    if (!hasAbility(token.abilities, ability)) return json(reply, 403, { message: `Missing required permissions: ${ability}` });
    request.token = token;
  });

  app.setNotFoundHandler((_request, reply) => json(reply, 404, CATCH_ALL));

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, request, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return json(reply, 413, { message: 'Request body is too large.' });
    if (isAppError(err, 'not_found')) return json(reply, 404, { message: 'Private Key not found.' });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return json(reply, 400, { message: 'Invalid request.', error: 'Malformed request.' });
    request.log.error({ err }, 'unexpected error');
    return json(reply, 500, { message: 'Server Error' });
  });

  const health = (_req: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=UTF-8').send('OK');
  // Both paths answer; upstream documents the one under /api/v1.
  app.get('/health', { config: { openapi: false } }, health);
  app.get('/v1/health', { config: { openapi: coolifyDocs.health } }, health);
  app.get('/v1/version', { config: { ability: 'read', openapi: coolifyDocs.version } }, (_req, reply) => reply.type('text/html; charset=UTF-8').send(deps.version));

  const sensitive = (request: FastifyRequest) => canReadSensitive(request.token!.abilities);

  app.get('/v1/security/keys', { config: { ability: 'read', openapi: coolifyDocs.list } }, async (request, reply) => {
    const keys = await deps.privateKeys.list(request.token!.teamId, sensitive(request));
    return json(reply, 200, keys.map(serializeKey));
  });

  app.get<{ Params: { uuid: string } }>('/v1/security/keys/:uuid', { config: { ability: 'read', openapi: coolifyDocs.get } }, async (request, reply) => {
    const key = await deps.privateKeys.get(request.token!.teamId, request.params.uuid, sensitive(request));
    return json(reply, 200, serializeKey(key));
  });

  app.post('/v1/security/keys', { config: { ability: 'write', openapi: coolifyDocs.create } }, async (request, reply) => {
    const read = readInput(request);
    if ('failure' in read) return fail(reply, read.failure);
    const checked = validateInput(read.input, { patch: false });
    if ('failure' in checked) return fail(reply, checked.failure);
    const { name, description } = checked.values;
    let privateKey = checked.values.private_key!;
    if (!privateKey.startsWith('-----BEGIN')) privateKey = phpBase64Decode(privateKey);
    try {
      const created = await deps.privateKeys.create(actorFor(request.token!, request), {
        // PHP falsiness: a missing name or "0" gets a generated one.
        name: name && name !== '0' ? stripTags(name) : generateKeyName(),
        description: description && description !== '0' ? stripTags(description) : 'Created by Coolify via API',
        privateKey,
      });
      return json(reply, 201, { uuid: created.uuid });
    } catch (err) {
      if (isAppError(err, 'bad_request')) return json(reply, 422, { message: 'Invalid private key.' });
      if (isAppError(err, 'conflict')) return json(reply, 422, { message: 'Private key already exists.' });
      throw err;
    }
  });

  app.patch<{ Params: { uuid: string } }>('/v1/security/keys/:uuid', { config: { ability: 'write', openapi: coolifyDocs.update } }, async (request, reply) => {
    const read = readInput(request);
    if ('failure' in read) return fail(reply, read.failure);
    const checked = validateInput(read.input, { patch: true });
    if ('failure' in checked) return fail(reply, checked.failure);
    const { name, description, private_key } = checked.values;
    try {
      const updated = await deps.privateKeys.update(actorFor(request.token!, request), request.params.uuid, {
        name: name === undefined ? undefined : stripTags(name),
        description: description === undefined ? undefined : stripTags(description),
        privateKey: private_key!,
      });
      return json(reply, 201, { uuid: updated.uuid });
    } catch (err) {
      // Upstream raises these from the model's saving hook, hence the ValidationException shape.
      const model = (message: string) => json(reply, 422, { message, errors: { private_key: [message] } });
      if (isAppError(err, 'bad_request')) return model('The private key is invalid.');
      if (isAppError(err, 'conflict')) return model('This private key already exists.');
      throw err;
    }
  });

  app.delete<{ Params: { uuid: string } }>('/v1/security/keys/:uuid', { config: { ability: 'write', openapi: coolifyDocs.delete } }, async (request, reply) => {
    await deps.privateKeys.remove(actorFor(request.token!, request), request.params.uuid);
    return json(reply, 200, { message: 'Private Key deleted.' });
  });
}
