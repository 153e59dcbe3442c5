import type { FastifyInstance } from 'fastify';
import type { PrivateKeysService } from '../../services/private-keys.js';
import type { AuthDeps } from '../auth.js';
import { registerRoutes } from '../route.js';
import { installSurface } from '../surface.js';
import { coolifyDialect } from './dialect.js';
import { coolifyRoutes } from './routes.js';

export interface CoolifyDeps extends AuthDeps {
  privateKeys: PrivateKeysService;
  version: string;
  bodyLimit: number;
}

/** Coolify's `/api` surface in Coolify's dialect: authenticate, then check the route's ability (upstream's middleware order). */
export async function coolifyPlugin(app: FastifyInstance, deps: CoolifyDeps): Promise<void> {
  installSurface(app, coolifyDialect, deps);
  registerRoutes(app, coolifyDialect, coolifyRoutes(deps.privateKeys, deps.version));
}
