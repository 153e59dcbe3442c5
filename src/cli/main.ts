import { Command, CommanderError } from 'commander';
import { ConfigError, debugEnabled, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { AppError, DatabaseUnavailable } from '../domain/errors.js';
import { parseAbilities, parseDuration } from '../services/tokens.js';
import { ABILITIES } from '../domain/types.js';
import { registerAgentCommand } from './agent.js';
import { registerSshCommands } from './ssh.js';
import { registerAuditCommands } from './audit.js';
import { registerBackupCommands } from './backup.js';
import { registerApiKeyCommands, registerCaasCommands } from './caas.js';
import { registerMasterKeyCommands } from './master-key.js';
import { markRequiredOptions, packageVersion } from './help.js';
import { recordCliChange } from './record.js';
import { iso, out, withRuntime } from './shared.js';
import { configFor } from './store.js';
import { table } from './table.js';

/** A comma-separated option's items, or undefined when it was not given; given but empty is a usage error. */
function commaList(text: string | undefined, option: string): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((u) => u.trim()).filter(Boolean);
  if (items.length === 0) throw new AppError('bad_request', `${option} needs at least one item`);
  return items;
}

export function buildCli(): Command {
  const program = new Command('keyhold')
    .description('keyhold: Coolify-compatible private keys and Gcore-compatible CaaS API keys over one encrypted store')
    .version(packageVersion(), '-V, --version', 'print the version of keyhold')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('serve')
    .description('start the HTTP server (KEYHOLD_HOST, KEYHOLD_PORT, KEYHOLD_DATABASE_URL, …)')
    .action(async () => {
      const { config } = await configFor(loadConfig(), 'create', 'serve');
      // Imported here: the HTTP server's modules (Fastify, Swagger UI, …) would slow every other command's start.
      const { serveForever } = await import('../main.js');
      await serveForever(config);
    });

  program
    .command('migrate')
    .description('apply database migrations and exit')
    .action(async () => {
      const { config } = await configFor(loadConfig(), 'create', 'migrate', { needsMasterKey: false });
      const db = openDatabase(config.database);
      try {
        const results = await migrateToLatest(db);
        out(results.length ? results.map((r) => `${r.status === 'Success' ? 'applied' : r.status}: ${r.migrationName}`).join('\n') : 'database is up to date');
      } finally {
        await db.close();
      }
    });

  const teams = program.command('teams').description('manage teams (they own keys and tokens)');
  teams
    .command('create <name>')
    .description('create a team')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) =>
      withRuntime('create', 'teams create', async (rt) => {
        const t = await rt.services.teams.create(name);
        await recordCliChange(rt, { teamId: t.id, action: 'team.create', type: 'team', id: t.id, changed: ['name'] });
        out(opts.json ? JSON.stringify({ id: t.id, name: t.name }) : `created team ${t.name} (id ${t.id})`);
      }),
    );
  teams
    .command('list')
    .description('list teams')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) =>
      withRuntime('read', 'teams list', async (rt) => {
        const all = await rt.services.teams.list();
        if (opts.json) return void out(JSON.stringify(all.map((t) => ({ id: t.id, name: t.name, created_at: iso(t.createdAt) }))));
        out(all.length ? table(['ID', 'NAME', 'CREATED'], all.map((t) => [String(t.id), t.name, iso(t.createdAt)])) : 'no teams yet (keyhold teams create <name>)');
      }),
    );

  const tokens = program.command('tokens').description('manage API tokens');
  tokens
    .command('create')
    .description('issue a token; it is printed once and only its digest is stored')
    .requiredOption('--team <name>', 'team the token belongs to')
    .requiredOption('--abilities <list>', `comma-separated: ${ABILITIES.join(', ')}`)
    .option('--name <name>', 'a label for the token (default: cli-<today>, e.g. cli-2026-01-31)')
    .option('--expires-in <duration>', 'lifetime, e.g. 30d, 12h, 90m (default: never expires)')
    .option('--private-keys <uuids>', 'comma-separated private key uuids: the token sees and signs with only these (for `sign` tokens)')
    .option('--ssh-roles <names>', 'comma-separated SSH certificate roles: the token issues certificates only from these (for `certify` tokens)')
    .option('--json', 'print {"id","token","team","abilities","expires_at","private_keys"} as JSON (expires_at: RFC 3339 or null)')
    .action(async (opts: { team: string; abilities: string; name?: string; expiresIn?: string; privateKeys?: string; sshRoles?: string; json?: boolean }) => {
      const abilities = parseAbilities(opts.abilities);
      const privateKeys = commaList(opts.privateKeys, '--private-keys');
      const sshRoles = commaList(opts.sshRoles, '--ssh-roles');
      const expiresInMs = opts.expiresIn ? parseDuration(opts.expiresIn) : undefined;
      await withRuntime('change', 'tokens create', async (rt) => {
        // A label that says where and when the token was made, rather than the service's generic "default".
        const name = opts.name?.trim() || `cli-${iso(rt.clock()).slice(0, 10)}`;
        const t = await rt.services.tokens.create({ team: opts.team, abilities, name, expiresInMs, privateKeys, sshRoles });
        const teamId = (await rt.services.teams.require(t.team)).id;
        await recordCliChange(rt, { teamId, action: 'token.create', type: 'token', id: t.id, changed: ['name', 'abilities', 'expires_at'] });
        if (opts.json) {
          out(JSON.stringify({ id: t.id, token: t.token, team: t.team, abilities: t.abilities, expires_at: t.expiresAt === null ? null : iso(t.expiresAt), private_keys: t.privateKeys, ssh_roles: t.sshRoles }));
        } else {
          out(`${t.token}\n`);
          const only = `${t.privateKeys ? `, only private keys ${t.privateKeys.join(', ')}` : ''}${t.sshRoles ? `, only SSH roles ${t.sshRoles.join(', ')}` : ''}`;
          process.stderr.write(`token ${t.id} for team ${t.team} (${t.abilities.join(', ')}${only}), expires ${t.expiresAt === null ? 'never' : iso(t.expiresAt)}.\nCopy it now: it cannot be shown again.\n`);
        }
      });
    });
  tokens
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--team <name>', 'only this team')
    .option('--json', 'print JSON')
    .action(async (opts: { team?: string; json?: boolean }) =>
      withRuntime('read', 'tokens list', async (rt) => {
        const rows = await rt.services.tokens.list(opts.team);
        const now = rt.clock();
        const state = (t: (typeof rows)[number]) => (t.revokedAt !== null ? 'revoked' : t.expiresAt !== null && t.expiresAt <= now ? 'expired' : 'active');
        if (opts.json) {
          return void out(JSON.stringify(rows.map((t) => ({ id: t.id, team: t.team, name: t.name, abilities: t.abilities, state: state(t), created_at: iso(t.createdAt), expires_at: t.expiresAt === null ? null : iso(t.expiresAt) }))));
        }
        out(rows.length ? table(['ID', 'TEAM', 'NAME', 'ABILITIES', 'STATE', 'EXPIRES'], rows.map((t) => [String(t.id), t.team, t.name, t.abilities.join(','), state(t), iso(t.expiresAt)])) : 'no tokens');
      }),
    );
  tokens
    .command('revoke <id>')
    .description('revoke a token; it stops working at once')
    .action(async (id: string) => {
      if (!/^\d+$/.test(id)) throw new AppError('bad_request', `token id must be a number (got ${JSON.stringify(id)})`);
      await withRuntime('change', 'tokens revoke', async (rt) => {
        await rt.services.tokens.revoke(Number(id));
        const revoked = await rt.store.tokens.findById(Number(id));
        await recordCliChange(rt, { teamId: revoked?.teamId ?? null, action: 'token.revoke', type: 'token', id, changed: ['revoked_at'] });
        out(`revoked token ${id}`);
      });
    });

  registerAgentCommand(program);
  registerSshCommands(program);
  registerCaasCommands(program);
  registerApiKeyCommands(program);
  registerAuditCommands(program);
  registerMasterKeyCommands(program);
  registerBackupCommands(program);

  markRequiredOptions(program);
  return program;
}

/** Runs the CLI; user mistakes print one line to stderr and exit non-zero, without a stack trace. */
export async function runCli(argv: string[]): Promise<void> {
  const program = buildCli();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`keyhold: ${err.message}\n`);
    } else if (err instanceof DatabaseUnavailable) {
      process.stderr.write(`keyhold: ${err.detail}\n`);
    } else if (err instanceof AppError) {
      process.stderr.write(`keyhold: ${err.message}\n`);
    } else {
      const e = err as Error;
      process.stderr.write(`keyhold: ${e?.message ?? String(err)}\n`);
      if (debugEnabled()) process.stderr.write(`${e?.stack}\n`);
    }
    process.exitCode = 1;
  }
}
