import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { VerifyService } from '../../services/verify.js';
import { type Answer, forwardAuthAnswer, verdictAnswer } from '../gateway/answers.js';
import { splitAuthorization } from '../auth.js';
import { callerOf, defineRoute } from '../route.js';
import { verifyScope } from '../../domain/types.js';
import { errorAnswer, ForwardAuthQuery, ForwardAuthRefusal, VerifyRequest, VerifyResponse } from './schemas.js';

export interface VerifyRouteOptions {
  /** Request headers naming the target container and its namespace for forward-auth (lower case). */
  containerHeader: string;
  namespaceHeader: string;
}


/** A header's value (the last, if repeated). */
function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** Sends a gateway answer as it is. */
function send(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status).headers(answer.headers);
  return answer.body === undefined ? reply.send() : reply.send(answer.body);
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
        "For gateways: is this CaaS API key valid for this container? Needs a token with the `verify` (or `root`) ability, which finds only its own team's keys (another team's key is `NOT_FOUND`, as an unknown one), or `verify:all` for every team's (granted only by an `admin`). Answered from an in-process cache that writes invalidate (see docs/verification.md).",
      tags: ['Verification'],
      schema: { body: VerifyRequest },
      bodyRequired: true,
      responses: { 200: { description: 'The verdict (also for invalid keys).', schema: VerifyResponse }, 400: errorAnswer('The body is not a valid verification request.'), 413: errorAnswer('The body is too large.') },
      async handler(request, reply) {
        const { key, container, project_id, region_id } = request.body;
        const result = await verify.verify({
          key,
          container: { name: container.name, namespace: container.namespace ?? 'default' },
          teamId: verifyScope(callerOf(request)),
          projectId: project_id,
          regionId: region_id,
          ip: request.ip,
          requestId: request.id,
        });
        return send(reply, verdictAnswer(result));
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
        400: errorAnswer('No target container, or a malformed project_id / region_id.'),
        401: { description: 'Refuse: no key (MISSING), or MALFORMED, NOT_FOUND, DISABLED or EXPIRED.', schema: ForwardAuthRefusal },
        403: { description: 'Refuse: FORBIDDEN_CONTAINER.', schema: ForwardAuthRefusal },
        429: {
          description: 'Refuse: RATE_LIMITED, the key is over its rate limit.',
          schema: ForwardAuthRefusal,
          headers: { 'Retry-After': { description: 'Seconds until the key\'s window ends', schema: Type.Integer() } },
        },
      },
      async handler(request, reply) {
        const q = request.query;
        const auth = splitAuthorization(header(request, 'authorization') ?? '');
        const answer = await forwardAuthAnswer(verify, {
          key: header(request, 'x-api-key') ?? (auth?.scheme === 'bearer' ? auth.credential : undefined),
          container: q.container ?? header(request, opts.containerHeader),
          namespace: q.namespace ?? header(request, opts.namespaceHeader) ?? 'default',
          projectId: q.project_id,
          regionId: q.region_id,
          containerHeader: opts.containerHeader,
          requestId: request.id,
          ip: request.ip,
        });
        return send(reply, answer);
      },
    }),
  ];
}
