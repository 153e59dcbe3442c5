import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Drain, trackConnections } from '../drain.js';
import { newRequestId } from '../request-id.js';

/** Keep-alive as Fastify's default: longer than the idle timeout of the load balancers and proxies in front. */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/** A `node:http` server with keyhold's connection timeouts. */
export function gatewayServer(listener: http.RequestListener): http.Server {
  const server = http.createServer(listener);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}

export interface GatewayListener {
  url: string;
  drain: Drain;
  close(): Promise<void>;
}

/**
 * `KEYHOLD_GATEWAY_PORT`: verification and forward-auth alone on a port of their own, for the network
 * a gateway sits on (the admin API and the console stay off it). `/healthz` answers for its probes;
 * every other path is a 404.
 */
export async function startGatewayListener(opts: { host: string; port: number; handle: (req: IncomingMessage, res: ServerResponse) => boolean }): Promise<GatewayListener> {
  const server = gatewayServer((req, res) => {
    if (opts.handle(req, res)) return;
    const requestId = newRequestId();
    req.resume();
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-request-id': requestId });
      return void res.end('{"status":"ok"}');
    }
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'only /v1/keys/verify, /v1/forward-auth and /healthz are served on the gateway port', request_id: requestId } }));
  });
  const drain = trackConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host, port: opts.port }, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    drain,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
