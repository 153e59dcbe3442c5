import { randomUUID } from 'node:crypto';

/**
 * A request id: 32 lower-case hex characters, as Gcore's request ids. Every listener (Fastify, the
 * gateway path, the gateway and metrics ports) makes its ids here; randomUUID draws from a cached
 * entropy pool.
 */
export function newRequestId(): string {
  return randomUUID().replaceAll('-', '');
}
