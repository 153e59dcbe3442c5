/**
 * The fetch under every client: adds the X-Keyhold-SDK header and the token, retries what is safe
 * to send again, and turns a failure to reach keyhold into a `KeyholdNetworkError`. Only what
 * browsers and Node 20+ both have (fetch, Request, AbortSignal, setTimeout).
 */
import { KeyholdNetworkError, parseRetryAfter } from './errors.js';
import { SDK_VERSION } from './version.js';

export interface RetryOptions {
  /** Tries in all, the first one included (default 3). 1 sends each request once. */
  attempts?: number;
  /** The wait before the first retry, before jitter, in ms (default 200); it doubles for each next one. */
  baseMs?: number;
  /** No wait is longer than this, a 503's Retry-After included (default 5000 ms). */
  maxMs?: number;
  /** Told before each wait: to log or count retries. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** Why it is tried again: no answer, or a 503. */
  reason: 'network' | 'unavailable';
  /** How long the SDK waits before the next attempt. */
  delayMs: number;
  method: string;
  url: string;
}

export const DEFAULT_RETRIES = { attempts: 3, baseMs: 200, maxMs: 5000 } as const satisfies RetryOptions;

/** A token, or a function giving one per request (read from a file, refreshed); none for a cookie session. */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export type FetchLike = (request: Request) => Promise<Response>;

export interface TransportOptions {
  token?: TokenSource;
  retries?: RetryOptions | false;
  fetch?: FetchLike;
}

/** Methods that mean the same when sent twice. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/** POST routes that change nothing a second send could repeat: verification only reads (and counts usage). */
const SAFE_POSTS = ['/v1/keys/verify'];

/** Whether a request may be sent again after a network failure or a 503. A POST that creates something never is. */
export function isRetryable(method: string, url: string): boolean {
  const m = method.toUpperCase();
  if (IDEMPOTENT.has(m)) return true;
  if (m !== 'POST') return false;
  const pathname = new URL(url, 'http://relative.invalid').pathname.replace(/\/+$/, '');
  return SAFE_POSTS.some((p) => pathname === p || pathname.endsWith(p));
}

/** The wait before retry number `retry` (1-based): exponential from baseMs, capped at maxMs, with "equal jitter" (half fixed, half random). */
export function backoffMs(retry: number, policy: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function isAbort(e: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError'));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function resolveToken(token: TokenSource | undefined): Promise<string | undefined> {
  return typeof token === 'function' ? await token() : token;
}

/** The fetch that openapi-fetch calls with each Request it builds. */
export function createTransport(opts: TransportOptions = {}): FetchLike {
  // Looked up per call, so that a fetch replaced after the client was made (tests, polyfills) is used.
  const send: FetchLike = opts.fetch ?? ((request) => globalThis.fetch(request));
  const policy = opts.retries === false ? undefined : { ...DEFAULT_RETRIES, ...opts.retries };
  const attempts = policy ? Math.max(1, Math.floor(policy.attempts)) : 1;

  return async function keyholdFetch(request: Request): Promise<Response> {
    const token = await resolveToken(opts.token);
    request.headers.set('x-keyhold-sdk', SDK_VERSION);
    if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
    const max = policy && isRetryable(request.method, request.url) ? attempts : 1;

    for (let attempt = 1; ; attempt++) {
      const last = attempt >= max;
      // A body can be read once: every attempt but the last sends a copy.
      const sent = last ? request : request.clone();
      let response: Response;
      try {
        response = await send(sent);
      } catch (e) {
        if (isAbort(e, request.signal)) throw e;
        if (last || !policy) throw new KeyholdNetworkError(request.url, attempt, e);
        const delayMs = backoffMs(attempt, policy);
        policy.onRetry?.({ attempt, reason: 'network', delayMs, method: request.method, url: request.url });
        await sleep(delayMs, request.signal);
        continue;
      }
      if (response.status !== 503 || last || !policy) return response;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      const delayMs = retryAfter === undefined ? backoffMs(attempt, policy) : Math.min(retryAfter * 1000, policy.maxMs);
      // The 503's body is not read: let its connection go back to the pool.
      await response.body?.cancel().catch(() => undefined);
      policy.onRetry?.({ attempt, reason: 'unavailable', delayMs, method: request.method, url: request.url });
      await sleep(delayMs, request.signal);
    }
  };
}
