import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_ARGS, ROOT, keyhold, serve, type ServeProcess } from '../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { sshKeygenMany } from '../helpers/keys.js';

const KEYS = 40;

describe('keyhold master-key', () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  let srv: ServeProcess;
  let token: string;
  const original = new Map<string, string>();

  const readAll = async () => {
    const res = await fetch(`${srv.url}/api/v1/security/keys`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    return new Map(((await res.json()) as Array<{ uuid: string; private_key: string }>).map((k) => [k.uuid, k.private_key]));
  };
  const status = () => {
    const r = keyhold(['master-key', 'status', '--json'], env);
    assert.equal(r.status, 0, r.stderr);
    return Object.fromEntries((JSON.parse(r.stdout).versions as Array<{ version: number; records: number }>).map((v) => [v.version, v.records]));
  };

  before(async () => {
    tdb = await freshDatabase();
    env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
    keyhold(['teams', 'create', 'acme'], env);
    token = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'root', '--json'], env).stdout).token;
    srv = await serve(env);
    for (const [i, text] of sshKeygenMany(KEYS).entries()) {
      const res = await fetch(`${srv.url}/api/v1/security/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `k${i}`, private_key: text }),
      });
      assert.equal(res.status, 201);
    }
    for (const [k, v] of await readAll()) original.set(k, v);
  });
  after(async () => {
    srv.child.kill('SIGTERM');
    await srv.exited;
    await tdb.drop();
  });

  it('status shows one version protecting every key on a new database', () => {
    const r = keyhold(['master-key', 'status'], env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^VERSION\\s+CREATED\\s+RECORDS\\s+ACTIVE\\n1\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\s+${KEYS}\\s+yes\\n$`));
  });

  it('rotate is interrupted by Ctrl-C after its batch, a re-run resumes, and the server serves every key throughout', async () => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEYHOLD_')));
    const child = spawn(process.execPath, [...CLI_ARGS, 'master-key', 'rotate', '--batch-size', '4', '--pause', '150'], { cwd: ROOT, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Interrupt once the first batch is reported (on a pipe: a line at the start, then at most once a second).
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/: [1-9]\d*\/\d+ \(/.test(stderr)) resolve();
      }),
    );
    // While it runs, a server that started before version 2 existed still returns every key intact.
    assert.deepEqual(await readAll(), original);
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /stopping after this batch/);
    assert.match(stderr, /interrupted: run `keyhold master-key rotate` again to finish/);
    assert.match(stdout, /^added key version 2\nre-encrypted: (\d+)\n/);
    const moved = Number(/re-encrypted: (\d+)/.exec(stdout)![1]);
    assert.ok(moved > 0 && moved < KEYS, `interrupted half-way (${moved} of ${KEYS})`);
    assert.deepEqual(status(), { 1: KEYS - moved, 2: moved });
    assert.deepEqual(await readAll(), original);

    const resumed = keyhold(['master-key', 'rotate', '--json'], env);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.deepEqual(JSON.parse(resumed.stdout), { version: 2, created: false, total: KEYS - moved, resealed: KEYS - moved, retried: 0, failed: [], remaining: 0, interrupted: false });
    assert.deepEqual(status(), { 1: 0, 2: KEYS });
    assert.deepEqual(await readAll(), original);

    // After a completed rotation, the next one adds a version; the server writes under it at once.
    const next = keyhold(['master-key', 'rotate'], env);
    assert.equal(next.status, 0, next.stderr);
    assert.match(next.stdout, new RegExp(`^added key version 3\\nre-encrypted: ${KEYS}\\n.*\\nfailed to decrypt \\(left untouched\\): 0\\nstill on older versions: 0\\n$`));
    // On a pipe the progress moves: its last line is the end, not the "0%" it used to stop at.
    assert.match(next.stderr, new RegExp(`re-encrypting to version 3: 0/${KEYS} \\(0%\\)\\n(.*\\n)*re-encrypting to version 3: ${KEYS}/${KEYS} \\(100%\\)\\n$`));
    const extra = sshKeygenMany(1)[0]!;
    const created = await fetch(`${srv.url}/api/v1/security/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'after', private_key: extra }),
    });
    assert.equal(created.status, 201);
    assert.deepEqual(status(), { 1: 0, 2: 0, 3: KEYS + 1 });
    const audit = JSON.parse(keyhold(['audit', '--resource', 'data_key:2', '--json'], env).stdout).events.map((e: { action: string }) => e.action);
    assert.deepEqual(audit, ['master_key.rotate_resume', 'master_key.rotate']);
  });

  it('draws a progress bar on a terminal', { skip: spawnSync('script', ['--version']).status !== 0 && 'script(1) is not installed' }, () => {
    const envArgs = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
    const r = spawnSync('script', ['-qec', `env ${envArgs} ${process.execPath} ${CLI_ARGS.join(' ')} master-key rotate --batch-size 10`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\r\[#{30}\] re-encrypting to version 4: 41\/41 \(100%\)/);
    assert.match(r.stdout, /\r\[\.{30}\] re-encrypting to version 4: 0\/41 \(0%\)/);
  });

  it('refuses bad options with one line', () => {
    for (const args of [['--batch-size', '0'], ['--batch-size', 'ten'], ['--pause', '-5']]) {
      const r = keyhold(['master-key', 'rotate', ...args], env);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, /^keyhold: --(batch-size|pause) must be a whole number from 1 to \d+ \(got .*\)\n$/);
    }
    assert.deepEqual(Object.keys(status()), ['1', '2', '3', '4'], 'nothing was started');
  });

  it('rewrap changes the master key itself: the old one stops opening the database, the new one serves every key', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-mk-'));
    try {
      const file = path.join(dir, 'new.key');
      const before = await readAll(); // the running server has now loaded every key version
      assert.equal(before.size, KEYS + 1);
      const r = keyhold(['master-key', 'rewrap', '--new-key-file', file, '--generate'], env);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `re-wrapped 4 key version(s) under the master key in ${file}\n`);
      assert.match(r.stderr, /restart every keyhold process/);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      // The server that is running keeps serving with the key versions it has loaded.
      assert.deepEqual(await readAll(), before);
      // With the old key still configured, what decrypts nothing runs (with a warning); what does is refused,
      // with advice that fits after a rewrap: the key to use is the one in --new-key-file.
      for (const args of [['master-key', 'status'], ['teams', 'list'], ['tokens', 'list', '--team', 'acme'], ['audit']]) {
        const old = keyhold(args, env);
        assert.equal(old.status, 0, `${args.join(' ')}: ${old.stderr}`);
        assert.match(old.stderr, /^keyhold: warning: the master key does not match this database: .*after `keyhold master-key rewrap`, the one in its --new-key-file/);
      }
      const decrypting = keyhold(['audit', 'verify'], env);
      assert.equal(decrypting.status, 1);
      assert.match(decrypting.stderr, /the master key does not match this database: .*after `keyhold master-key rewrap`, the one in its --new-key-file/);
      const next = { KEYHOLD_DATABASE_URL: env.KEYHOLD_DATABASE_URL!, KEYHOLD_MASTER_KEY_FILE: file };
      assert.match(keyhold(['master-key', 'rewrap', '--new-key-file', file, '--generate'], next).stderr, /already exists: --generate writes a new file and never replaces one/);
      assert.match(keyhold(['master-key', 'rewrap', '--new-key-file', file], next).stderr, /the new master key is the one already in use/);
      assert.match(keyhold(['master-key', 'rewrap', '--new-key-file', path.join(dir, 'missing.key')], next).stderr, /does not exist \(add --generate to create it\)/);
      srv.child.kill('SIGTERM');
      await srv.exited;
      srv = await serve(next);
      assert.deepEqual(await readAll(), before, 'every key, byte for byte, under the new master key');
      const rot = keyhold(['master-key', 'rotate', '--json'], next);
      assert.equal(rot.status, 0, rot.stderr);
      assert.deepEqual([JSON.parse(rot.stdout).version, JSON.parse(rot.stdout).remaining], [5, 0]);
      assert.deepEqual(await readAll(), before);
      const audit = JSON.parse(keyhold(['audit', '--resource', 'master_key:current', '--json'], next).stdout).events.map((e: { action: string }) => e.action);
      assert.deepEqual(audit, ['master_key.rewrap']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
