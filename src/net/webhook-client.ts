import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isPrivateAddress } from './address-policy.js';

/** The outbound side of webhooks: where a URL may point, and one POST to it. */

/** The longest a delivery attempt may take, connection to last byte read. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Response bytes kept for the delivery log. */
export const RESPONSE_BODY_LIMIT = 1024;

export interface TargetPolicy {
  /** Loopback, link-local and private addresses are allowed too (KEYHOLD_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** Name resolution (injected by tests); every address a name resolves to is checked. */
  lookup?: (host: string) => Promise<Array<{ address: string; family: number }>>;
}

/** A URL a webhook may not be sent to, with the reason in words fit for an API answer. */
export class TargetRefused extends Error {
  constructor(
    message: string,
    /** `unresolved`: the name has no address (now); the other reasons hold whatever DNS says. */
    readonly reason: 'url' | 'unresolved' | 'private' = 'url',
  ) {
    super(message);
    this.name = 'TargetRefused';
  }
}

const systemLookup = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/** Checks what no lookup is needed for: an absolute http(s) URL, no credentials, a host. */
export function checkUrlShape(text: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new TargetRefused('url must be an absolute http:// or https:// URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new TargetRefused('url must use https:// or http://');
  if (u.username || u.password) throw new TargetRefused('url must not carry credentials');
  if (!u.hostname) throw new TargetRefused('url must name a host');
  return u;
}

const bareHost = (u: URL) => (u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname);

/**
 * Resolves the URL's host and returns the address to connect to, refusing private targets unless the
 * policy allows them. A name is refused when any of its addresses is private, so a mixed answer
 * cannot be used to reach inside; the address returned is the one the request is pinned to.
 */
export async function resolveTarget(url: string, policy: TargetPolicy): Promise<{ url: URL; address: string; family: 4 | 6 }> {
  const u = checkUrlShape(url);
  const host = bareHost(u);
  let addresses: Array<{ address: string; family: number }>;
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      addresses = await (policy.lookup ?? systemLookup)(host);
    } catch {
      throw new TargetRefused(`${host} does not resolve`, 'unresolved');
    }
    if (addresses.length === 0) throw new TargetRefused(`${host} does not resolve`, 'unresolved');
  }
  if (!policy.allowPrivate) {
    const inside = addresses.find((a) => isPrivateAddress(a.address));
    if (inside) {
      throw new TargetRefused(
        `${host}${inside.address === host ? '' : ` resolves to ${inside.address}, which`} is a loopback, link-local or private address (set KEYHOLD_WEBHOOK_ALLOW_PRIVATE=1 to allow)`,
        'private',
      );
    }
  }
  const first = addresses[0]!;
  return { url: u, address: first.address, family: first.family === 6 ? 6 : 4 };
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
}

export interface SendResult {
  /** A 2xx answer. Anything else, redirects included, is a failed attempt. */
  ok: boolean;
  status: number | null;
  /** The first RESPONSE_BODY_LIMIT bytes of the answer, as text. */
  body: string | null;
  error: string | null;
  latencyMs: number;
}

/**
 * POSTs one delivery: the target is resolved and checked first, then the connection goes to that
 * very address (so a second DNS answer cannot swap it), with TLS still verified for the name.
 * Redirects are not followed; the whole attempt is cut at `timeoutMs`; at most 1 KB of the answer is read.
 */
export async function sendWebhook(req: SendRequest, policy: TargetPolicy, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    target = await resolveTarget(req.url, policy);
  } catch (err) {
    return { ok: false, status: null, body: null, error: err instanceof TargetRefused ? `refused: ${err.message}` : 'refused', latencyMs: elapsed() };
  }
  const { url, address, family } = target;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      resolve({ ...r, latencyMs: elapsed() });
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        // Pinned: the connection goes to the address that was checked, whatever DNS says now.
        lookup: (_host, opts, cb) => {
          if ((opts as { all?: boolean }).all) (cb as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
          else cb(null, address, family);
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const status = res.statusCode ?? null;
          finish({ ok: status !== null && status >= 200 && status < 300, status, body: Buffer.concat(chunks).toString('utf8'), error: null });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          if (size < RESPONSE_BODY_LIMIT) chunks.push(chunk.subarray(0, RESPONSE_BODY_LIMIT - size));
          size += chunk.length;
          if (size >= RESPONSE_BODY_LIMIT) done();
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const fail = (error: string) => {
      finish({ ok: false, status: null, body: null, error });
      request.destroy();
    };
    const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => fail('aborted: keyhold was shutting down');
    req.signal?.addEventListener('abort', onAbort);
    request.on('error', (err: NodeJS.ErrnoException) => fail(err.code ? `${err.code}: ${err.message}` : err.message));
    request.end(req.body);
  });
}

/**
 * The check made when an endpoint is created or its URL changed: the shape, and where the name
 * resolves now. A name that does not resolve yet is accepted (DNS may come later); every delivery
 * checks again before it connects.
 */
export async function checkTarget(url: string, policy: TargetPolicy): Promise<void> {
  try {
    await resolveTarget(url, policy);
  } catch (err) {
    if (err instanceof TargetRefused && err.reason === 'unresolved') return;
    throw err;
  }
}
