import { randomBytes } from 'node:crypto';

/** Drawn once per process: ids of two processes (or two runs) never meet. */
const PREFIX = randomBytes(8).toString('hex');
let sequence = 0;

/**
 * A request id: 32 lower-case hex characters, as Gcore's request ids. Every listener (Fastify, the
 * gateway path, the gateway and metrics ports) makes its ids here: the process's random prefix and a
 * counter, unique without a random draw per request (ids name requests in logs; they are no secret,
 * though a client comparing two of its ids learns how many requests this process served between them).
 */
export function newRequestId(): string {
  sequence = (sequence + 1) % 0x20000000000000;
  return PREFIX + sequence.toString(16).padStart(16, '0');
}
