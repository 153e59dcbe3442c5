import net from 'node:net';
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Graceful shutdown of an HTTP server with keep-alive clients (a proxy with upstream keep-alive):
 *
 * 1. stop accepting connections, but keep the open ones (Node's `server.close()` would also drop
 *    every idle keep-alive connection at once, and a request the client is sending on one right
 *    then would meet a reset);
 * 2. answer everything that arrives on them, with `Connection: close`, so the client stops reusing
 *    that connection and it ends after its answer;
 * 3. end a connection that stays idle for `idleGraceMs`: nothing was on its way;
 * 4. after `timeoutMs`, drop whatever is left (a stuck request must not hold a deploy forever).
 */
export interface Drain {
  /** Is the server draining? Every answer from now on closes its connection. */
  readonly draining: boolean;
  /** Starts draining; resolves when no connection is left or the timeout passed (true if it timed out). */
  start(opts: { timeoutMs: number; idleGraceMs: number }): Promise<boolean>;
}

interface Tracked {
  active: number;
  idleSince: number;
}

/** Tracks the server's connections from now on; call before it listens. */
export function trackConnections(server: Server): Drain {
  const sockets = new Map<Socket, Tracked>();
  const inFlight = new Set<ServerResponse>();
  let draining = false;

  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { active: 0, idleSince: performance.now() });
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req: { socket: Socket }, res: ServerResponse) => {
    const t = sockets.get(req.socket);
    if (!t) return;
    t.active++;
    inFlight.add(res);
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      t.active--;
      t.idleSince = performance.now();
    });
  });

  return {
    get draining() {
      return draining;
    },
    async start({ timeoutMs, idleGraceMs }) {
      draining = true;
      // Answers already being worked on close their connection too.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      // net.Server's close stops listening without touching open connections (http.Server's reaps idle ones).
      if (server.listening) net.Server.prototype.close.call(server);
      const deadline = performance.now() + timeoutMs;
      while (sockets.size > 0) {
        const now = performance.now();
        if (now >= deadline) {
          for (const socket of sockets.keys()) socket.destroy();
          return true;
        }
        for (const [socket, t] of sockets) if (t.active === 0 && now - t.idleSince >= idleGraceMs) socket.end();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return false;
    },
  };
}
