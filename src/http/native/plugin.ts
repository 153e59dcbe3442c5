import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Services } from '../../runtime.js';
import type { AuthDeps } from '../auth.js';
import type { DocumentedRoute } from '../openapi/document.js';
import { registerRoutes } from '../route.js';
import { installSurface } from '../surface.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { auditRoutes } from './audit.js';
import { CONSOLE_DIR, consoleRoutes } from './console.js';
import { nativeDialect } from './dialect.js';
import { opsRoutes } from './ops.js';
import { overviewRoutes } from './overview-routes.js';
import { projectRoutes } from './project-routes.js';
import { referenceRoutes } from './reference.js';
import { sessionRoutes } from './session-routes.js';
import { sshCaRoutes } from './ssh-ca-routes.js';
import { sshKeyRoutes } from './ssh-key-routes.js';
import { teamRoutes } from './team-routes.js';
import { tokenRoutes } from './token-routes.js';
import { usageRoutes } from './usage-routes.js';
import { verifyRoutes } from './verify.js';
import { webhookRoutes } from './webhook-routes.js';

export interface NativeDeps extends AuthDeps {
  services: Services;
  bodyLimit: number;
  /** A console session unused this long ends (for `GET /v1/me`). */
  sessionIdleMs: number;
  ready: () => Promise<{ ok: boolean; reason?: string }>;
  /** What /metrics serves, or null when metrics have their own port. */
  metrics: Registry | null;
  /** Forward-auth's container and namespace headers (lower case). */
  containerHeader: string;
  namespaceHeader: string;
  /** Every route of the app, for /openapi.json. */
  routes: readonly DocumentedRoute[];
}

/**
 * keyhold's own surface: `/healthz`, `/readyz`, `/metrics`, `/openapi.json`, `/docs` and everything
 * under `/v1`, answering errors as `{"error":{"code","message","request_id"}}`. To add a route, see
 * docs/architecture.md ("Adding a route").
 */
export async function nativePlugin(app: FastifyInstance, deps: NativeDeps): Promise<void> {
  // The root answers unmatched requests in this dialect (app.ts); a second handler for `/` is not allowed.
  installSurface(app, nativeDialect, { ...deps, notFound: false });
  // reply.sendFile for the console's files, without @fastify/static's own routes (every route here is a definition).
  await app.register(fastifyStatic, { root: CONSOLE_DIR, serve: false });
  const s = deps.services;
  const now = () => s.caasKeys.now();
  registerRoutes(app, nativeDialect, [
    ...opsRoutes({ ready: deps.ready, metrics: deps.metrics }),
    ...verifyRoutes(s.verify, { containerHeader: deps.containerHeader, namespaceHeader: deps.namespaceHeader }),
    ...sessionRoutes({ ...deps, sessions: s.sessions, setup: s.setup, teams: s.teams, idleMs: deps.sessionIdleMs, now }),
    ...overviewRoutes(s.overview),
    ...teamRoutes(s.teams, s.tokens, now),
    ...tokenRoutes(s.tokens, now),
    ...projectRoutes(s.projects, s.teams),
    ...sshKeyRoutes(s.privateKeys, s.sshSigning, s.audit),
    ...sshCaRoutes(s.sshCa, s.sshCertificates, now),
    ...apiKeyRoutes(s.caasKeys),
    ...usageRoutes(s.usage, s.caasKeys),
    ...auditRoutes(s.audit),
    ...webhookRoutes(s.webhooks),
    ...referenceRoutes(deps.routes),
    ...consoleRoutes(),
  ]);
}
