import type { FastifyInstance } from 'fastify';
import type { AuthLimiter } from '../../services/auth-limiter.js';
import { decodeCursor, listAudit } from '../../services/audit.js';
import type { TokensService } from '../../services/tokens.js';
import type { Store } from '../../repositories/index.js';
import { nativeAuth, nativeError } from './common.js';

export interface NativeDeps {
  tokens: TokensService;
  limiter: AuthLimiter;
  store: Store;
  ready: () => Promise<{ ok: boolean; reason?: string }>;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Health, readiness and the audit trail API. */
export async function nativePlugin(app: FastifyInstance, deps: NativeDeps): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const r = await deps.ready();
    return r.ok ? { status: 'ready' } : reply.code(503).send({ status: 'unavailable', reason: r.reason });
  });

  app.get<{ Querystring: Record<string, string | string[] | undefined> }>('/v1/audit', async (request, reply) => {
    const token = await nativeAuth(deps, request, reply, 'root');
    if (!token) return reply;
    const q = request.query ?? {};
    const one = (k: string) => {
      const v = q[k];
      return Array.isArray(v) ? v[v.length - 1] : v;
    };
    const problems: string[] = [];
    const time = (k: string) => {
      const v = one(k);
      if (v === undefined) return undefined;
      const t = Date.parse(v);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(t)) problems.push(`${k} must be an RFC 3339 date-time`);
      return t;
    };
    const since = time('since');
    const until = time('until');
    const limitText = one('limit');
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000 || (limitText !== undefined && !/^\d+$/.test(limitText))) problems.push('limit must be an integer from 1 to 1000');
    const cursor = one('cursor');
    if (cursor !== undefined && decodeCursor(cursor) === undefined) problems.push('cursor is not one this server issued');
    if (problems.length) return nativeError(request, reply, 400, 'bad_request', problems.join('; '));
    const page = await listAudit(deps.store, token.teamId, { since, until, actor: one('actor'), resource: one('resource'), limit, cursor });
    return {
      events: page.events.map((e) => ({
        id: e.id,
        at: iso(e.createdAt),
        actor: e.actor,
        token_id: e.tokenId,
        action: e.action,
        resource_type: e.resourceType,
        resource_id: e.resourceId,
        changed_fields: e.changed,
        ip: e.ip,
        request_id: e.requestId,
      })),
      next_cursor: page.nextCursor,
    };
  });
}
