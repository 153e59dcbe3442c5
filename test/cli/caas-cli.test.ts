import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { keyhold, serve } from '../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';

describe('keyhold projects and regions', () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    tdb = await freshDatabase();
    env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
    keyhold(['teams', 'create', 'acme'], env);
  });
  after(() => tdb.drop());

  it('a fresh install has region 1; regions can be added once', () => {
    // --json prints the API's regions: id, name, created_at.
    const idName = ({ id, name }: { id: number; name: string }) => ({ id, name });
    assert.deepEqual((JSON.parse(keyhold(['regions', 'list', '--json'], env).stdout) as Array<{ id: number; name: string }>).map(idName), [{ id: 1, name: 'default' }]);
    assert.deepEqual(idName(JSON.parse(keyhold(['regions', 'create', '--id', '2', '--name', 'eu-west', '--json'], env).stdout)), { id: 2, name: 'eu-west' });
    const dup = keyhold(['regions', 'create', '--id', '2', '--name', 'again'], env);
    assert.deepEqual([dup.status, dup.stderr.trim()], [1, 'keyhold: region 2 already exists']);
    assert.match(keyhold(['regions', 'create', '--id', 'x', '--name', 'n'], env).stderr, /--id must be a positive integer/);
  });

  it('projects get the next free id or the one asked for, and belong to a team', () => {
    // --json prints the API's project: id, name, created_at, keys.
    const pick = (p: { id: number; name: string; keys: number }) => [p.id, p.name, p.keys];
    assert.deepEqual(pick(JSON.parse(keyhold(['projects', 'create', '--team', 'acme', '--json'], env).stdout)), [1, 'default', 0]);
    assert.deepEqual(pick(JSON.parse(keyhold(['projects', 'create', '--team', 'acme', '--id', '42', '--name', 'prod', '--json'], env).stdout)), [42, 'prod', 0]);
    assert.equal(JSON.parse(keyhold(['projects', 'create', '--team', 'acme', '--json'], env).stdout).id, 43);
    assert.match(keyhold(['projects', 'create', '--team', 'acme', '--id', '42'], env).stderr, /project 42 already exists/);
    assert.match(keyhold(['projects', 'create', '--team', 'ghost'], env).stderr, /no team named "ghost"/);
    assert.match(keyhold(['projects', 'create', '--team', 'acme', '--id', '0'], env).stderr, /project id must be an integer from 1/);
    assert.match(keyhold(['projects', 'list', '--team', 'acme'], env).stdout, /^ID\s+NAME\s+KEYS\s+CREATED\n1\s+default\s+0/);
    // Without --team, the store's only team.
    const listed = JSON.parse(keyhold(['projects', 'list', '--json'], env).stdout) as Array<{ id: number; name: string; created_at: string }>;
    assert.deepEqual(listed.map((p) => [p.id, p.name]), [[1, 'default'], [42, 'prod'], [43, 'default']]);
    for (const p of listed) assert.match(p.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, "the API's RFC 3339");
    assert.match(keyhold(['regions', 'list'], env).stdout, /^ID\s+NAME\n1\s+default\n2\s+eu-west\n$/);
  });

  it('mistakes exit non-zero with one line on stderr and no stack trace', () => {
    for (const args of [['projects', 'create'], ['projects', 'create', '--team', 'acme', '--id', '-3'], ['regions', 'create', '--id', '3'], ['projects', 'list', '--team', 'ghost']]) {
      const r = keyhold(args, env);
      assert.notEqual(r.status, 0, args.join(' '));
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.trim().length > 0 && !/\n\s+at /.test(r.stderr), `${args.join(' ')}: ${r.stderr}`);
    }
  });

  it('a project made with the CLI is served under /cloud to its team\'s token', async () => {
    keyhold(['teams', 'create', 'other'], env);
    const token = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'read,write', '--json'], env).stdout).token as string;
    const theirs = JSON.parse(keyhold(['projects', 'create', '--team', 'other', '--json'], env).stdout).id as number;
    const srv = await serve(env);
    try {
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${srv.url}/cloud/v1/caas/keys${path}`, { method, headers: { authorization: `APIKey ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
      const created = await call('POST', '/42/2', { name: 'cli-key', containers: [] });
      assert.equal(created.status, 200);
      assert.equal(((await created.json()) as { status: string }).status, 'Active');
      assert.deepEqual(await (await call('GET', '/42/2')).json(), { count: 1, results: [(await (await call('GET', '/42/2/cli-key')).json()) as object] });
      const foreign = await call('GET', `/${theirs}/1`);
      assert.deepEqual([foreign.status, ((await foreign.json()) as { message: string }).message], [404, `Project ${theirs} could not be found`]);
    } finally {
      srv.child.kill('SIGTERM');
      await srv.exited;
    }
  });
});

describe('keyhold api-keys list', () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    tdb = await freshDatabase();
    env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64'), KEYHOLD_USAGE_FLUSH_MS: '100' };
    for (const t of ['acme', 'other']) {
      keyhold(['teams', 'create', t], env);
      keyhold(['projects', 'create', '--team', t], env);
    }
  });
  after(() => tdb.drop());

  it('shows each key with its status, containers, secret prefix and when a gateway last admitted it', async () => {
    const token = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'root', '--json'], env).stdout).token;
    const otherToken = JSON.parse(keyhold(['tokens', 'create', '--team', 'other', '--abilities', 'root', '--json'], env).stdout).token;
    const srv = await serve(env);
    let used: { secret: string };
    try {
      const create = async (t: string, project: number, body: object) => {
        const res = await fetch(`${srv.url}/cloud/v1/caas/keys/${project}/1`, { method: 'POST', headers: { authorization: `APIKey ${t}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        assert.equal(res.status, 200);
        return (await res.json()) as { secret: string };
      };
      used = await create(token, 1, { name: 'gw', containers: [{ name: 'web', namespace: 'prod' }] });
      await create(token, 1, { name: 'idle', containers: [], is_disabled: true });
      await create(otherToken, 2, { name: 'theirs', containers: [] });
      const fa = await fetch(`${srv.url}/v1/forward-auth?container=web&namespace=prod`, { headers: { 'x-api-key': used.secret } });
      assert.equal(fa.status, 204);
      await new Promise((r) => setTimeout(r, 400)); // a few usage flushes
    } finally {
      srv.child.kill('SIGTERM');
      await srv.exited;
    }
    const r = keyhold(['api-keys', 'list', '--team', 'acme', '--json'], env);
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(rows.map((k) => [k.project_id, k.region_id, k.name, k.status]), [[1, 1, 'gw', 'Active'], [1, 1, 'idle', 'Disabled']]);
    assert.match(String(rows[0]!.last_used_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/, "the API's RFC 3339");
    assert.equal(rows[1]!.last_used_at, null);
    assert.equal(rows[0]!.secret_prefix, used.secret.slice(0, 12));
    assert.ok(!r.stdout.includes(used.secret), 'never the secret itself');
    const table = keyhold(['api-keys', 'list', '--team', 'acme'], env).stdout;
    assert.match(table, /^PROJECT\s+REGION\s+NAME\s+STATUS\s+SECRET\s+CONTAINERS\s+EXPIRES\s+LAST USED\n1\s+1\s+gw\s+Active\s+khk_\S+…\s+prod\/web\s+never\s+\d{4}-/);
    assert.match(table, /\n1\s+1\s+idle\s+Disabled\s+khk_\S+…\s+-\s+never\s+never\n$/);
    const missing = keyhold(['api-keys', 'list', '--team', 'acme', '--project', '9', '--json'], env);
    assert.deepEqual([missing.status, missing.stdout, missing.stderr], [1, '', 'keyhold: no project 9 in team acme (keyhold projects list shows them)\n']);
    assert.match(keyhold(['api-keys', 'list', '--team', 'ghost'], env).stderr, /no team named "ghost"/);
  });
});
