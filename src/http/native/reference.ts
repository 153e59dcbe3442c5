import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Type } from 'typebox';
import { buildDocument, type DocumentedRoute } from '../openapi/document.js';
import { DOCUMENT_INFO } from '../openapi/info.js';
import { defineRoute, type RouteDefinition } from '../route.js';

const require = createRequire(import.meta.url);

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
export function referenceRoutes(routes: readonly DocumentedRoute[]): RouteDefinition[] {
  let json: string | undefined;
  const document = () => (json ??= JSON.stringify(buildDocument(routes, DOCUMENT_INFO), null, 2) + '\n');
  const assetDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Buffer>();
  const tags = ['Operations'];
  return [
    defineRoute({
      method: 'GET',
      url: '/openapi.json',
      operationId: 'openapi',
      summary: 'This document',
      tags,
      schema: {},
      responses: { 200: { description: 'OpenAPI 3.1.', schema: Type.Object({}, { additionalProperties: true }) } },
      handler: async (_request, reply) => reply.type('application/json; charset=utf-8').header('access-control-allow-origin', '*').send(document() as unknown as object), // the document, serialised once and cached: the schema describes what it parses to
    }),
    defineRoute({
      method: 'GET',
      url: '/docs',
      operationId: 'docs',
      summary: 'Interactive API reference',
      tags,
      schema: {},
      responses: { 200: { description: 'Swagger UI over /openapi.json.', contentType: 'text/html', schema: Type.String() } },
      handler: async (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').send(PAGE),
    }),
    defineRoute({
      method: 'GET',
      url: '/docs/:file',
      operationId: 'docs-asset',
      summary: 'Swagger UI asset',
      documented: false,
      schema: { params: Type.Object({ file: Type.String() }) },
      responses: {},
      async handler(request, reply) {
        const file = request.params.file;
        reply.header('x-content-type-options', 'nosniff');
        if (file === 'init.js') return reply.type('text/javascript; charset=utf-8').send(INIT);
        const type = ASSETS[file];
        if (!type) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
        let body = cache.get(file);
        if (!body) cache.set(file, (body = fs.readFileSync(path.join(assetDir, file))));
        return reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
      },
    }),
  ];
}
