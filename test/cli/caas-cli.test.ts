import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { keyhold } from '../helpers/cli.js';
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
  });
});
