import type { FastifyInstance } from 'fastify';
import type { CaasKeysService } from '../../services/caas-keys.js';
import type { AuthDeps } from '../auth.js';
import { registerRoutes } from '../route.js';
import { installSurface } from '../surface.js';
import { gcoreDialect } from './dialect.js';
import { gcoreRoutes } from './routes.js';

export interface GcoreDeps extends AuthDeps {
  caasKeys: CaasKeysService;
  bodyLimit: number;
}

/** Gcore's CaaS API-key surface under `/cloud`, in Gcore's dialect; credentials are checked even before the route is known. */
export async function gcoreCaasPlugin(app: FastifyInstance, deps: GcoreDeps): Promise<void> {
  installSurface(app, gcoreDialect, { ...deps, authenticateUnmatched: true });
  registerRoutes(app, gcoreDialect, gcoreRoutes(deps.caasKeys));
}
