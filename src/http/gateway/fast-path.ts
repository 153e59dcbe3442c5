import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'fast-querystring';
import type { FastifyBaseLogger } from 'fastify';
import { isAppError } from '../../domain/errors.js';
import { verifyScope } from '../../domain/types.js';
import type { Metrics } from '../../metrics.js';
import type { AuthLimiter } from '../../services/auth-limiter.js';
import type { TokensService } from '../../services/tokens.js';
import type { VerifyService } from '../../services/verify.js';
import { splitAuthorization } from '../auth.js';
import { clientAddress, type TrustFunction } from '../client-address.js';
import { checkCredential } from '../credential-check.js';
import { nativeWords, tokenCredential } from '../native/auth-words.js';
import { parseJsonBody } from '../json-input.js';
import { nativeDialect } from '../native/dialect.js';
import { ForwardAuthQuery, VerifyRequest } from '../native/schemas.js';
import { describeFailure } from '../native/wording.js';
import { UnreadableBody } from '../validation.js';
import { type Answer, authAnswer, errorAnswer, forwardAuthAnswer, verdictAnswer } from './answers.js';
import { newRequestId } from '../request-id.js';

/**
 * The gateway routes on plain `node:http`: what a verification needs and nothing else. Fastify's
 * routes answer the same (they share answers.ts, the schemas and the validators); this path skips
 * the framework's per-request work (routing, hooks, a child logger and two log lines per request).
 * It keeps what matters: authentication, the failure limit, validation, metrics, request ids, and a
 * log line for each refusal.
 *
 * It serves `POST /v1/keys/verify` with a token in `Authorization`, and `/v1/forward-auth`. Anything
 * else (the console's session cookie on verify included) is left to Fastify.
 */

export interface FastPathDeps {
  tokens: TokensService;
  limiter: AuthLimiter;
  verify: VerifyService;
  metrics: Metrics;
  logger: FastifyBaseLogger;
  bodyLimit: number;
  /** Which X-Forwarded-For hops to believe (client-address.ts), as Fastify does. */
  trust: TrustFunction | false;
  containerHeader: string;
  namespaceHeader: string;
}

export const VERIFY_PATH = '/v1/keys/verify';
export const FORWARD_AUTH_PATH = '/v1/forward-auth';

/** Content types an HTML form can send cross-site: never read as JSON (as on the rest of the API). */
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\s*(;|$)/i;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[v.length - 1] : v);

/** Reads a body up to `limit` bytes; undefined when it is larger (answered 413). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Creates the handler; it returns false for requests it leaves to Fastify. */
export function gatewayFastPath(deps: FastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const observe = (method: string, route: string, status: number, started: number) => {
    const labels = { method, route, status };
    deps.metrics.httpRequests.inc(labels);
    deps.metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
  };

  // With its length, as Fastify sends it: no chunked encoding for a body known in full.
  const write = (res: ServerResponse, answer: Answer, requestId: string) => {
    const length = answer.body === undefined ? undefined : Buffer.byteLength(answer.body);
    res.writeHead(answer.status, length === undefined ? { ...answer.headers, 'x-request-id': requestId } : { ...answer.headers, 'content-length': String(length), 'x-request-id': requestId });
    res.end(answer.body);
  };

  const refusalLog = (requestId: string, route: string, status: number, code: string) => deps.logger.info({ reqId: requestId, route, status, code }, 'gateway refusal');

  async function verify(req: IncomingMessage, requestId: string, authorization: string): Promise<Answer> {
    const ip = clientAddress(req, deps.trust);
    const outcome = await checkCredential(deps, { credential: tokenCredential(authorization), ip, ability: 'verify' });
    if (!outcome.ok) return authAnswer(outcome, 'verify', requestId);
    const token = outcome.token;
    const raw = await readBody(req, deps.bodyLimit);
    if (raw === undefined) return errorAnswer(413, 'bad_request', nativeWords.tooLarge, requestId);
    if (FORM_TYPES.test(one(req.headers['content-type']) ?? '')) return errorAnswer(415, 'unsupported_media_type', nativeWords.formBody, requestId);
    const parsed = raw.length === 0 ? { ok: false as const, missing: true } : parseJsonBody(raw);
    const value = parsed.ok ? parsed.value : new UnreadableBody('missing' in parsed ? 'missing' : 'invalid_json');
    const checked = nativeDialect.validation.check(VerifyRequest, 'body', value);
    if ('error' in checked) return errorAnswer(400, 'bad_request', describeFailure({ part: 'body', issues: checked.error }, VerifyRequest), requestId);
    const body = checked.value;
    const result = await deps.verify.verify({
      key: body.key,
      teamId: verifyScope(token),
      container: { name: body.container.name, namespace: body.container.namespace ?? 'default' },
      projectId: body.project_id,
      regionId: body.region_id,
      ip,
      requestId,
    });
    return verdictAnswer(result);
  }

  async function forwardAuth(req: IncomingMessage, requestId: string, search: string): Promise<Answer> {
    req.resume(); // whatever body a proxy sends is not read
    const checked = nativeDialect.validation.check(ForwardAuthQuery, 'querystring', parseQuery(search));
    if ('error' in checked) return errorAnswer(400, 'bad_request', describeFailure({ part: 'querystring', issues: checked.error }, ForwardAuthQuery), requestId);
    const q = checked.value;
    const auth = splitAuthorization(one(req.headers.authorization) ?? '');
    return forwardAuthAnswer(deps.verify, {
      key: one(req.headers['x-api-key']) ?? (auth?.scheme === 'bearer' ? auth.credential : undefined),
      container: q.container ?? one(req.headers[deps.containerHeader]),
      namespace: q.namespace ?? one(req.headers[deps.namespaceHeader]) ?? 'default',
      projectId: q.project_id,
      regionId: q.region_id,
      containerHeader: deps.containerHeader,
      requestId,
      ip: clientAddress(req, deps.trust),
    });
  }

  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const isVerify = path === VERIFY_PATH && req.method === 'POST';
    const authorization = one(req.headers.authorization);
    // Verification by session cookie (the console) goes the long way, with Fastify's session handling.
    if (!(isVerify && authorization) && path !== FORWARD_AUTH_PATH) return false;
    const started = performance.now();
    const requestId = newRequestId();
    const method = req.method ?? 'GET';
    const route = isVerify ? VERIFY_PATH : FORWARD_AUTH_PATH;
    const work = isVerify ? verify(req, requestId, authorization ?? '') : forwardAuth(req, requestId, q === -1 ? '' : url.slice(q + 1));
    work.then(
      (answer) => {
        write(res, answer, requestId);
        if (answer.refusal) refusalLog(requestId, route, answer.status, answer.refusal);
        observe(method, route, answer.status, started);
      },
      (err: unknown) => {
        const status = isAppError(err, 'unavailable') ? 503 : 500;
        // An outage is logged once by the outage monitor, not per request.
        if (status === 500) deps.logger.error({ err, reqId: requestId }, 'unexpected error');
        write(res, errorAnswer(status, status === 503 ? 'unavailable' : 'internal', status === 503 ? 'the database is unavailable; try again shortly' : 'internal server error', requestId), requestId);
        observe(method, route, status, started);
      },
    );
    return true;
  };
}
