import type { Command } from 'commander';
import { auditEntry, AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, parseAuditQuery } from '../services/audit.js';
import { out, withRuntime } from './shared.js';
import { table } from './table.js';

interface AuditOptions {
  team?: string;
  since?: string;
  until?: string;
  actor?: string;
  resource?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

/** `keyhold audit`: the audit trail, newest first, with the HTTP API's filters and checks. */
export function registerAuditCommands(program: Command): void {
  program
    .command('audit')
    .description('show the audit trail, newest first: every team, or one with --team')
    .option('--team <name>', 'only this team')
    .option('--since <time>', 'from this RFC 3339 time on (inclusive), e.g. 2026-01-31T00:00:00Z')
    .option('--until <time>', 'before this RFC 3339 time (exclusive)')
    .option('--actor <label>', 'only this actor, e.g. token:12')
    .option('--resource <id>', 'only this resource: a key uuid, 1/1/my-key, or type:id (private_key:<uuid>, caas_key:1/1/my-key)')
    .option('--limit <n>', `events per page, 1 to ${AUDIT_MAX_LIMIT} (default ${AUDIT_DEFAULT_LIMIT})`)
    .option('--cursor <cursor>', 'continue after a previous page (its next_cursor)')
    .option('--json', 'print {"events": [...], "next_cursor"} as JSON')
    .action(async (opts: AuditOptions) => {
      const { team, json, ...raw } = opts;
      // Checked before the database is opened: the same rules and messages as GET /v1/audit.
      const query = parseAuditQuery(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
      await withRuntime('read', 'audit', async (rt) => {
        const teamId = team === undefined ? undefined : (await rt.services.teams.require(team)).id;
        const page = await rt.services.audit.list(teamId, query);
        const names = new Map((await rt.services.teams.list()).map((t) => [t.id, t.name]));
        const rows = page.events.map((e) => {
          const { id, at, ...rest } = auditEntry(e);
          return { id, at, team: e.teamId === null ? null : (names.get(e.teamId) ?? String(e.teamId)), ...rest };
        });
        if (json) return void out(JSON.stringify({ events: rows, next_cursor: page.nextCursor }));
        if (rows.length === 0) out('no audit events match');
        else {
          out(
            table(
              ['ID', 'AT', 'TEAM', 'ACTOR', 'ACTION', 'RESOURCE', 'CHANGED', 'IP'],
              rows.map((r) => [String(r.id), r.at, r.team ?? '-', r.actor, r.action, `${r.resource_type}:${r.resource_id}`, r.changed_fields.join(',') || '-', r.ip ?? '-']),
            ),
          );
        }
        if (page.nextCursor) process.stderr.write(`more events: add --cursor ${page.nextCursor}\n`);
      });
    });
}
