import type { Command } from 'commander';
import { AppError } from '../domain/errors.js';
import { caasKeyStatus, rotatingUntil } from '../domain/types.js';
import { parseDuration } from '../services/tokens.js';
import { recordCliChange } from './record.js';
import { withRuntime, out, iso } from './shared.js';
import { table } from './table.js';

function intOption(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new AppError('bad_request', `${what} must be a positive integer (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** `keyhold projects …` and `keyhold regions …`: the namespaces of CaaS API keys. */
export function registerCaasCommands(program: Command): void {
  const projects = program.command('projects').description('manage projects (Gcore project_id; each belongs to one team)');
  projects
    .command('create')
    .description('create a project')
    .requiredOption('--team <name>', 'owning team')
    .option('--id <n>', 'project id (default: the next free one)')
    .option('--name <name>', 'a label')
    .option('--json', 'print JSON')
    .action(async (opts: { team: string; id?: string; name?: string; json?: boolean }) => {
      const id = intOption(opts.id, '--id');
      await withRuntime('change', 'projects create', async (rt) => {
        const p = await rt.services.projects.createProject({ team: opts.team, id, name: opts.name });
        await recordCliChange(rt, { teamId: p.teamId, action: 'project.create', type: 'project', id: p.id, changed: ['name'] });
        out(opts.json ? JSON.stringify({ id: p.id, team: p.team, name: p.name }) : `created project ${p.id} (${p.name}) for team ${p.team}`);
      });
    });
  projects
    .command('list')
    .description('list projects')
    .option('--team <name>', 'only this team')
    .option('--json', 'print JSON')
    .action(async (opts: { team?: string; json?: boolean }) =>
      withRuntime('read', 'projects list', async (rt) => {
        const rows = await rt.services.projects.listProjects(opts.team);
        if (opts.json) return void out(JSON.stringify(rows.map((p) => ({ id: p.id, team: p.team, name: p.name, created_at: iso(p.createdAt) }))));
        out(rows.length ? table(['ID', 'TEAM', 'NAME', 'CREATED'], rows.map((p) => [String(p.id), p.team, p.name, iso(p.createdAt)])) : 'no projects yet (keyhold projects create --team <name>)');
      }),
    );

  const regions = program.command('regions').description('manage regions (Gcore region_id)');
  regions
    .command('create')
    .description('create a region')
    .requiredOption('--id <n>', 'region id')
    .requiredOption('--name <name>', 'region name')
    .option('--json', 'print JSON')
    .action(async (opts: { id: string; name: string; json?: boolean }) => {
      const id = intOption(opts.id, '--id')!;
      await withRuntime('change', 'regions create', async (rt) => {
        const r = await rt.services.projects.createRegion({ id, name: opts.name });
        await recordCliChange(rt, { teamId: null, action: 'region.create', type: 'region', id: r.id, changed: ['name'] });
        out(opts.json ? JSON.stringify({ id: r.id, name: r.name }) : `created region ${r.id} (${r.name})`);
      });
    });
  regions
    .command('list')
    .description('list regions')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) =>
      withRuntime('read', 'regions list', async (rt) => {
        const rows = await rt.services.projects.listRegions();
        if (opts.json) return void out(JSON.stringify(rows.map((r) => ({ id: r.id, name: r.name }))));
        out(table(['ID', 'NAME'], rows.map((r) => [String(r.id), r.name])));
      }),
    );
}

/**
 * `keyhold api-keys list`: the native admin view of CaaS API keys, with what Gcore's objects have no
 * field for: when each key was last used (to a minute) and the first characters of its secret.
 */
export function registerApiKeyCommands(program: Command): void {
  const keys = program.command('api-keys').description('CaaS API keys (Gcore-compatible), with usage');
  keys
    .command('list')
    .description("list a team's API keys with status, containers and when each was last used")
    .requiredOption('--team <name>', 'owning team')
    .option('--project <id>', 'only this project')
    .option('--region <id>', 'only this region')
    .option('--json', 'print JSON')
    .action(async (opts: { team: string; project?: string; region?: string; json?: boolean }) => {
      const projectId = intOption(opts.project, '--project');
      const regionId = intOption(opts.region, '--region');
      await withRuntime('read', 'api-keys list', async (rt) => {
        const team = await rt.services.teams.require(opts.team);
        const rows = await rt.store.caasKeys.listForTeam(team.id, { projectId, regionId });
        const now = rt.clock();
        const view = rows.map((k) => ({
          project_id: k.projectId,
          region_id: k.regionId,
          name: k.name,
          status: caasKeyStatus(k, now),
          secret_start: k.secretStart,
          containers: k.containers,
          expire: k.expire === null ? null : iso(k.expire),
          created_at: iso(k.createdAt),
          last_used_at: k.lastUsedAt === null ? null : iso(k.lastUsedAt),
        }));
        if (opts.json) return void out(JSON.stringify(view));
        if (view.length === 0) return void out(`no API keys for team ${team.name}`);
        out(
          table(
            ['PROJECT', 'REGION', 'NAME', 'STATUS', 'SECRET', 'CONTAINERS', 'EXPIRES', 'LAST USED'],
            view.map((k) => [
              String(k.project_id),
              String(k.region_id),
              k.name,
              k.status,
              `${k.secret_start}…`,
              k.containers.map((c) => `${c.namespace}/${c.name}`).join(',') || '-',
              k.expire ?? 'never',
              k.last_used_at ?? 'never',
            ]),
          ),
        );
      });
    });
  keys
    .command('reroll')
    .description('replace a key\'s secret (printed once); the old one keeps verifying for the grace period')
    .requiredOption('--team <name>', 'owning team')
    .requiredOption('--project <id>', 'project id')
    .requiredOption('--region <id>', 'region id')
    .requiredOption('--name <name>', 'key name')
    .option('--grace <duration>', 'how long the old secret keeps verifying, e.g. 1h, 30m, 7d (at most 30d; default 0: it stops at once)')
    .option('--json', 'print the key with its new `secret` as JSON')
    .action(async (opts: { team: string; project: string; region: string; name: string; grace?: string; json?: boolean }) => {
      const projectId = intOption(opts.project, '--project')!;
      const regionId = intOption(opts.region, '--region')!;
      const graceMs = opts.grace === undefined || /^0+[smhdwy]?$/.test(opts.grace.trim()) ? 0 : parseDuration(opts.grace);
      await withRuntime('change', 'api-keys reroll', async (rt) => {
        const team = await rt.services.teams.require(opts.team);
        const actor = { teamId: team.id, tokenId: null, label: 'cli', ip: null, requestId: null };
        const { key, secret } = await rt.services.caasKeys.reroll(actor, projectId, regionId, opts.name, graceMs);
        const until = rotatingUntil(key, rt.clock());
        if (opts.json) {
          const view = { project_id: key.projectId, region_id: key.regionId, name: key.name, status: caasKeyStatus(key, rt.clock()), secret, rotating_until: until === null ? null : iso(until) };
          return void out(JSON.stringify(view));
        }
        out(`rerolled API key ${key.name} (project ${key.projectId}, region ${key.regionId}); the new secret, shown once:\n\n  ${secret}\n`);
        out(until === null ? 'the old secret no longer verifies' : `the old secret keeps verifying until ${iso(until)}`);
      });
    });
}
