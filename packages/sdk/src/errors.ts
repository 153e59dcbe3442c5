import type { NativeErrorCode, Schemas } from './types.js';

/**
 * What a `KeyholdError` can say: keyhold's own error codes (the document's `Error` schema lists them:
 * bad_request, unauthorized, forbidden, not_found, conflict, rate_limited, unavailable, internal,
 * unsupported_media_type), `http_error` for an answer that is not keyhold's error body (a proxy's 502
 * page), and `network` when no answer came at all (`KeyholdNetworkError`).
 */
export type KeyholdErrorCode = NativeErrorCode | 'http_error' | 'network';

export interface KeyholdErrorDetails {
  /** Seconds to wait, from the answer's Retry-After header (a 429, a 503), when it had one. */
  retryAfter?: number;
  cause?: unknown;
}

/**
 * keyhold's error answer: the HTTP status, keyhold's error code, its message and the request id
 * to quote in a report (also in keyhold's log). Thrown by `unwrap` and by every method of the
 * namespaced client.
 */
export class KeyholdError extends Error {
  /** Seconds to wait before trying again, for a 429 (or a 503) that said so. */
  readonly retryAfter: number | undefined;

  constructor(
    readonly status: number,
    readonly code: KeyholdErrorCode,
    message: string,
    readonly requestId: string | undefined,
    details: KeyholdErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    // Keeps `instanceof` true for subclasses when a consumer's build lowers classes to functions.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'KeyholdError';
    this.retryAfter = details.retryAfter;
  }
}

/** No answer came from keyhold (refused, reset, DNS, TLS, offline) after every attempt. `status` is 0. */
export class KeyholdNetworkError extends KeyholdError {
  constructor(
    /** The URL that could not be reached. */
    readonly url: string,
    /** How many times it was tried. */
    readonly attempts: number,
    cause: unknown,
  ) {
    super(0, 'network', `keyhold could not be reached at ${url}${describeCause(cause)}`, undefined, { cause });
    this.name = 'KeyholdNetworkError';
  }
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return '';
  // undici says "fetch failed" and keeps the reason (ECONNREFUSED, …) in its own cause.
  const inner = cause.cause;
  const code = typeof inner === 'object' && inner !== null && 'code' in inner && typeof inner.code === 'string' ? inner.code : undefined;
  return code ? `: ${cause.message} (${code})` : `: ${cause.message}`;
}

function isNativeError(e: unknown): e is Schemas['Error'] {
  if (typeof e !== 'object' || e === null || !('error' in e)) return false;
  const inner = e.error;
  return typeof inner === 'object' && inner !== null && 'code' in inner && typeof inner.code === 'string';
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The KeyholdError for a failed answer, from its parsed body (openapi-fetch's `error`). */
export function errorFromResponse(response: Response, body: unknown): KeyholdError {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  const headerId = response.headers.get('x-request-id') ?? undefined;
  if (isNativeError(body)) {
    return new KeyholdError(response.status, body.error.code, body.error.message, body.error.request_id ?? headerId, { retryAfter });
  }
  return new KeyholdError(response.status, 'http_error', `keyhold answered ${response.status} ${response.statusText}`.trim(), headerId, { retryAfter });
}

/** The data of a successful answer, or a thrown `KeyholdError` with keyhold's message. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw errorFromResponse(response, error);
}
