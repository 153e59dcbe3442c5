import { AppError } from '../domain/errors.js';
import { packageVersion } from './help.js';

/**
 * keyhold's own API from a machine that has only a URL and a token (`keyhold agent`,
 * `keyhold-ssh-sign`): no database, no master key. Errors are the server's own words.
 */

export interface RemoteOptions {
  url?: string;
  token?: string;
}

export interface Remote {
  url: string;
  /** A JSON call; the answer's JSON, or a RemoteError with the server's message. */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A GET whose answer is bytes (a KRL), or a RemoteError. */
  bytes(path: string): Promise<Buffer>;
}

/** A failure the server answered (status and its message), or `status: 0` when it could not be reached. */
export class RemoteError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/** The server's URL and the token, from the flags or KEYHOLD_URL / KEYHOLD_TOKEN, checked (a pasted `Bearer ` is dropped). */
export function connectionFrom(opts: RemoteOptions, env: NodeJS.ProcessEnv = process.env): { url: string; token: string } {
  const url = (opts.url ?? env.KEYHOLD_URL ?? '').trim().replace(/\/+$/, '');
  const token = (opts.token ?? env.KEYHOLD_TOKEN ?? '').trim().replace(/^bearer\s+/i, '');
  if (!url) throw new AppError('bad_request', "keyhold's address is needed: --url https://keys.example.com, or KEYHOLD_URL");
  if (!/^https?:\/\/[^/]+/.test(url)) throw new AppError('bad_request', `--url / KEYHOLD_URL must be an http(s) URL (got ${JSON.stringify(url)})`);
  if (!token) throw new AppError('bad_request', 'a token is needed: --token <id>|<secret>, or KEYHOLD_TOKEN');
  return { url, token };
}

/** A client of keyhold's API for `--url`/`--token`, else KEYHOLD_URL/KEYHOLD_TOKEN; a missing one is an error naming both ways. */
export function remoteFrom(opts: RemoteOptions, env: NodeJS.ProcessEnv = process.env): Remote {
  const { url, token } = connectionFrom(opts, env);
  const headers = { authorization: `Bearer ${token}`, 'user-agent': `keyhold-cli/${packageVersion()}`, accept: 'application/json' };
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url + path, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new RemoteError(0, `cannot reach keyhold at ${url}: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`);
    }
    if (res.ok) return res;
    const text = await res.text();
    let message = `${res.status} ${res.statusText}`;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not keyhold's error body: the status says enough
    }
    // keyhold's 401 says a valid token is needed; from the CLI's side, the one it has was refused.
    if (res.status === 401) message = `keyhold refused the token: revoked, expired or unknown (${message})`;
    throw new RemoteError(res.status, message);
  }
  return {
    url,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const text = await (await send(method, path, body)).text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
    bytes: async (path) => Buffer.from(await (await send('GET', path)).arrayBuffer()),
  };
}
