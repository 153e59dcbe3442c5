import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { keyhold } from '../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';

const noStack = (text: string) => assert.doesNotMatch(text, /^\s+at /m, 'no stack trace');

describe('keyhold CLI', () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    tdb = await freshDatabase();
    env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
  });
  after(() => tdb.drop());

  it('creates and lists teams; a duplicate is a clear error', () => {
    const a = keyhold(['teams', 'create', 'acme', '--json'], env);
    assert.equal(a.status, 0, a.stderr);
    assert.deepEqual(Object.keys(JSON.parse(a.stdout)), ['id', 'name', 'created_at'], "the API's team");
    const dup = keyhold(['teams', 'create', 'acme'], env);
    assert.equal(dup.status, 1);
    assert.equal(dup.stderr.trim(), 'keyhold: team acme already exists');
    noStack(dup.stderr);
    const bad = keyhold(['teams', 'create', 'no spaces please'], env);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /team name/);
    const list = keyhold(['teams', 'list'], env);
    assert.match(list.stdout, /^ID\s+NAME\s+CREATED\n1\s+acme\s+\d{4}-/);
  });

  it('issues a token once, lists it without its secret, and revokes it', () => {
    keyhold(['teams', 'create', 'tok'], env);
    const c = keyhold(['tokens', 'create', '--team', 'tok', '--abilities', 'read,read:sensitive', '--name', 'ci', '--expires-in', '30d', '--json'], env);
    assert.equal(c.status, 0, c.stderr);
    const issued = JSON.parse(c.stdout);
    // The API's token (POST /v1/tokens's answer), plus its team.
    assert.deepEqual(Object.keys(issued), ['id', 'name', 'abilities', 'state', 'created_at', 'expires_at', 'revoked_at', 'last_used_at', 'private_keys', 'ssh_roles', 'token', 'team']);
    assert.match(issued.token, new RegExp(`^${issued.id}\\|[A-Za-z0-9]{40}[0-9a-f]{8}$`));
    assert.deepEqual([issued.team, issued.abilities], ['tok', ['read', 'read:sensitive']]);
    assert.ok(Date.parse(issued.expires_at) > Date.now() + 29 * 86400e3);

    const plain = keyhold(['tokens', 'create', '--team', 'tok', '--abilities', 'root'], env);
    assert.match(plain.stdout.trim(), /^\d+\|[A-Za-z0-9]{48}$/);
    assert.match(plain.stderr, /cannot be shown again/);

    const list = keyhold(['tokens', 'list', '--team', 'tok', '--json'], env);
    assert.ok(!list.stdout.includes(issued.token.split('|')[1]), 'list never shows a secret');
    const rows = JSON.parse(list.stdout);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].state, 'active');

    assert.equal(keyhold(['tokens', 'revoke', String(issued.id)], env).status, 0);
    const again = keyhold(['tokens', 'revoke', String(issued.id)], env);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already revoked/);
    assert.match(keyhold(['tokens', 'revoke', '99999'], env).stderr, /no token with id 99999/);
    assert.match(keyhold(['tokens', 'revoke', 'abc'], env).stderr, /must be a number/);
    assert.equal(JSON.parse(keyhold(['tokens', 'list', '--team', 'tok', '--json'], env).stdout)[0].state, 'revoked');
  });

  it('refuses bad token options with one clear line each', () => {
    const unknownTeam = keyhold(['tokens', 'create', '--team', 'ghost', '--abilities', 'read'], env);
    assert.equal(unknownTeam.status, 1);
    assert.match(unknownTeam.stderr, /no team named "ghost"/);
    const badAbility = keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'read,superuser'], env);
    assert.match(badAbility.stderr, /unknown abilities: superuser/);
    const badDuration = keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'read', '--expires-in', 'soon'], env);
    assert.match(badDuration.stderr, /invalid duration "soon"/);
    const missing = keyhold(['tokens', 'create', '--abilities', 'read'], env);
    assert.notEqual(missing.status, 0);
    assert.equal(missing.status, 2, 'a usage mistake');
    assert.match(missing.stderr, /--team <name> is needed on the local store \(teams: /);
    for (const r of [unknownTeam, badAbility, badDuration, missing]) noStack(r.stderr);
  });

  it('stops on bad configuration with a list of every problem', () => {
    const r = keyhold(['teams', 'list'], { ...env, KEYHOLD_PORT: 'eighty', KEYHOLD_LOG_LEVEL: 'loud', KEYHOLD_MASTER_KEY: 'c2hvcnQ=' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /KEYHOLD_PORT must be an integer/);
    assert.match(r.stderr, /KEYHOLD_LOG_LEVEL must be one of/);
    assert.match(r.stderr, /KEYHOLD_MASTER_KEY must be the base64 encoding of exactly 32 bytes/);
    noStack(r.stderr);
  });

  it('migrate reports what it applied', async () => {
    const fresh = await freshDatabase();
    try {
      const e = { ...env, KEYHOLD_DATABASE_URL: fresh.url };
      const m = keyhold(['migrate'], e);
      assert.match(m.stdout, /applied: 001-initial/, m.stderr);
      assert.equal(keyhold(['migrate'], e).stdout.trim(), 'database is up to date');
    } finally {
      await fresh.drop();
    }
  });
});

describe('master key handling', () => {
  it('generates ./data/master.key (0600) with a warning, then refuses a different key at start', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-cwd-'));
    try {
      const first = keyhold(['teams', 'create', 'acme'], {}, cwd);
      assert.equal(first.status, 0, first.stderr);
      const keyFile = path.join(cwd, 'data', 'master.key');
      assert.match(first.stderr, /WARNING: no master key was configured/);
      assert.ok(first.stderr.includes(keyFile));
      assert.match(first.stderr, /losing it loses every private key/);
      assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
      assert.equal(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64').length, 32);
      assert.ok(fs.existsSync(path.join(cwd, 'data', 'keyhold.db')));

      const second = keyhold(['teams', 'list'], {}, cwd);
      assert.equal(second.status, 0);
      assert.doesNotMatch(second.stderr, /WARNING/);

      // A reading command decrypts nothing: it runs, and warns (issue 21, 11: the old key after a rewrap).
      const other = { KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
      const read = keyhold(['teams', 'list'], other, cwd);
      assert.equal(read.status, 0, read.stderr);
      assert.match(read.stderr, /^keyhold: warning: the master key does not match this database/);
      const wrong = keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'read'], other, cwd);
      assert.equal(wrong.status, 1);
      assert.equal(wrong.stdout, '');
      assert.match(wrong.stderr, /the master key does not match this database/);
      noStack(wrong.stderr);

      const viaFile = keyhold(['teams', 'list'], { KEYHOLD_MASTER_KEY_FILE: keyFile }, cwd);
      assert.equal(viaFile.status, 0, viaFile.stderr);
      const missingFile = keyhold(['teams', 'list'], { KEYHOLD_MASTER_KEY_FILE: path.join(cwd, 'nope.key') }, cwd);
      assert.match(missingFile.stderr, /does not exist/);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
