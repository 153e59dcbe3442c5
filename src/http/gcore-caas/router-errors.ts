import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthLimiter } from '../../services/auth-limiter.js';
import type { TokensService } from '../../services/tokens.js';
import { authOrReply } from './auth.js';
import { gcoreError } from './errors.js';

/** Is this request URL under the Gcore surface's prefix? */
export function isGcoreUrl(url: string): boolean {
  return url === '/cloud' || url.startsWith('/cloud/') || url.startsWith('/cloud?');
}

/**
 * Answers a request under /cloud that the router could not match at all (a path that does not
 * decode, like `%FF`, or a segment over the router's length limit). Such requests never reach the
 * plugin, so this is wired through Fastify's `frameworkErrors`; the answer still follows spec
 * section 8: authentication first, then Gcore's error body.
 */
export async function gcoreRouterError(
  deps: { tokens: TokensService; limiter: AuthLimiter },
  err: { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  reply.header('x-request-id', request.id);
  try {
    if (!(await authOrReply(deps, request, reply))) return;
    if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') gcoreError(request, reply, 414, 'HTTPError', 'HTTP 414: Request-URI Too Long');
    else gcoreError(request, reply, 400, 'HTTPError', 'HTTP 400: Bad Request');
  } catch (cause) {
    // Nothing awaits this function: a failure here must still end in an answer, never an unhandled rejection.
    request.log.error({ err: cause }, 'unexpected error');
    if (!reply.sent) gcoreError(request, reply, 500, 'InternalServerError', 'Internal server error');
  }
}
