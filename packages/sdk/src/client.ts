import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';
import { createTransport, type FetchLike, type RetryOptions, type TokenSource } from './transport.js';

/** The low-level client: one typed method per HTTP verb over every route of the document; answers come back as `{ data, error, response }`. */
export type KeyholdClient = Client<paths>;

export interface KeyholdClientOptions {
  /** Where keyhold answers, e.g. `http://127.0.0.1:8080`; `''` in a page keyhold serves itself (the console). */
  baseUrl: string;
  /**
   * A keyhold token (`<id>|<secret>`), sent as `Authorization: Bearer`; or a function returning one
   * for each request (read from a file, from a keychain, refreshed). Leave it out in the console,
   * where the session cookie authenticates.
   */
  token?: TokenSource;
  /**
   * Whether the browser sends cookies (the console's session): `'same-origin'` by default, right
   * for a page keyhold serves; `'include'` for a page on another origin (keyhold must then allow it),
   * `'omit'` for never. Node's fetch ignores it.
   */
  credentials?: RequestCredentials;
  /** More headers for every request. */
  headers?: Record<string, string>;
  /**
   * Retries of what is safe to send again (GET, HEAD, PUT, DELETE and key verification) on a
   * network failure or a 503: `{ attempts: 3, baseMs: 200, maxMs: 5000 }` unless changed; `false` for none.
   */
  retries?: RetryOptions | false;
  /** Another fetch (tests, proxies, instrumentation); the global one by default. It is called with a `Request`. */
  fetch?: FetchLike;
}

/** A client for every route of the document; answers come back as `{ data, error, response }`, to pass to `unwrap`. */
export function createKeyholdClient(opts: KeyholdClientOptions): KeyholdClient {
  return createClient<paths>({
    baseUrl: opts.baseUrl,
    headers: { ...opts.headers },
    credentials: opts.credentials ?? 'same-origin',
    fetch: createTransport({ token: opts.token, retries: opts.retries, fetch: opts.fetch }),
  });
}
