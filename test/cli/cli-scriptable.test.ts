// Issue 21's CLI defects (3, 10, 12, exit codes, help), each through the real CLI on a real store.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ABILITIES } from '../../src/domain/types.js';
import { createRuntime } from '../../src/runtime.js';
import { keyhold } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/server.js';

describe(`the CLI is scriptable (${dialectUnderTest})`, () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  const key = ['--team', 'acme', '--project', '1', '--region', '1', '--name', 'svc'];
  before(async () => {
    tdb = await freshDatabase();
    env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
    // Made through the services, so that each test below stands on its own command.
    const rt = await createRuntime(testConfig(tdb.config, { masterKey: { kind: 'env', value: env.KEYHOLD_MASTER_KEY! } }), { serving: false });
    try {
      await rt.services.teams.create('acme');
      await rt.services.projects.createProject({ team: 'acme', id: 1 });
      const actor = { teamId: 1, tokenId: null, label: 'test', ip: null, requestId: null };
      await rt.services.caasKeys.create(actor, 1, 1, { name: 'svc', description: '', containers: [{ name: 'web', namespace: 'default' }], expire: null, isDisabled: false });
    } finally {
      await rt.close();
    }
  });
  after(() => tdb.drop());

  it('api-keys reroll prints the secret alone on stdout, keeps the old one an hour by default (as the console), prose on stderr', () => {
    const r = keyhold(['api-keys', 'reroll', ...key], env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^khk_\S+\n$/);
    const until = /the old secret keeps verifying until (\S+)/.exec(r.stderr)?.[1];
    assert.ok(until, r.stderr);
    assert.ok(Math.abs(Date.parse(until) - Date.now() - 3600_000) < 120_000, 'one hour of grace');
    const none = keyhold(['api-keys', 'reroll', ...key, '--grace', '0'], env);
    assert.match(none.stderr, /the old secret no longer verifies/);
    assert.match(keyhold(['api-keys', 'reroll', '--help'], {}).stdout, /default 1h, as in the console/);
  });

  it("--json uses the API's field names (secret_prefix, not secret_start)", () => {
    const [k] = JSON.parse(keyhold(['api-keys', 'list', '--team', 'acme', '--json'], env).stdout) as Array<Record<string, unknown>>;
    assert.ok(k);
    assert.match(String(k.secret_prefix), /^khk_/);
    assert.equal(k.secret_start, undefined);
    for (const field of ['project_id', 'region_id', 'name', 'description', 'containers', 'expire', 'is_disabled', 'status', 'created_at', 'last_used_at', 'rotating_until']) assert.ok(field in k, field);
    const rerolled = JSON.parse(keyhold(['api-keys', 'reroll', ...key, '--json'], env).stdout) as Record<string, unknown>;
    assert.match(String(rerolled.secret), /^khk_/);
    assert.equal(rerolled.secret_prefix, String(rerolled.secret).slice(0, String(rerolled.secret_prefix).length));
  });

  it('api-keys list for a missing project exits 1 and says so', () => {
    const r = keyhold(['api-keys', 'list', '--team', 'acme', '--project', '99'], env);
    assert.deepEqual([r.status, r.stdout, r.stderr], [1, '', 'keyhold: no project 99 in team acme (keyhold projects list shows them)\n']);
  });

  it('--abilities help lists every ability of the domain, admin, sign, certify and verify:all included', () => {
    const help = keyhold(['tokens', 'create', '--help'], {}).stdout.replace(/\s+/g, ' ');
    assert.match(help, new RegExp(`comma-separated: ${ABILITIES.join(', ')}`));
    for (const a of ['admin', 'sign', 'certify', 'verify:all']) assert.ok(ABILITIES.includes(a as never) && help.includes(a), a);
  });

  it('backup creates a missing directory (0700) and says so', () => {
    if (dialectUnderTest !== 'sqlite') return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-bk-'));
    try {
      const file = path.join(dir, 'backups', `keyhold-${new Date().toISOString().slice(0, 10)}.db`);
      const r = keyhold(['backup', file], env);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(fs.existsSync(file));
      assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
      assert.match(r.stderr, new RegExp(`created the directory ${path.dirname(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(0700\\)`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI settings, usage mistakes and help', () => {
  it('every boolean setting takes 1/0, yes/no, on/off, true/false; a wrong one says what is accepted', () => {
    // `migrate` on a fresh SQLite file in a temp directory: it reads the whole configuration.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-bool-'));
    try {
      for (const v of ['1', 'yes', 'on', 'TRUE', '0', 'no', 'off', 'false']) {
        const r = keyhold(['migrate'], { KEYHOLD_DATA_DIR: dir, KEYHOLD_WEBHOOK_ALLOW_PRIVATE: v, KEYHOLD_AUDIT_FILE_FAIL_CLOSED: v });
        assert.equal(r.status, 0, `${v}: ${r.stderr}`);
      }
      const bad = keyhold(['migrate'], { KEYHOLD_DATA_DIR: dir, KEYHOLD_WEBHOOK_ALLOW_PRIVATE: 'sure' });
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /KEYHOLD_WEBHOOK_ALLOW_PRIVATE must be true or false \(also 1\/0, yes\/no, on\/off\) \(got "sure"\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serve --port names KEYHOLD_PORT, as a usage mistake (exit 2)', () => {
    const r = keyhold(['serve', '--port', '8080'], {});
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown option '--port'\nkeyhold takes its settings from the environment: KEYHOLD_PORT=/);
    assert.match(keyhold(['serve', '--help'], {}).stdout, /KEYHOLD_PORT=8080/);
  });

  it('exit codes: 0 done (help, version), 1 an error, 2 a usage mistake', () => {
    assert.equal(keyhold(['--help'], {}).status, 0);
    assert.equal(keyhold(['--version'], {}).status, 0);
    assert.equal(keyhold(['no-such-command'], {}).status, 2);
    assert.equal(keyhold(['tokens', 'create'], {}).status, 2, 'a required option missing');
    assert.equal(keyhold(['api-keys', 'list', '--bogus'], {}).status, 2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-exit-'));
    try {
      assert.equal(keyhold(['teams', 'list'], {}, dir).status, 1, 'no store here: an error');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keyhold --help groups the commands by resource', () => {
    const help = keyhold(['--help'], {}).stdout;
    const headings = [...help.matchAll(/^(\S[^\n]*):$/gm)].map((m) => m[1]);
    assert.deepEqual(headings, ['Options', 'Keys', 'Teams and access', 'Projects and regions', 'Webhooks and audit', 'SSH certificates and agent (remote)', 'Operators (on the host: database and master key)', 'Commands']);
    assert.match(help, /Commands:\n\s+help \[command\][^\n]*\n$/, 'only help is left ungrouped');
    assert.match(help, /Keys:\n\s+api-keys[^\n]*\n(?:[^\n]*\n)*?\s+ssh-keys/);
    assert.match(help, /Operators[^\n]*\n\s+serve/);
  });
});
