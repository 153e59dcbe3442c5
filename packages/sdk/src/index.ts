/**
 * keyhold's TypeScript client: openapi-fetch over types generated from keyhold's OpenAPI document
 * (`npm run sdk` regenerates them; CI fails when they are stale). Every path, parameter, body and
 * answer is typed; see README.md.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** keyhold's named schemas: `Schemas['ApiKey']`, `Schemas['Token']`, … */
export type Schemas = components['schemas'];

export type KeyholdClient = Client<paths>;

export interface KeyholdClientOptions {
  /** Where keyhold answers, e.g. `http://127.0.0.1:8080`; `''` in a page keyhold serves itself. */
  baseUrl: string;
  /** A keyhold token (`<id>|<secret>`). Leave it out in the console, where the session cookie authenticates. */
  token?: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

/** A client for every route of the document; answers come back as `{ data, error, response }`. */
export function createKeyholdClient(opts: KeyholdClientOptions): KeyholdClient {
  return createClient<paths>({
    baseUrl: opts.baseUrl,
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
    // The console's session cookie goes with requests to keyhold's own origin only.
    credentials: 'same-origin',
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}

/** keyhold's error answer, thrown by `unwrap`: the status, the error code and the request id to quote. */
export class KeyholdError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
  ) {
    super(message);
    this.name = 'KeyholdError';
  }
}

function isNativeError(e: unknown): e is Schemas['Error'] {
  return typeof e === 'object' && e !== null && 'error' in e && typeof e.error === 'object';
}

/** The data of a successful answer, or a thrown `KeyholdError` with keyhold's message. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  if (isNativeError(error)) throw new KeyholdError(response.status, error.error.code, error.error.message, error.error.request_id);
  throw new KeyholdError(response.status, 'http_error', `keyhold answered ${response.status} ${response.statusText}`, response.headers.get('x-request-id') ?? undefined);
}
