import type { FastifyInstance, FastifyRequest } from 'fastify';

const RAW = 'application/x-keyhold-raw';

/**
 * Makes every body in this scope arrive as a Buffer, whatever its Content-Type (even a malformed one),
 * so each surface applies its upstream's own content rules and error bodies. Size limits still apply (413).
 */
export function acceptRawBodies(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(RAW, { parseAs: 'buffer', bodyLimit }, (_req: FastifyRequest, body: Buffer, done) => done(null, body));
  app.addHook('onRequest', async (request) => {
    const ct = request.headers['content-type'];
    request.clientContentType = Array.isArray(ct) ? ct.join(',') : ct;
    request.headers['content-type'] = RAW;
  });
}

/** The body as bytes, or undefined when the request had none. */
export function rawBody(request: FastifyRequest): Buffer | undefined {
  return Buffer.isBuffer(request.body) ? request.body : undefined;
}
