import { formatDateTime } from '../../domain/time.js';
import type { VerifyResult, VerifyService } from '../../services/verify.js';
import type { CredentialOutcome } from '../credential-check.js';
import { nativeWords } from '../native/auth-words.js';
import type { RouteAbility } from '../route.js';

/**
 * The answers of the gateway routes, once: Fastify's routes (verify.ts) and the fast path
 * (fast-path.ts) both send these, so the two cannot drift apart.
 */

/** An answer: status, headers, and a JSON text body (none for 204). */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string;
  /** The code of a refusal (a key refused, or an error), for the log. */
  refusal?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A gateway's view of a verification, without the key's secret; times as RFC 3339. */
export function verdictBody(result: VerifyResult) {
  const key = result.key && { ...result.key, expire: result.key.expire === null ? null : formatDateTime(result.key.expire, 's') };
  const out: Record<string, unknown> = { valid: result.valid, code: result.code, key };
  // Only for a rerolled key's previous secret, or a key over its rate limit: gateways that ignore them see what they always did.
  if (result.rotatingUntil !== undefined) out.rotating_until = formatDateTime(result.rotatingUntil);
  if (result.retryAfter !== undefined) out.retry_after = result.retryAfter;
  return out;
}

/**
 * The JSON of plain VALID answers, by the key's view: the verify service hands out one view object
 * per cached key and status, so a key verified again and again is serialised once.
 */
const validBodies = new WeakMap<object, string>();
const JSON_HEADERS = { 'content-type': JSON_TYPE };

/** `POST /v1/keys/verify`'s 200 answer. */
export function verdictAnswer(result: VerifyResult): Answer {
  const plain = result.valid && result.key && result.rotatingUntil === undefined && result.retryAfter === undefined;
  let body = plain ? validBodies.get(result.key!) : undefined;
  if (body === undefined) {
    body = JSON.stringify(verdictBody(result));
    if (plain) validBodies.set(result.key!, body);
  }
  return { status: 200, headers: JSON_HEADERS, body, refusal: result.valid ? undefined : result.code };
}

/** The answer to a credential that did not pass (credential-check.ts), in keyhold's words. */
export function authAnswer(outcome: Exclude<CredentialOutcome, { ok: true }>, ability: RouteAbility, requestId: string): Answer {
  if (outcome.status === 429) return errorAnswer(429, 'rate_limited', nativeWords.tooManyAttempts(outcome.retryAfter), requestId, { 'retry-after': String(outcome.retryAfter) });
  if (outcome.status === 401) return errorAnswer(401, 'unauthorized', nativeWords.unauthenticated(ability), requestId, { 'www-authenticate': 'Bearer' });
  return errorAnswer(403, 'forbidden', nativeWords.forbidden(outcome.reason), requestId);
}

/** keyhold's error body. */
export function errorAnswer(status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify({ error: { code, message, request_id: requestId } }), refusal: code };
}

export interface ForwardAuthInput {
  /** The client's key (X-API-Key, else a Bearer credential), if any. */
  key?: string;
  container?: string;
  namespace: string;
  projectId?: number;
  regionId?: number;
  /** The header that names the container, for the message when none is named. */
  containerHeader: string;
  requestId: string;
  /** The client's address, for the key's refusals log. */
  ip?: string;
}

/** Refusals by code: forward-auth's status for each. */
const REFUSAL_STATUS: Record<string, number> = { FORBIDDEN_CONTAINER: 403, RATE_LIMITED: 429 };

/**
 * `/v1/forward-auth`: 204 admits (with the key's name, project and region for the upstream), 401
 * for a missing or bad key, 403 for a key not bound to the container, 429 over the key's rate limit.
 */
export async function forwardAuthAnswer(verify: VerifyService, input: ForwardAuthInput): Promise<Answer> {
  const noStore = { 'cache-control': 'no-store' };
  if (!input.key) return { status: 401, headers: { ...noStore, 'content-type': JSON_TYPE, 'www-authenticate': 'Bearer' }, body: '{"valid":false,"code":"MISSING"}', refusal: 'MISSING' };
  if (!input.container) return errorAnswer(400, 'bad_request', `name the target container with ?container= or the ${input.containerHeader} header`, input.requestId, noStore);
  const result = await verify.verify({
    key: input.key,
    container: { name: input.container, namespace: input.namespace },
    projectId: input.projectId,
    regionId: input.regionId,
    ip: input.ip,
    requestId: input.requestId,
  });
  if (result.valid && result.key) {
    const headers: Record<string, string> = {
      ...noStore,
      'x-keyhold-key-name': result.key.name,
      'x-keyhold-project-id': String(result.key.project_id),
      'x-keyhold-region-id': String(result.key.region_id),
    };
    if (result.rotatingUntil !== undefined) headers['x-keyhold-rotating-until'] = formatDateTime(result.rotatingUntil);
    return { status: 204, headers };
  }
  const status = REFUSAL_STATUS[result.code] ?? 401;
  const headers: Record<string, string> = { ...noStore, 'content-type': JSON_TYPE };
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  if (result.retryAfter !== undefined) headers['retry-after'] = String(result.retryAfter);
  return { status, headers, body: JSON.stringify({ valid: false, code: result.code }), refusal: result.code };
}
