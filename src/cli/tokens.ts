import type { Command } from 'commander';
import { AppError } from '../domain/errors.js';
import { ABILITIES } from '../domain/types.js';
import { parseAbilities, parseDuration } from '../services/tokens.js';
import { connectionOptions, withBackend, type ConnectionOptions } from './backend.js';
import { out } from './shared.js';
import { table } from './table.js';

/** A comma-separated option's items, or undefined when it was not given; given but empty is a mistake. */
export function commaList(text: string | undefined, option: string): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((u) => u.trim()).filter(Boolean);
  if (items.length === 0) throw new AppError('bad_request', `${option} needs at least one item`);
  return items;
}

type CreateOpts = ConnectionOptions & { abilities: string; name?: string; expiresIn?: string; privateKeys?: string; sshRoles?: string; json?: boolean };

/** `keyhold tokens …`, on the local store (`--team`) or a server (the calling token's team). */
export function registerTokenCommands(program: Command): void {
  const tokens = program.command('tokens').description('manage API tokens');
  connectionOptions(tokens.command('create').description('issue a token; it is printed alone on stdout, once, and only its digest is stored'), 'team the token belongs to (local mode; remotely, the calling token\'s team)')
    // The list is the domain's own: every ability, admin, sign, certify and verify:all included.
    .requiredOption('--abilities <list>', `comma-separated: ${ABILITIES.join(', ')}`)
    .option('--name <name>', 'a label for the token (default: cli-<today>, e.g. cli-2026-01-31)')
    .option('--expires-in <duration>', 'lifetime, e.g. 30d, 12h, 90m (default: never expires)')
    .option('--private-keys <uuids>', 'comma-separated private key uuids: the token sees and signs with only these (for `sign` tokens)')
    .option('--ssh-roles <names>', 'comma-separated SSH certificate roles: the token issues certificates only from these (for `certify` tokens)')
    .option('--json', 'print the API\'s answer as JSON: {"id","token","name","abilities","expires_at","private_keys","ssh_roles",…} plus "team" (expires_at: RFC 3339 or null)')
    .action(async (opts: CreateOpts) => {
      const abilities = parseAbilities(opts.abilities);
      const body = {
        name: opts.name?.trim() || undefined,
        abilities,
        expires_in: opts.expiresIn ? Math.round(parseDuration(opts.expiresIn) / 1000) : undefined,
        private_keys: commaList(opts.privateKeys, '--private-keys'),
        ssh_roles: commaList(opts.sshRoles, '--ssh-roles'),
      };
      await withBackend(opts, 'change', 'tokens create', async (b) => {
        if (b.mode === 'remote' && body.name === undefined) body.name = `cli-${new Date().toISOString().slice(0, 10)}`;
        const t = await b.tokens.create(body as Parameters<typeof b.tokens.create>[0]);
        const team = await b.teamName();
        if (opts.json) return void out(JSON.stringify({ ...t, team }));
        out(t.token);
        const only = `${t.private_keys ? `, only private keys ${t.private_keys.join(', ')}` : ''}${t.ssh_roles ? `, only SSH roles ${t.ssh_roles.join(', ')}` : ''}`;
        process.stderr.write(`token ${t.id} for team ${team} (${t.abilities.join(', ')}${only}), expires ${t.expires_at ?? 'never'}.\nCopy it now: it cannot be shown again.\n`);
      });
    });
  connectionOptions(tokens.command('list').description('list tokens (never their secrets)'), 'only this team (local mode; remotely, the token\'s team)')
    .option('--json', 'print the tokens as a JSON array (the API\'s fields)')
    .action(async (opts: ConnectionOptions & { json?: boolean }) =>
      withBackend(opts, 'read', 'tokens list', async (b) => {
        const rows = await b.tokens.list();
        if (opts.json) return void out(JSON.stringify(rows));
        out(rows.length ? table(['ID', 'NAME', 'ABILITIES', 'STATE', 'EXPIRES'], rows.map((t) => [String(t.id), t.name, t.abilities.join(','), t.state, t.expires_at ?? '-'])) : 'no tokens');
      }),
    );
  connectionOptions(tokens.command('revoke <id>').description('revoke a token; it stops working at once'))
    .action(async (id: string, opts: ConnectionOptions) => {
      if (!/^\d+$/.test(id)) throw new AppError('bad_request', `token id must be a number (got ${JSON.stringify(id)})`);
      await withBackend(opts, 'change', 'tokens revoke', async (b) => {
        await b.tokens.revoke(Number(id));
        out(`revoked token ${id}`);
      });
    });
}
