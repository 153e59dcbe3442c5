import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { keyhold, ROOT } from '../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';

describe('CLI help, version and options', () => {
  it('--version and -V print the package version', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const r = keyhold([flag], {});
      assert.equal(r.status, 0);
      assert.equal(r.stdout.trim(), version);
    }
  });

  it('help marks required options, and tokens create documents expires_at and the default name', () => {
    const help = keyhold(['tokens', 'create', '--help'], {}).stdout;
    assert.match(help, /--team <name>\s+team the token belongs to \(local mode; remotely, the\s+calling token's team\)/);
    assert.match(help, /--abilities <list>\s+comma-separated:[^-]*\(required\)\n\s+--name/);
    assert.doesNotMatch(help, /--name <name>[^\n]*\(required\)/);
    assert.match(help, /"expires_at"/);
    assert.match(help, /default: cli-<today>/);
    assert.match(keyhold(['regions', 'create', '--help'], {}).stdout, /--id <n>\s+region id \(required\)/);
  });

  it('has no hidden --debug option', () => {
    const r = keyhold(['--debug', 'teams', 'list'], {});
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /unknown option '--debug'/);
  });
});

describe('CLI changes', () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    tdb = await freshDatabase();
    env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
  });
  after(() => tdb.drop());

  it('names a token cli-<date> by default, and audits teams, projects, regions and tokens with actor cli', () => {
    assert.equal(keyhold(['teams', 'create', 'acme'], env).status, 0);
    const issued = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'read', '--json'], env).stdout);
    const [listed] = JSON.parse(keyhold(['tokens', 'list', '--json'], env).stdout);
    assert.equal(listed.name, `cli-${new Date().toISOString().slice(0, 10)}`);
    assert.equal(keyhold(['tokens', 'revoke', String(issued.id)], env).status, 0);
    assert.equal(keyhold(['projects', 'create', '--team', 'acme', '--id', '7'], env).status, 0);
    assert.equal(keyhold(['regions', 'create', '--id', '9', '--name', 'nine'], env).status, 0);

    const r = keyhold(['audit', '--json'], env);
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout).events.map((e: Record<string, unknown>) => [e.team, e.actor, e.action, `${String(e.resource_type)}:${String(e.resource_id)}`, (e.changed_fields as string[]).join(',')]);
    assert.deepEqual(rows, [
      [null, 'cli', 'region.create', 'region:9', 'name'],
      ['acme', 'cli', 'project.create', 'project:7', 'name'],
      ['acme', 'cli', 'token.revoke', `token:${issued.id}`, 'revoked_at'],
      ['acme', 'cli', 'token.create', `token:${issued.id}`, 'name,abilities,expires_at'],
      ['acme', 'cli', 'team.create', 'team:1', 'name'],
    ]);
    // Team rows belong to the team: they are what its root tokens see at GET /v1/audit.
    assert.equal(JSON.parse(keyhold(['audit', '--team', 'acme', '--json'], env).stdout).events.length, 4);
  });

  it('KEYHOLD_DEBUG=true adds the stack trace of an unexpected error, and only then', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-debug-'));
    try {
      const bad = path.join(dir, 'bad.key');
      fs.writeFileSync(bad, 'not a key\n', { mode: 0o600 });
      const e = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY_FILE: bad };
      const plain = keyhold(['teams', 'list'], e);
      assert.equal(plain.status, 1);
      assert.match(plain.stderr, /must hold the base64 encoding of exactly 32 bytes/);
      assert.doesNotMatch(plain.stderr, /^\s+at /m);
      const debug = keyhold(['teams', 'list'], { ...e, KEYHOLD_DEBUG: 'true' });
      assert.equal(debug.status, 1);
      assert.match(debug.stderr, /^\s+at /m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
