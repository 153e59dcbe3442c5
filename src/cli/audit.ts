import { once } from 'node:events';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { AppError } from '../domain/errors.js';
import { parseDateTime } from '../domain/time.js';
import { auditEntry, AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, parseAuditQuery } from '../services/audit.js';
import { isRemote, withBackend, type ConnectionOptions } from './backend.js';
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

interface EventRow {
  id: number;
  at: string;
  team: string | null;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  changed_fields: string[];
  ip: string | null;
}

function printEvents(rows: EventRow[], nextCursor: string | null): void {
  if (rows.length === 0) out('no audit events match');
  else {
    out(
      table(
        ['ID', 'AT', 'TEAM', 'ACTOR', 'ACTION', 'RESOURCE', 'CHANGED', 'IP'],
        rows.map((r) => [String(r.id), r.at, r.team ?? '-', r.actor, r.action, `${r.resource_type}:${r.resource_id}`, r.changed_fields.join(',') || '-', r.ip ?? '-']),
      ),
    );
  }
  if (nextCursor) process.stderr.write(`more events: add --cursor ${nextCursor}\n`);
}

/** `keyhold audit`: the audit trail, newest first, with the HTTP API's filters and checks. */
export function registerAuditCommands(program: Command): void {
  const audit = program
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
    .option('--url <url>', "run against this keyhold server (default: KEYHOLD_URL; without either, against the local store): the token's team")
    .option('--token <token>', 'the token for --url (default: KEYHOLD_TOKEN; root)')
    .action(async (opts: AuditOptions & ConnectionOptions) => {
      const { team, json, url, token, ...raw } = opts;
      // Checked before the database is opened: the same rules and messages as GET /v1/audit.
      const query = parseAuditQuery(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
      if (isRemote({ url, token })) {
        // The server's page for the token's team, in the API's fields.
        return withBackend({ url, token, team }, 'read', 'audit', async (b) => {
          const page = await b.audit.list({ ...raw, limit: raw.limit === undefined ? undefined : Number(raw.limit) });
          if (json) return void out(JSON.stringify(page));
          printEvents(page.events.map((e) => ({ ...e, team: null })), page.next_cursor);
        });
      }
      await withRuntime('read', 'audit', async (rt) => {
        const teamId = team === undefined ? undefined : (await rt.services.teams.require(team)).id;
        const page = await rt.services.audit.list(teamId, query);
        const names = new Map((await rt.services.teams.list()).map((t) => [t.id, t.name]));
        const rows = page.events.map((e) => {
          const { id, at, ...rest } = auditEntry(e);
          return { id, at, team: e.teamId === null ? null : (names.get(e.teamId) ?? String(e.teamId)), ...rest };
        });
        if (json) return void out(JSON.stringify({ events: rows, next_cursor: page.nextCursor }));
        printEvents(rows, page.nextCursor);
      });
    });
  audit
    .command('verify')
    .description("prove the audit trail: walk every team's MAC chain (or one with --team); exit 0 with the count, 1 naming the first entry changed, removed or inserted")
    .option('--team <name>', 'only this team')
    .option('--json', 'print the verdicts as JSON')
    .action(async (opts: { team?: string; json?: boolean }) =>
      withRuntime('read', 'audit verify', async (rt) => {
        const names = new Map((await rt.services.teams.list()).map((t) => [t.id, t.name]));
        const verdicts = opts.team === undefined ? await rt.services.audit.verifyAll() : [await rt.services.audit.verify((await rt.services.teams.require(opts.team)).id)];
        const label = (teamId: number | null) => (teamId === null ? 'entries of no team' : `team ${names.get(teamId) ?? teamId}`);
        if (opts.json) {
          out(JSON.stringify(verdicts.map((v) => ({ team: v.teamId === null ? null : (names.get(v.teamId) ?? v.teamId), ok: v.ok, verified: v.verified, broken_at: v.brokenAt ?? null, reason: v.reason ?? null }))));
        } else {
          for (const v of verdicts) {
            if (v.ok) out(`${label(v.teamId)}: ${v.verified} entr${v.verified === 1 ? 'y' : 'ies'} verified`);
            else process.stderr.write(`${label(v.teamId)}: BROKEN at ${v.brokenAt === undefined ? 'the chain end' : `entry ${v.brokenAt}`}: ${v.reason} (${v.verified} verified before it)\n`);
          }
        }
        if (verdicts.some((v) => !v.ok)) process.exitCode = 1;
      }),
    );
  audit
    .command('export')
    .description('write the audit trail as NDJSON, oldest first (the lines of GET /v1/audit/export and KEYHOLD_AUDIT_FILE)')
    .option('--team <name>', 'only this team (default: every team)')
    .option('--from <time>', 'entries at or after this RFC 3339 time')
    .option('--to <time>', 'entries before this RFC 3339 time')
    .option('--out <file>', 'write to this file (0600) instead of stdout')
    .option('--url <url>', "export from this keyhold server (default: KEYHOLD_URL; without either, the local store): the token's team")
    .option('--token <token>', 'the token for --url (default: KEYHOLD_TOKEN; root)')
    .action(async (opts: ConnectionOptions & { from?: string; to?: string; out?: string }) => {
      const time = (text: string | undefined, name: string) => {
        if (text === undefined) return undefined;
        const t = parseDateTime(text, 'rfc3339');
        if (t === undefined) throw new AppError('bad_request', `--${name} must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T12:00:00Z`);
        return t;
      };
      const window = { from: time(opts.from, 'from'), to: time(opts.to, 'to') };
      if (isRemote(opts)) {
        return withBackend(opts, 'read', 'audit export', async (b) => {
          const body = await b.audit.export({ from: opts.from, to: opts.to });
          const sink: NodeJS.WritableStream = opts.out ? fs.createWriteStream(opts.out, { mode: 0o600 }) : process.stdout;
          let lines = 0;
          for await (const chunk of Readable.fromWeb(body as WebReadableStream<Uint8Array>)) {
            const buf = chunk as Buffer;
            for (const byte of buf) if (byte === 10) lines++;
            if (!sink.write(buf)) await once(sink, 'drain');
          }
          if (opts.out) await new Promise<void>((resolve, reject) => (sink as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
          process.stderr.write(`exported ${lines} audit entr${lines === 1 ? 'y' : 'ies'}${opts.out ? ` to ${opts.out}` : ''}\n`);
        });
      }
      await withRuntime('read', 'audit export', async (rt) => {
        const teamId = opts.team === undefined ? undefined : (await rt.services.teams.require(opts.team)).id;
        const sink: NodeJS.WritableStream = opts.out ? fs.createWriteStream(opts.out, { mode: 0o600 }) : process.stdout;
        let lines = 0;
        for await (const chunk of rt.services.audit.export(teamId, window)) {
          lines += chunk.split('\n').length - 1;
          if (!sink.write(chunk)) await once(sink, 'drain');
        }
        if (opts.out) await new Promise<void>((resolve, reject) => (sink as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
        process.stderr.write(`exported ${lines} audit entr${lines === 1 ? 'y' : 'ies'}${opts.out ? ` to ${opts.out}` : ''}\n`);
      });
    });
}
