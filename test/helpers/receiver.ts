import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** How the next requests are answered: a status (and optional body), or `hang` (never answered). */
  respond: (r: Received, n: number) => { status: number; body?: string; headers?: Record<string, string> } | 'hang';
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request a test's webhooks send it. */
export async function startReceiver(respond: Receiver['respond'] = () => ({ status: 204 })): Promise<Receiver> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const r: Receiver = {
    url: '',
    port: 0,
    received,
    respond,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const entry = { headers: req.headers, body, at: Date.now() };
      received.push(entry);
      const answer = r.respond(entry, received.length);
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  r.port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}`;
  return r;
}

/** The parsed JSON bodies of what a receiver got, with their webhook-id. */
export const messages = (r: Receiver) => r.received.map((m) => ({ id: String(m.headers['webhook-id']), ...(JSON.parse(m.body) as { type: string; timestamp: string; data: any }) }));
