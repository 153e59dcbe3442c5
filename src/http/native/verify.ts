import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatDateTime } from '../../domain/time.js';
import type { VerifyResult, VerifyService } from '../../services/verify.js';
import { splitAuthorization } from '../auth.js';
import { defineRoute, type ResponseSpec } from '../route.js';
import { nativeError } from './dialect.js';
import { ForwardAuthQuery, ForwardAuthRefusal, NativeError, VerifyRequest, VerifyResponse } from './schemas.js';

export interface VerifyRouteOptions {
  /** Request headers naming the target container and its namespace for forward-auth (lower case). */
  containerHeader: string;
  namespaceHeader: string;
}

const err = (description: string): ResponseSpec => ({ description, schema: NativeError });

/** A header's value (the last, if repeated). */
function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** A gateway's view of a verification, without the key's secret; `expire` as RFC 3339. */
function verdict(result: VerifyResult) {
  const out = {
    valid: result.valid,
    code: result.code,
    key: result.key && { ...result.key, expire: result.key.expire === null ? null : formatDateTime(result.key.expire, 's') },
  };
  // Only for a rerolled key's previous secret: gateways that ignore it see the answer they always did.
  return result.rotatingUntil === undefined ? out : { ...out, rotating_until: formatDateTime(result.rotatingUntil) };
}

/** Gateway verification: `POST /v1/keys/verify` (a token with `verify`) and `/v1/forward-auth` for proxies. */
export function verifyRoutes(verify: VerifyService, opts: VerifyRouteOptions) {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/keys/verify',
      ability: 'verify',
      operationId: 'verify-key',
      summary: 'Verify an API key',
      description:
        'For gateways: is this CaaS API key valid for this container? Needs a token with the `verify` (or `root`) ability. Answered from an in-process cache that writes invalidate (see docs/verification.md).',
      tags: ['Verification'],
      schema: { body: VerifyRequest },
      bodyRequired: true,
      responses: { 200: { description: 'The verdict (also for invalid keys).', schema: VerifyResponse }, 400: err('The body is not a valid verification request.'), 413: err('The body is too large.') },
      async handler(request, reply) {
        const { key, container, project_id, region_id } = request.body;
        const result = await verify.verify({ key, container: { name: container.name, namespace: container.namespace ?? 'default' }, projectId: project_id, regionId: region_id });
        return reply.send(verdict(result));
      },
    }),
    // Proxies (nginx auth_request, Traefik ForwardAuth, Caddy forward_auth) call this with the client's headers.
    defineRoute({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: '/v1/forward-auth',
      operationId: 'forward-auth',
      summary: 'Forward-auth for proxies',
      description:
        "For nginx `auth_request`, Traefik `ForwardAuth` and Caddy `forward_auth`: the client's key from `X-API-Key` or `Authorization: Bearer`, the target container from the query or the configured headers. Answers on every method, the same way; documented once, as GET.",
      tags: ['Verification'],
      documented: ['GET'],
      schema: { querystring: ForwardAuthQuery },
      headers: [
        { name: 'X-API-Key', description: "The client's API key (or send it as `Authorization: Bearer`)", schema: Type.String() },
        { name: 'X-Container-Name', description: 'Target container (name configurable: KEYHOLD_FORWARD_AUTH_CONTAINER_HEADER)', schema: Type.String() },
        { name: 'X-Container-Namespace', description: 'Its namespace (KEYHOLD_FORWARD_AUTH_NAMESPACE_HEADER)', schema: Type.String() },
      ],
      responses: {
        204: {
          description: 'Admit.',
          headers: {
            'X-Keyhold-Key-Name': { description: 'The key that was presented', schema: Type.String() },
            'X-Keyhold-Project-Id': { description: 'Its project', schema: Type.Integer() },
            'X-Keyhold-Region-Id': { description: 'Its region', schema: Type.Integer() },
            'X-Keyhold-Rotating-Until': {
              description: "Only when the key presented is a rerolled key's previous secret: when its grace period ends (RFC 3339)",
              schema: Type.String({ format: 'date-time' }),
            },
          },
        },
        400: err('No target container, or a malformed project_id / region_id.'),
        401: { description: 'Refuse: no key (MISSING), or MALFORMED, NOT_FOUND, DISABLED or EXPIRED.', schema: ForwardAuthRefusal },
        403: { description: 'Refuse: FORBIDDEN_CONTAINER.', schema: ForwardAuthRefusal },
      },
      async handler(request, reply) {
        reply.header('cache-control', 'no-store');
        const q = request.query;
        const auth = splitAuthorization(header(request, 'authorization') ?? '');
        const key = header(request, 'x-api-key') ?? (auth?.scheme === 'bearer' ? auth.credential : undefined);
        if (!key) return reply.code(401).header('www-authenticate', 'Bearer').send({ valid: false, code: 'MISSING' });
        const name = q.container ?? header(request, opts.containerHeader);
        const namespace = q.namespace ?? header(request, opts.namespaceHeader) ?? 'default';
        if (!name) return nativeError(request, reply, 400, 'bad_request', `name the target container with ?container= or the ${opts.containerHeader} header`);
        const result = await verify.verify({ key, container: { name, namespace }, projectId: q.project_id, regionId: q.region_id });
        if (result.valid && result.key) {
          reply.header('x-keyhold-key-name', result.key.name);
          reply.header('x-keyhold-project-id', String(result.key.project_id));
          reply.header('x-keyhold-region-id', String(result.key.region_id));
          if (result.rotatingUntil !== undefined) reply.header('x-keyhold-rotating-until', formatDateTime(result.rotatingUntil));
          return reply.code(204).send();
        }
        const status = result.code === 'FORBIDDEN_CONTAINER' ? 403 : 401;
        if (status === 401) reply.header('www-authenticate', 'Bearer');
        return reply.code(status).send({ valid: false, code: result.code });
      },
    }),
  ];
}
