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
    assert.deepEqual(JSON.parse(keyhold(['regions', 'list', '--json'], env).stdout), [{ id: 1, name: 'default' }]);
    assert.deepEqual(JSON.parse(keyhold(['regions', 'create', '--id', '2', '--name', 'eu-west', '--json'], env).stdout), { id: 2, name: 'eu-west' });
    const dup = keyhold(['regions', 'create', '--id', '2', '--name', 'again'], env);
    assert.deepEqual([dup.status, dup.stderr.trim()], [1, 'keyhold: region 2 already exists']);
    assert.match(keyhold(['regions', 'create', '--id', 'x', '--name', 'n'], env).stderr, /--id must be a positive integer/);
  });

  it('projects get the next free id or the one asked for, and belong to a team', () => {
    assert.deepEqual(JSON.parse(keyhold(['projects', 'create', '--team', 'acme', '--json'], env).stdout), { id: 1, team: 'acme', name: 'default' });
    assert.deepEqual(JSON.parse(keyhold(['projects', 'create', '--team', 'acme', '--id', '42', '--name', 'prod', '--json'], env).stdout), { id: 42, team: 'acme', name: 'prod' });
    assert.equal(JSON.parse(keyhold(['projects', 'create', '--team', 'acme', '--json'], env).stdout).id, 43);
    assert.match(keyhold(['projects', 'create', '--team', 'acme', '--id', '42'], env).stderr, /project 42 already exists/);
    assert.match(keyhold(['projects', 'create', '--team', 'ghost'], env).stderr, /no team named "ghost"/);
    assert.match(keyhold(['projects', 'create', '--team', 'acme', '--id', '0'], env).stderr, /project id must be an integer from 1/);
    assert.match(keyhold(['projects', 'list', '--team', 'acme'], env).stdout, /^ID\s+TEAM\s+NAME\s+CREATED\n1\s+acme\s+default/);
    const listed = JSON.parse(keyhold(['projects', 'list', '--json'], env).stdout) as Array<{ id: number; team: string; name: string; created_at: string }>;
    assert.deepEqual(listed.map((p) => [p.id, p.team, p.name]), [[1, 'acme', 'default'], [42, 'acme', 'prod'], [43, 'acme', 'default']]);
    for (const p of listed) assert.match(p.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
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
