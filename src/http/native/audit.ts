import { parseDateTime } from '../../domain/time.js';
import { AUDIT_DEFAULT_LIMIT, type AuditService, auditEntry } from '../../services/audit.js';
import { callerOf, defineRoute } from '../route.js';
import { AuditPage, AuditQuery, NativeError } from './schemas.js';

/** `GET /v1/audit`: a team's audit trail for its `root` tokens, newest first, a page at a time. */
export function auditRoutes(audit: AuditService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/audit',
      ability: 'root',
      operationId: 'list-audit-events',
      summary: 'Audit trail',
      description: "The team's audit trail, newest first, for `root` tokens: who did what to which key, from which address, with the names of the changed fields.",
      tags: ['Audit'],
      schema: { querystring: AuditQuery },
      responses: { 200: { description: 'A page of events.', schema: AuditPage }, 400: { description: 'A filter is invalid.', schema: NativeError } },
      async handler(request) {
        const { since, until, actor, resource, limit, cursor } = request.query;
        const page = await audit.list(callerOf(request).teamId, {
          since: since === undefined ? undefined : parseDateTime(since),
          until: until === undefined ? undefined : parseDateTime(until),
          actor,
          resource,
          limit: limit ?? AUDIT_DEFAULT_LIMIT,
          cursor,
        });
        return { events: page.events.map(auditEntry), next_cursor: page.nextCursor };
      },
    }),
  ];
}
