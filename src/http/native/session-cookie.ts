// The cookie plugin (registered in app.ts) adds request.cookies and reply.setCookie.
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The console's session cookie. */
export const SESSION_COOKIE = 'keyhold_session';

/**
 * Sets the session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it),
 * Secure when the request came over TLS (directly, or through a trusted proxy that says so), for the
 * session's whole lifetime at most.
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string, maxAgeSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, secret, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: maxAgeSeconds });
}

/** Tells the browser to forget the session cookie. */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
}

/** The session secret a request's cookie carries, if any. */
export function sessionSecret(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[SESSION_COOKIE];
  return value || undefined;
}
