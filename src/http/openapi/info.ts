import { createRequire } from 'node:module';
import type { DocumentInfo } from './document.js';

const require = createRequire(import.meta.url);
const PACKAGE = require('../../../package.json') as { version: string };

/** The document's version, tags and security schemes. */
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
