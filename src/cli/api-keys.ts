import type { Command } from 'commander';
import type { ApiKey, ApiKeyRef } from '#sdk';
import { AppError } from '../domain/errors.js';
import { parseDuration } from '../services/tokens.js';
import { connectionOptions, withBackend, type Backend, type ConnectionOptions } from './backend.js';
import { out } from './shared.js';
import { table } from './table.js';

/** The console's reroll default (web/src/pages/api-keys/RerollApiKey.tsx): the old secret keeps verifying for an hour. */
export const DEFAULT_GRACE = '1h';

export function intOption(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new AppError('bad_request', `${what} must be a positive integer (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** `ns/name` or `name` (namespace default), comma-separated. */
function containers(text: string): Array<{ name: string; namespace: string }> {
  const items = text.split(',').map((c) => c.trim()).filter(Boolean);
  if (items.length === 0) throw new AppError('bad_request', '--containers needs at least one container: name or namespace/name, comma-separated');
  return items.map((c) => {
    const [a, b] = c.split('/', 2);
    return b === undefined ? { name: a!, namespace: 'default' } : { name: b, namespace: a! };
  });
}

function graceSeconds(text: string): number {
  return /^0+[smhdwy]?$/.test(text.trim()) ? 0 : Math.round(parseDuration(text) / 1000);
}

type KeyOpts = ConnectionOptions & { project: string; region: string; name: string; json?: boolean };

const keyOf = (o: KeyOpts): ApiKeyRef => ({ project_id: intOption(o.project, '--project')!, region_id: intOption(o.region, '--region')!, name: o.name });

/** A key's address options on a command that acts on one key. */
const oneKey = (c: Command) =>
  connectionOptions(c)
    .requiredOption('--project <id>', 'project id')
    .requiredOption('--region <id>', 'region id')
    .requiredOption('--name <name>', 'key name')
    .option('--json', 'print the key as JSON (the API\'s fields)');

/** A missing project is an error, not an empty list. */
async function requireProject(b: Backend, id: number): Promise<void> {
  if (!(await b.projects.list()).some((p) => p.id === id)) throw new AppError('not_found', `no project ${id} in team ${await b.teamName()} (keyhold projects list shows them)`);
}

const line = (k: ApiKey) => `${k.name} (project ${k.project_id}, region ${k.region_id}): ${k.status}`;

function printKey(k: ApiKey & { warnings?: string[] }, json: boolean | undefined, said: string): void {
  if (json) out(JSON.stringify(k));
  else out(`${said} ${line(k)}`);
  for (const w of k.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
}

/** Prints a secret alone on stdout (or the whole answer as JSON); what it is goes to stderr. */
function printSecret(k: ApiKey & { secret: string; warnings?: string[] }, json: boolean | undefined, said: string): void {
  if (json) out(JSON.stringify(k));
  else {
    out(k.secret);
    process.stderr.write(`${said} ${line(k)}. The secret above is shown once: copy it now.\n`);
    if (k.rotating_until) process.stderr.write(`the old secret keeps verifying until ${k.rotating_until}\n`);
  }
  for (const w of k.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
}

/** `keyhold api-keys …`: CaaS API keys, on the local store or a server (--url/KEYHOLD_URL). */
export function registerApiKeyCommands(program: Command): void {
  const keys = program.command('api-keys').description('CaaS API keys (Gcore-compatible): create, list, verify, reroll, …');

  connectionOptions(keys.command('list').description("list the team's API keys with status, containers and when each was last used"))
    .option('--project <id>', 'only this project')
    .option('--region <id>', 'only this region')
    .option('--status <status>', 'only Active, Disabled or Expired keys')
    .option('--json', 'print the keys as a JSON array (the API\'s fields)')
    .action(async (opts: ConnectionOptions & { project?: string; region?: string; status?: string; json?: boolean }) => {
      const projectId = intOption(opts.project, '--project');
      const regionId = intOption(opts.region, '--region');
      await withBackend(opts, 'read', 'api-keys list', async (b) => {
        if (projectId !== undefined) await requireProject(b, projectId);
        const rows: ApiKey[] = [];
        let cursor: string | undefined;
        do {
          const page = await b.apiKeys.list({ project_id: projectId, region_id: regionId, status: opts.status as ApiKey['status'] | undefined, cursor });
          rows.push(...page.keys);
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        if (opts.json) return void out(JSON.stringify(rows));
        if (rows.length === 0) return void out(`no API keys for team ${await b.teamName()}`);
        out(
          table(
            ['PROJECT', 'REGION', 'NAME', 'STATUS', 'SECRET', 'CONTAINERS', 'EXPIRES', 'LAST USED'],
            rows.map((k) => [
              String(k.project_id),
              String(k.region_id),
              k.name,
              k.status,
              `${k.secret_prefix}…`,
              k.containers.map((c) => `${c.namespace}/${c.name}`).join(',') || '-',
              k.expire ?? 'never',
              k.last_used_at ?? 'never',
            ]),
          ),
        );
      });
    });

  oneKey(keys.command('get').description('show one API key')).action(async (o: KeyOpts) =>
    withBackend(o, 'read', 'api-keys get', async (b) => {
      const k = await b.apiKeys.get(keyOf(o));
      if (o.json) return void out(JSON.stringify(k));
      out(table(['FIELD', 'VALUE'], Object.entries(k).map(([f, v]) => [f, typeof v === 'string' ? v : JSON.stringify(v)])));
    }),
  );

  oneKey(keys.command('create').description('create an API key; its secret is printed alone on stdout, once'))
    .requiredOption('--containers <list>', 'containers it opens: name or namespace/name, comma-separated')
    .option('--description <text>', 'a description')
    .option('--expire <time>', 'RFC 3339 expiry, e.g. 2027-01-31T00:00:00Z (default: never)')
    .option('--disabled', 'create it disabled')
    .action(async (o: KeyOpts & { containers: string; description?: string; expire?: string; disabled?: boolean }) => {
      const ref = keyOf(o);
      await withBackend(o, 'change', 'api-keys create', async (b) => {
        const k = await b.apiKeys.create({ ...ref, containers: containers(o.containers), description: o.description, expire: o.expire, is_disabled: o.disabled });
        printSecret(k, o.json, 'created API key');
      });
    });

  oneKey(keys.command('update').description("change an API key's containers, description or expiry; the others stay"))
    .option('--containers <list>', 'replace its containers: name or namespace/name, comma-separated')
    .option('--description <text>', 'a new description')
    .option('--expire <time>', 'RFC 3339 expiry, or "never"')
    .action(async (o: KeyOpts & { containers?: string; description?: string; expire?: string }) => {
      const changes = {
        containers: o.containers === undefined ? undefined : containers(o.containers),
        description: o.description,
        expire: o.expire === undefined ? undefined : o.expire === 'never' ? null : o.expire,
      };
      if (Object.values(changes).every((v) => v === undefined)) throw new AppError('bad_request', 'nothing to change: give --containers, --description or --expire');
      await withBackend(o, 'change', 'api-keys update', async (b) => printKey(await b.apiKeys.update(keyOf(o), changes), o.json, 'updated API key'));
    });

  for (const [verb, what] of [
    ['disable', 'stop it verifying at once'],
    ['enable', 'let it verify again'],
  ] as const) {
    oneKey(keys.command(verb).description(`${verb} an API key: ${what}`)).action(async (o: KeyOpts) =>
      withBackend(o, 'change', `api-keys ${verb}`, async (b) => printKey(await b.apiKeys[verb](keyOf(o)), o.json, `${verb}d API key`)),
    );
  }

  oneKey(keys.command('delete').description('delete an API key; gateways refuse it at once')).action(async (o: KeyOpts) =>
    withBackend(o, 'change', 'api-keys delete', async (b) => {
      const ref = keyOf(o);
      await b.apiKeys.delete(ref);
      if (o.json) out(JSON.stringify({ deleted: true, ...ref }));
      else out(`deleted API key ${ref.name} (project ${ref.project_id}, region ${ref.region_id})`);
    }),
  );

  oneKey(keys.command('reroll').description("replace a key's secret (printed alone on stdout, once); the old one keeps verifying for the grace period"))
    .option('--grace <duration>', `how long the old secret keeps verifying, e.g. 30m, 7d, 0 for none (at most 30d; default ${DEFAULT_GRACE}, as in the console)`, DEFAULT_GRACE)
    .action(async (o: KeyOpts & { grace: string }) => {
      const ref = keyOf(o);
      const grace = graceSeconds(o.grace);
      await withBackend(o, 'change', 'api-keys reroll', async (b) => {
        const k = await b.apiKeys.reroll(ref, { grace_seconds: grace });
        printSecret(k, o.json, 'rerolled API key');
        if (!o.json && !k.rotating_until) process.stderr.write('the old secret no longer verifies\n');
      });
    });

  connectionOptions(keys.command('verify').description('ask keyhold as a gateway would: is this key valid for this container? (exit 0 valid, 1 not)'))
    .requiredOption('--key <secret>', 'the API key (or - to read it from stdin)')
    .requiredOption('--container <name>', 'target container: name or namespace/name')
    .option('--json', 'print the verdict as JSON (the API\'s fields)')
    .action(async (o: ConnectionOptions & { key: string; container: string; json?: boolean }) => {
      const key = o.key === '-' ? (await readStdin()).trim() : o.key;
      const [c] = containers(o.container);
      await withBackend(o, 'read', 'api-keys verify', async (b) => {
        const v = await b.verify({ key, container: c! });
        if (o.json) out(JSON.stringify(v));
        else out(v.valid ? `VALID: ${v.key?.name ?? ''}` : v.code);
        if (!v.valid) process.exitCode = 1;
      });
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
