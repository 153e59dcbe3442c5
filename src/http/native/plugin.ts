import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { AuditService } from '../../services/audit.js';
import type { VerifyService } from '../../services/verify.js';
import type { AuthDeps } from '../auth.js';
import type { DocumentedRoute } from '../openapi/document.js';
import { registerRoutes } from '../route.js';
import { installSurface } from '../surface.js';
import { auditRoutes } from './audit.js';
import { nativeDialect } from './dialect.js';
import { opsRoutes } from './ops.js';
import { referenceRoutes } from './reference.js';
import { verifyRoutes } from './verify.js';

export interface NativeDeps extends AuthDeps {
  audit: AuditService;
  verify: VerifyService;
  bodyLimit: number;
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
  registerRoutes(app, nativeDialect, [
    ...opsRoutes({ ready: deps.ready, metrics: deps.metrics }),
    ...verifyRoutes(deps.verify, { containerHeader: deps.containerHeader, namespaceHeader: deps.namespaceHeader }),
    ...auditRoutes(deps.audit),
    ...referenceRoutes(deps.routes),
  ]);
}
