import type { FastifyInstance } from 'fastify';
import type { Store } from '../../repositories/index.js';
import { auditEntry, listAudit, parseAuditQuery } from '../../services/audit.js';
import { nativeDocs } from './openapi.js';

/** `GET /v1/audit`: a team's audit trail for its `root` tokens, newest first, a page at a time. */
export async function auditRoutes(v1: FastifyInstance, deps: { store: Store }): Promise<void> {
  v1.get('/audit', { config: { ability: 'root', openapi: nativeDocs.audit } }, async (request) => {
    const query = parseAuditQuery((request.query ?? {}) as Record<string, unknown>);
    const page = await listAudit(deps.store, request.token!.teamId, query);
    return { events: page.events.map(auditEntry), next_cursor: page.nextCursor };
  });
}
