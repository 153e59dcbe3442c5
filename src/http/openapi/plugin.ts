import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { nativeDocs } from '../native/openapi.js';
import { buildDocument, type DocumentedRoute, type DocumentInfo } from './document.js';

const require = createRequire(import.meta.url);
const PACKAGE = require('../../../package.json') as { version: string };

export const DOCUMENT_INFO: DocumentInfo = {
  version: PACKAGE.version,
  tags: [
    { name: 'Private Keys', description: "Coolify's SSH private keys API (`/api/v1/security/keys`), wire-compatible" },
    { name: 'Coolify', description: "Coolify's health and version routes" },
    { name: 'Container as a Service', description: "Gcore's CaaS API keys (`/cloud/v1/caas/keys`), wire-compatible" },
    { name: 'Verification', description: 'For gateways admitting requests that carry CaaS API keys' },
    { name: 'Audit', description: 'Who did what to which key' },
    { name: 'Operations', description: 'Health, readiness, metrics and this documentation' },
  ],
  securitySchemes: {
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      description: 'A keyhold token, `<id>|<secret>` as Coolify issues them (`keyhold tokens create`). `Authorization: APIKey <token>` works too.',
    },
    APIKey: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description: 'As Gcore: the word `apikey`, a single space, then the token (`apikey 1|abc…`). `Bearer <token>` works too.',
    },
  },
};

/** The Swagger UI files /docs serves, from the swagger-ui-dist package. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>keyhold API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false, persistAuthorization: false });\n`;

// Only our own scripts; Swagger UI sets inline styles and draws some icons from data: URLs.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `GET /openapi.json` (the document of every route registered) and `GET /docs` (Swagger UI over it). */
export async function openapiPlugin(app: FastifyInstance, deps: { routes: DocumentedRoute[] }): Promise<void> {
  let json: string | undefined;
  const document = () => (json ??= JSON.stringify(buildDocument(deps.routes, DOCUMENT_INFO), null, 2) + '\n');
  const assetDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Buffer>();

  app.get('/openapi.json', { config: { openapi: nativeDocs.openapi } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').header('access-control-allow-origin', '*').send(document()),
  );
  app.get('/docs', { config: { openapi: nativeDocs.docs } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').send(PAGE),
  );
  app.get<{ Params: { file: string } }>('/docs/:file', { config: { openapi: false } }, async (request, reply) => {
    const file = request.params.file;
    reply.header('x-content-type-options', 'nosniff');
    if (file === 'init.js') return reply.type('text/javascript; charset=utf-8').send(INIT);
    const type = ASSETS[file];
    if (!type) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    let body = cache.get(file);
    if (!body) cache.set(file, (body = fs.readFileSync(path.join(assetDir, file))));
    return reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
  });
}
