import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { parseDateTime } from '../../domain/time.js';
import { AUDIT_DEFAULT_LIMIT, type AuditService, auditEntry } from '../../services/audit.js';
import { callerOf, defineRoute } from '../route.js';
import { AuditExportQuery, AuditPage, AuditQuery, AuditVerdict, NativeError } from './schemas.js';

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
    defineRoute({
      method: 'GET',
      url: '/v1/audit/verify',
      ability: 'root',
      operationId: 'verify-audit-trail',
      summary: 'Prove the audit trail',
      description:
        "Walks the team's MAC chain: `ok` with how many entries verified, or the first entry that was changed, inserted, or follows removed ones (`broken_at`, with the `reason`). Entries are MACed with keys derived from the data keys: editing the database without the master key cannot go unseen.",
      tags: ['Audit'],
      schema: {},
      responses: { 200: { description: 'The verdict.', schema: AuditVerdict } },
      async handler(request) {
        const v = await audit.verify(callerOf(request).teamId);
        return v.ok ? { ok: true, verified: v.verified } : { ok: false, verified: v.verified, broken_at: v.brokenAt ?? null, reason: v.reason ?? 'broken' };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/audit/export',
      ability: 'root',
      operationId: 'export-audit-trail',
      summary: 'Export the audit trail (NDJSON)',
      description:
        "The team's entries created in [from, to) (either open), oldest first, one JSON object a line with its chain position (`seq`) and `mac`, streamed: for a SIEM. The same lines as KEYHOLD_AUDIT_FILE.",
      tags: ['Audit'],
      schema: { querystring: AuditExportQuery },
      responses: { 200: { description: 'NDJSON, one entry a line.', contentType: 'application/x-ndjson', schema: Type.String() }, 400: { description: 'A bad time.', schema: NativeError } },
      async handler(request, reply) {
        const { from, to } = request.query;
        const lines = audit.export(callerOf(request).teamId, { from: from === undefined ? undefined : parseDateTime(from), to: to === undefined ? undefined : parseDateTime(to) });
        return reply.type('application/x-ndjson').header('cache-control', 'no-store').send(Readable.from(lines));
      },
    }),
  ];
}
