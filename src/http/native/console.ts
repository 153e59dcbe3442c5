import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { defineRoute, type RouteDefinition } from '../route.js';

/**
 * The web console: the built assets of `web/` (Vite), served at `/ui` under a strict
 * Content-Security-Policy (our own scripts and styles only, nothing inline, no frames). `/ui/*`
 * paths that are not files are the single-page app's own routes and get its page.
 */

/** web/dist sits three levels above this file, in src/http/native as in dist/http/native. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every console answer, the not-found ones included. */
function consoleHeaders(reply: FastifyReply): FastifyReply {
  return (
    reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      // The setup link carries a one-time code: no page may pass its URL on as a Referer.
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
  );
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>keyhold console</title></head><body>
<h1>The console is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds it) in keyhold's directory, then reload.</p>
</body></html>\n`;

const ASSET = /^[A-Za-z0-9._-]+\.(js|css|svg|png|ico|woff2|json|txt|webmanifest)$/;

/** `GET /ui` and `/ui/*` (the console), and `GET /` sending browsers there. */
export function consoleRoutes(): RouteDefinition[] {
  const page = (reply: FastifyReply) => {
    consoleHeaders(reply).header('cache-control', 'no-store');
    if (!fs.existsSync(`${CONSOLE_DIR}index.html`)) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.type('text/html; charset=utf-8').sendFile('index.html', CONSOLE_DIR);
  };
  const tags = ['Console'];
  return [
    defineRoute({
      method: 'GET',
      url: '/',
      operationId: 'root',
      summary: 'To the console',
      description: 'Redirects to `/ui`.',
      tags,
      schema: {},
      responses: { 302: { description: 'To /ui.', headers: { Location: { description: '/ui', schema: Type.String() } } } },
      handler: async (_request, reply) => reply.redirect('/ui', 302),
    }),
    defineRoute({
      method: 'GET',
      url: '/ui',
      operationId: 'console',
      summary: 'Web console',
      description: "keyhold's console: sign in with a token (or the first-run setup link), then manage SSH keys, API keys (rerolls with a grace period, rate limits), tokens, projects, teams and webhook endpoints with their deliveries, and read the audit trail.",
      tags,
      schema: {},
      responses: { 200: { description: 'The console page.', contentType: 'text/html', schema: Type.String() } },
      handler: async (_request, reply) => page(reply),
    }),
    defineRoute({
      method: 'GET',
      url: '/ui/*',
      operationId: 'console-files',
      summary: 'Console files and pages',
      documented: false,
      schema: { params: Type.Object({ '*': Type.String() }) },
      responses: {},
      async handler(request, reply) {
        const rest = request.params['*'];
        const file = rest.startsWith('assets/') ? rest.slice('assets/'.length) : undefined;
        if (file === undefined) return page(reply);
        consoleHeaders(reply);
        if (!ASSET.test(file) || !fs.existsSync(`${CONSOLE_DIR}assets/${file}`)) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
        // File names carry a content hash (Vite), so a file never changes under its name.
        return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(`assets/${file}`, CONSOLE_DIR);
      },
    }),
  ];
}
