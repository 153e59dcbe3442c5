import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { keyhold, keyholdAsync, serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest } from '../helpers/db.js';
import { sshKeygenMany } from '../helpers/keys.js';

describe('keyhold backup and restore', () => {
  it('point PostgreSQL users to pg_dump, without connecting', () => {
    for (const verb of ['backup', 'restore']) {
      const r = keyhold([verb, '/tmp/never-written.db'], { KEYHOLD_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x', KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') });
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`^keyhold: keyhold ${verb} works on the SQLite database; on PostgreSQL use pg_dump`));
    }
  });
});

// The rest is about the SQLite file itself, so it runs once, in the SQLite pass of the suite.
describe('keyhold backup and restore (SQLite)', { skip: dialectUnderTest !== 'sqlite' && 'SQLite only' }, () => {
  let dir: string;
  let env: Record<string, string>;
  let srv: ServeProcess | undefined;
  let token: string;
  const texts = sshKeygenMany(12);

  const post = (name: string, text: string) =>
    fetch(`${srv!.url}/api/v1/security/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, private_key: text }),
    });
  const readAll = async () => {
    const res = await fetch(`${srv!.url}/api/v1/security/keys`, { headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as Array<{ name: string; private_key: string }>).map((k) => [k.name, k.private_key.trim()]).sort();
  };
  const stop = async () => {
    srv!.child.kill('SIGTERM');
    await srv!.exited;
    srv = undefined;
  };
  const files = () => fs.readdirSync(dir).sort();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-backup-'));
    fs.writeFileSync(path.join(dir, 'master.key'), randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    env = { KEYHOLD_DATABASE_URL: path.join(dir, 'keyhold.db'), KEYHOLD_MASTER_KEY_FILE: path.join(dir, 'master.key') };
    keyhold(['teams', 'create', 'acme'], env);
    token = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'root', '--json'], env).stdout).token;
    srv = await serve(env);
    for (const [i, text] of texts.slice(0, 6).entries()) assert.equal((await post(`k${i}`, text)).status, 201);
  });
  after(async () => {
    if (srv) await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies the live database while the server keeps writing, into a checked 0600 file with no plaintext', async () => {
    const writes = (async () => {
      for (const [i, text] of texts.slice(6, 9).entries()) assert.equal((await post(`w${i}`, text)).status, 201);
    })();
    const r = await keyholdAsync(['backup', path.join(dir, 'first.db'), '--json'], env);
    await writes;
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.ok(summary.private_keys >= 6 && summary.private_keys <= 9, `a consistent snapshot: ${summary.private_keys}`);
    assert.deepEqual([summary.key_versions, summary.teams, summary.tokens, summary.migrations], [1, 1, 1, ['001-initial', '002-caas', '003-console', '004-lifecycle', '005-rate-limits', '006-audit-newest-first', '007-webhook-scheduling', '008-retention', '009-ssh-signing', '010-ssh-ca', '011-audit-chain', '012-usage', '013-webhook-secret-rotation']]);
    assert.match(r.stderr, /useless without the master key \(.*master\.key\)/);
    const backup = path.join(dir, 'first.db');
    assert.equal(fs.statSync(backup).mode & 0o777, 0o600);
    const bytes = fs.readFileSync(backup);
    for (const text of texts) assert.ok(!bytes.includes(Buffer.from(text.split('\n')[2]!)), 'no key text in the backup');
    assert.ok(!files().some((f) => f.startsWith('.') || f.startsWith('first.db-')), `no temporary or WAL files: ${files().join(', ')}`);

    // A second backup, taken once the writes are done, holds all nine.
    const second = keyhold(['backup', path.join(dir, 'second.db')], env);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /^backed up .*keyhold\.db to .*second\.db: 9 private key\(s\) under 1 key version\(s\), 0 CaaS key\(s\), 1 team\(s\), 1 token\(s\); \d+ KiB\n$/);
    const again = keyhold(['backup', path.join(dir, 'second.db')], env);
    assert.deepEqual([again.status, again.stderr], [1, `keyhold: ${path.join(dir, 'second.db')} already exists (use --force to replace it)\n`]);
    assert.equal(keyhold(['backup', path.join(dir, 'second.db'), '--force'], env).status, 0);
  });

  it('restore refuses while a server has the database open, and a backup the master key cannot open', async () => {
    const busy = keyhold(['restore', path.join(dir, 'second.db')], env);
    assert.equal(busy.status, 1);
    assert.match(busy.stderr, /is in use by another process: stop every keyhold server using it, then restore\n$/);

    await stop();
    const before = fs.readFileSync(env.KEYHOLD_DATABASE_URL!);
    const wrongKey = keyhold(['restore', path.join(dir, 'second.db')], { KEYHOLD_DATABASE_URL: env.KEYHOLD_DATABASE_URL!, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') });
    assert.equal(wrongKey.status, 1);
    assert.match(wrongKey.stderr, /the configured master key does not open .*second\.db: it was written with a different master key/);
    fs.writeFileSync(path.join(dir, 'garbage.db'), 'not a database at all, just some text that is long enough');
    assert.match(keyhold(['restore', path.join(dir, 'garbage.db')], env).stderr, /garbage\.db is not a SQLite database/);
    assert.match(keyhold(['restore', path.join(dir, 'missing.db')], env).stderr, /missing\.db does not exist/);
    const nonKeyhold = path.join(dir, 'other.db');
    fs.copyFileSync(path.join(dir, 'second.db'), nonKeyhold);
    const { default: SQLite } = await import('better-sqlite3');
    const o = new SQLite(nonKeyhold);
    o.exec('drop table private_keys');
    o.close();
    assert.match(keyhold(['restore', nonKeyhold], env).stderr, /other\.db is not a keyhold database \(no private_keys table\)/);
    assert.deepEqual(fs.readFileSync(env.KEYHOLD_DATABASE_URL!), before, 'the database was not touched');
    assert.ok(!files().some((f) => f.startsWith('.')), `no temporary files: ${files().join(', ')}`);
  });

  it('restore puts back exactly what was backed up and keeps the database it replaced', async () => {
    keyhold(['teams', 'create', 'after-backup'], env);
    const r = keyhold(['restore', path.join(dir, 'first.db'), '--json'], env);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.previous, /keyhold\.db\.before-restore-\d{4}-\d\d-\d\dT/);
    assert.ok(fs.existsSync(out.previous));
    srv = await serve(env);
    const keys = await readAll();
    assert.equal(keys.length, out.private_keys);
    const all = new Map(texts.map((t, i) => [i < 6 ? `k${i}` : `w${i - 6}`, t.trim()]));
    for (const [name, text] of keys) assert.equal(text, all.get(name!), `${name} comes back byte for byte`);
    assert.doesNotMatch(keyhold(['teams', 'list'], env).stdout, /after-backup/);
    assert.equal(fs.statSync(env.KEYHOLD_DATABASE_URL!).mode & 0o777, 0o600);
  });
});
