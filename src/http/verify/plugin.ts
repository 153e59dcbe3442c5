import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthLimiter } from '../../services/auth-limiter.js';
import type { TokensService } from '../../services/tokens.js';
import type { VerifyResult, VerifyService } from '../../services/verify.js';
import { splitAuthorization } from '../auth.js';
import { parseJsonBody } from '../json-input.js';
import { nativeAuth, nativeError } from '../native/common.js';
import { nativeDocs } from '../native/openapi.js';
import { acceptRawBodies, rawBody } from '../raw-body.js';

export interface VerifyDeps {
  tokens: TokensService;
  limiter: AuthLimiter;
  verify: VerifyService;
  bodyLimit: number;
  containerHeader: string;
  namespaceHeader: string;
}


const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[v.length - 1] === 'string' ? v[v.length - 1] : undefined);
const optionalId = (v: unknown): number | undefined | null => {
  if (v === undefined) return undefined;
  const s = typeof v === 'number' ? String(v) : str(v);
  return s !== undefined && /^\d{1,10}$/.test(s) && Number(s) <= 2147483647 ? Number(s) : null;
};
const header = (request: FastifyRequest, name: string) => str(request.headers[name]);

/** A gateway's view of a verification, without the key's secret; `expire` as RFC 3339. */
function body(result: VerifyResult) {
  return {
    valid: result.valid,
    code: result.code,
    key: result.key && { ...result.key, expire: result.key.expire === null ? null : new Date(result.key.expire).toISOString().slice(0, 19) + 'Z' },
  };
}

/** Gateway verification: `POST /v1/keys/verify` (token with `verify`) and `/v1/forward-auth` for proxies. */
export async function verifyPlugin(app: FastifyInstance, deps: VerifyDeps): Promise<void> {
  acceptRawBodies(app, deps.bodyLimit);

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, request, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return nativeError(request, reply, 413, 'bad_request', 'request body is too large');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return nativeError(request, reply, 400, 'bad_request', 'malformed request');
    request.log.error({ err }, 'unexpected error');
    return nativeError(request, reply, 500, 'internal', 'internal server error');
  });

  app.post('/v1/keys/verify', { config: { openapi: nativeDocs.verify } }, async (request, reply) => {
    if (!(await nativeAuth(deps, request, reply, 'verify'))) return reply;

    const parsed = parseJsonBody(rawBody(request));
    const input = parsed.ok ? (parsed.value as Record<string, unknown>) : null;
    if (!input || typeof input !== 'object' || Array.isArray(input)) return nativeError(request, reply, 400, 'bad_request', 'the body must be a JSON object');
    const container = input.container as Record<string, unknown> | undefined;
    const problems: string[] = [];
    if (typeof input.key !== 'string') problems.push('key must be a string');
    if (!container || typeof container !== 'object' || Array.isArray(container) || typeof container.name !== 'string') problems.push('container.name must be a string');
    else if (container.namespace !== undefined && typeof container.namespace !== 'string') problems.push('container.namespace must be a string');
    const projectId = optionalId(input.project_id);
    const regionId = optionalId(input.region_id);
    if (projectId === null) problems.push('project_id must be a positive integer');
    if (regionId === null) problems.push('region_id must be a positive integer');
    if (problems.length) return nativeError(request, reply, 400, 'bad_request', problems.join('; '));
    const result = await deps.verify.verify({
      key: input.key as string,
      container: { name: container!.name as string, namespace: (container!.namespace as string | undefined) ?? 'default' },
      projectId: projectId ?? undefined,
      regionId: regionId ?? undefined,
    });
    return reply.send(body(result));
  });

  // Proxies (nginx auth_request, Traefik ForwardAuth, Caddy forward_auth) call this with the client's headers.
  app.all('/v1/forward-auth', { config: { openapi: nativeDocs.forwardAuth } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const q = (request.query ?? {}) as Record<string, unknown>;
    const xApiKey = header(request, 'x-api-key');
    const auth = splitAuthorization(header(request, 'authorization') ?? '');
    const key = xApiKey ?? (auth?.scheme === 'bearer' ? auth.credential : undefined);
    if (!key) return reply.code(401).header('www-authenticate', 'Bearer').send({ valid: false, code: 'MISSING' });
    const name = str(q.container) ?? header(request, deps.containerHeader);
    const namespace = str(q.namespace) ?? header(request, deps.namespaceHeader) ?? 'default';
    if (!name) return nativeError(request, reply, 400, 'bad_request', `name the target container with ?container= or the ${deps.containerHeader} header`);
    const projectId = optionalId(q.project_id);
    const regionId = optionalId(q.region_id);
    if (projectId === null || regionId === null) return nativeError(request, reply, 400, 'bad_request', 'project_id and region_id must be positive integers');
    const result = await deps.verify.verify({ key, container: { name, namespace }, projectId, regionId });
    if (result.valid) {
      reply.header('x-keyhold-key-name', result.key!.name);
      reply.header('x-keyhold-project-id', String(result.key!.project_id));
      reply.header('x-keyhold-region-id', String(result.key!.region_id));
      return reply.code(204).send();
    }
    const status = result.code === 'FORBIDDEN_CONTAINER' ? 403 : 401;
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    return reply.code(status).send({ valid: false, code: result.code });
  });
}
