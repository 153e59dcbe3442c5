import { Command, CommanderError } from 'commander';
import { ConfigError, debugEnabled, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { AppError, DatabaseUnavailable } from '../domain/errors.js';
import { registerAgentCommand } from './agent.js';
import { registerSshCommands } from './ssh.js';
import { registerAuditCommands } from './audit.js';
import { registerBackupCommands } from './backup.js';
import { registerCaasCommands } from './caas.js';
import { registerApiKeyCommands } from './api-keys.js';
import { registerSshKeyCommands } from './ssh-keys.js';
import { registerTokenCommands } from './tokens.js';
import { registerWebhookCommands } from './webhooks.js';
import { registerMasterKeyCommands } from './master-key.js';
import { groupCommands, markRequiredOptions, packageVersion, withSettingHint } from './help.js';
import { recordCliChange } from './record.js';
import { iso, out, withRuntime } from './shared.js';
import { configFor } from './store.js';
import { connectionOptions, isRemote, withBackend, type ConnectionOptions } from './backend.js';
import { table } from './table.js';
import { EXIT_USAGE, UsageError } from './usage.js';

export function buildCli(): Command {
  const program = new Command('keyhold')
    .description('keyhold: Coolify-compatible private keys and Gcore-compatible CaaS API keys over one encrypted store')
    .version(packageVersion(), '-V, --version', 'print the version of keyhold')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(withSettingHint(text)) })
    .exitOverride();

  program
    .command('serve')
    .description('start the HTTP server (KEYHOLD_HOST, KEYHOLD_PORT, KEYHOLD_DATABASE_URL, …)')
    .addHelpText('after', '\nSettings come from the environment, not flags: KEYHOLD_PORT=8080 KEYHOLD_HOST=0.0.0.0 keyhold serve (every setting: README.md, Configuration).')
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
  connectionOptions(teams.command('create <name>').description('create a team; against a server (an admin token), its first root token is printed alone on stdout'), '(not used)')
    .option('--json', "print JSON (the API's fields)")
    .action(async (name: string, opts: ConnectionOptions & { json?: boolean }) => {
      if (isRemote(opts)) {
        return withBackend(opts, 'change', 'teams create', async (b) => {
          const created = await b.teams.create({ name });
          if (opts.json) return void out(JSON.stringify(created));
          out(created.token.token);
          process.stderr.write(`created team ${created.team.name} (id ${created.team.id}); its first root token is above, shown once: copy it now.\n`);
        });
      }
      // On the host, the one command besides serve and migrate that may create a new store.
      return withRuntime('create', 'teams create', async (rt) => {
        const t = await rt.services.teams.create(name);
        await recordCliChange(rt, { teamId: t.id, action: 'team.create', type: 'team', id: t.id, changed: ['name'] });
        out(opts.json ? JSON.stringify({ id: t.id, name: t.name, created_at: iso(t.createdAt) }) : `created team ${t.name} (id ${t.id})`);
      });
    });
  connectionOptions(teams.command('list').description('list teams (remotely: an admin token)'), '(not used)')
    .option('--json', "print JSON (the API's fields)")
    .action(async (opts: ConnectionOptions & { json?: boolean }) =>
      withBackend({ ...opts, team: isRemote(opts) ? undefined : opts.team }, 'read', 'teams list', async (b) => {
        const all = await b.teams.list();
        if (opts.json) return void out(JSON.stringify(all));
        out(all.length ? table(['ID', 'NAME', 'CREATED'], all.map((t) => [String(t.id), t.name, t.created_at])) : 'no teams yet (keyhold teams create <name>)');
      }),
    );

  registerTokenCommands(program);

  registerAgentCommand(program);
  registerSshCommands(program);
  registerCaasCommands(program);
  registerApiKeyCommands(program);
  registerSshKeyCommands(program);
  registerWebhookCommands(program);
  registerAuditCommands(program);
  registerMasterKeyCommands(program);
  registerBackupCommands(program);

  markRequiredOptions(program);
  groupCommands(program);
  return program;
}

/** Runs the CLI; user mistakes print one line to stderr and exit non-zero, without a stack trace. */
export async function runCli(argv: string[]): Promise<void> {
  const program = buildCli();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // Exit codes: 0 done, 1 an error, 2 a usage mistake (commander's, or a UsageError); help and --version are 0.
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`keyhold: ${err.message}\n(run with --help for usage)\n`);
      process.exitCode = EXIT_USAGE;
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
