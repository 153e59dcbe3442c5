import type { Command } from 'commander';
import { AppError } from '../domain/errors.js';
import { connectionOptions, withBackend, type ConnectionOptions } from './backend.js';
import { out } from './shared.js';
import { table } from './table.js';

function intOption(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new AppError('bad_request', `${what} must be a positive integer (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** `keyhold projects …` and `keyhold regions …`: the namespaces of CaaS API keys. */
export function registerCaasCommands(program: Command): void {
  const projects = program.command('projects').description('manage projects (Gcore project_id; each belongs to one team)');
  connectionOptions(projects.command('create').description('create a project'), 'owning team (local mode; remotely, the token\'s team)')
    .option('--id <n>', 'project id (default: the next free one)')
    .option('--name <name>', 'a label')
    .option('--json', "print the project as JSON (the API's fields)")
    .action(async (opts: ConnectionOptions & { id?: string; name?: string; json?: boolean }) => {
      const id = intOption(opts.id, '--id');
      await withBackend(opts, 'change', 'projects create', async (b) => {
        const p = await b.projects.create({ id, name: opts.name });
        out(opts.json ? JSON.stringify(p) : `created project ${p.id} (${p.name}) for team ${await b.teamName()}`);
      });
    });
  connectionOptions(projects.command('list').description("list the team's projects"), 'the team (local mode; remotely, the token\'s team)')
    .option('--json', "print the projects as a JSON array (the API's fields)")
    .action(async (opts: ConnectionOptions & { json?: boolean }) =>
      withBackend(opts, 'read', 'projects list', async (b) => {
        const rows = await b.projects.list();
        if (opts.json) return void out(JSON.stringify(rows));
        out(rows.length ? table(['ID', 'NAME', 'KEYS', 'CREATED'], rows.map((p) => [String(p.id), p.name, String(p.keys), p.created_at])) : 'no projects yet (keyhold projects create)');
      }),
    );

  const regions = program.command('regions').description('manage regions (Gcore region_id)');
  connectionOptions(regions.command('create').description('create a region (remotely: an admin token)'), '(not used)')
    .requiredOption('--id <n>', 'region id')
    .requiredOption('--name <name>', 'region name')
    .option('--json', "print the region as JSON (the API's fields)")
    .action(async (opts: ConnectionOptions & { id: string; name: string; json?: boolean }) => {
      const id = intOption(opts.id, '--id')!;
      await withBackend(opts, 'change', 'regions create', async (b) => {
        const r = await b.regions.create({ id, name: opts.name });
        out(opts.json ? JSON.stringify(r) : `created region ${r.id} (${r.name})`);
      });
    });
  connectionOptions(regions.command('list').description('list regions'), '(not used)')
    .option('--json', "print the regions as a JSON array (the API's fields)")
    .action(async (opts: ConnectionOptions & { json?: boolean }) =>
      withBackend(opts, 'read', 'regions list', async (b) => {
        const rows = await b.regions.list();
        if (opts.json) return void out(JSON.stringify(rows));
        out(table(['ID', 'NAME'], rows.map((r) => [String(r.id), r.name])));
      }),
    );
}
