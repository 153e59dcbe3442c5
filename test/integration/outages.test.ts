import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { dialectUnderTest, freshDatabase, TEST_PG_URL, type TestDatabase } from '../helpers/db.js';
import { CLI_ARGS, serve } from '../helpers/cli.js';
import { sshKeygenMany } from '../helpers/keys.js';
import { startTestServer, type TestResponse, type TestServer } from '../helpers/server.js';
import { createMetrics } from '../../src/metrics.js';
import { eventually, TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * The database going away while keyhold serves: every surface answers its own 503 (never a 500,
 * never a crash), /readyz says so, cached verifications keep answering, and writes resume by
 * themselves when the database is back, with nothing acknowledged lost.
 */

const isRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };
// CI's Node 22 and 24 lanes run a Node and a checkout under /root and a 0700 temporary directory, which
// nobody cannot reach: there the test is skipped (the lane on the machine's Node runs it).
const nobodyCanRun = isRoot && spawnSync(process.execPath, [...CLI_ARGS, '--version'], { ...NOBODY, timeout: 30_000 }).status === 0;

/** Distinct private keys, so no write is refused as a duplicate. */
const KEYS = sshKeygenMany(24);

/** One write per surface, each answered in its own format. */
async function writeEverySurface(s: TestServer, token: string, n: number) {
  const coolify = await s.request('POST', '/api/v1/security/keys', { token, body: { name: `k${n}`, private_key: KEYS[n % KEYS.length] } });
  const gcore = await s.request('POST', '/cloud/v1/caas/keys/1/1', { headers: { authorization: `APIKey ${token}` }, body: { name: `gk${n}`, containers: [] } });
  const native = await s.request('POST', '/v1/projects', { token, body: { name: `p${n}` } });
  return { coolify, gcore, native };
}

function assertUnavailable(w: Awaited<ReturnType<typeof writeEverySurface>>): void {
  assert.deepEqual([w.coolify.status, w.coolify.json()], [503, { message: 'Service Unavailable' }]);
  assert.equal(w.gcore.status, 503);
  assert.deepEqual([w.gcore.json().exception_class, w.gcore.json().message], ['ServiceUnavailableError', 'the database is unavailable; try again shortly']);
  assert.equal(w.native.status, 503);
  assert.equal(w.native.json().error.code, 'unavailable');
}

describe('SQLite: a full disk', { skip: dialectUnderTest !== 'sqlite' || !isRoot ? 'needs SQLite and root (mounts a small tmpfs)' : false }, () => {
  const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-full-'));
  after(() => {
    try {
      execFileSync('umount', [mount]);
    } catch {
      // not mounted
    }
    fs.rmSync(mount, { recursive: true, force: true });
  });

  it('answers 503 on every surface with one log line naming the file, corrupts nothing, and writes resume once space is freed', async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mount]);
    const file = path.join(mount, 'keyhold.db');
    const database: TestDatabase = { config: { kind: 'sqlite', file }, url: file, file, drop: async () => {} };
    const metrics = createMetrics();
    const s = await startTestServer({ database, metrics });
    try {
      const token = await s.token('root');
      await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
      const before = await writeEverySurface(s, token, 0);
      assert.deepEqual([before.coolify.status, before.gcore.status, before.native.status], [201, 200, 201]);
      // Fill the disk to the last byte.
      const filler = path.join(mount, 'filler');
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (err) {
        assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
      }
      try {
        for (;;) fs.writeSync(fd, Buffer.alloc(512, 1));
      } catch {
        // full
      }
      fs.closeSync(fd);
      // A small write may still fit in a page SQLite had already: on each surface, go on until one does not.
      const until503 = async (write: (n: number) => Promise<TestResponse>) => {
        for (let n = 1; n < 20; n++) {
          const r = await write(n);
          assert.ok([200, 201, 503].includes(r.status), `${r.status} ${r.text}`);
          if (r.status === 503) return r;
        }
        assert.fail('no write was refused on a full disk');
      };
      assertUnavailable({
        coolify: await until503((n) => s.request('POST', '/api/v1/security/keys', { token, body: { name: `k${n}`, private_key: KEYS[n] } })),
        gcore: await until503((n) => s.request('POST', '/cloud/v1/caas/keys/1/1', { headers: { authorization: `APIKey ${token}` }, body: { name: `gk${n}`, containers: [] } })),
        native: await until503((n) => s.request('POST', '/v1/projects', { token, body: { name: `p${n}` } })),
      });
      assert.equal((await s.request('GET', '/api/v1/security/keys', { token })).status, 200, 'reads go on');
      // More refusals while it lasts: each is counted, none is logged again.
      for (let n = 30; n < 40; n++) assert.equal((await s.request('POST', '/v1/projects', { token, body: { name: `more${n}` } })).status, 503);
      const logged = s.logs.filter((l) => l.includes('database unavailable'));
      assert.equal(logged.length, 1, `one warning for the whole outage, not one per request: ${logged.length}`);
      assert.match(logged[0]!, new RegExp(`disk holding the SQLite database at ${file.replace(/[/.]/g, '\\$&')} is full`));
      assert.equal(JSON.parse(logged[0]!).level, 40, 'a warning');
      assert.ok(s.logs.filter((l) => l.includes('"stack"')).length <= 1, 'at most the one stack of the warning');
      assert.ok(!s.logs.some((l) => l.includes('"statusCode":500') || l.includes('unexpected error')), 'no 500');
      const refused = (await metrics.registry.getSingleMetric('keyhold_database_unavailable_total')!.get()).values[0]!.value;
      assert.ok(refused >= 13, `every refused operation is counted (${refused})`);

      fs.rmSync(filler);
      assert.ok(await eventually(async () => (await s.request('GET', '/readyz')).status === 200, 5000), 'ready again');
      assert.ok(await eventually(async () => s.logs.some((l) => l.includes('database available again after')), 5000), 'one line when it ends');
      const resumed = await writeEverySurface(s, token, 23);
      assert.deepEqual([resumed.coolify.status, resumed.gcore.status, resumed.native.status], [201, 200, 201]);
    } finally {
      await s.close();
    }
    const check = new SQLite(file, { readonly: true });
    try {
      assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
      assert.ok((check.prepare('select count(*) as n from private_keys').get() as { n: number }).n >= 2);
    } finally {
      check.close();
    }
  });
});

describe('SQLite: a database keyhold cannot write', {
  skip: dialectUnderTest !== 'sqlite' || !nobodyCanRun ? 'needs SQLite, root, and a Node and checkout that nobody can run (the server runs as nobody)' : false,
}, () => {
  it('keyhold serve refuses to start, naming the file and the fix; once the file is writable it starts and writes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-ro-'));
    const file = path.join(dir, 'keyhold.db');
    const masterKey = Buffer.alloc(32, 3).toString('base64');
    try {
      // Made by root, then handed to a server running as another user that may create files beside it but not write it.
      const owner = await serve({ KEYHOLD_DATABASE_URL: file, KEYHOLD_MASTER_KEY: masterKey });
      owner.child.kill('SIGTERM');
      assert.equal(await owner.exited, 0, owner.stderr());
      // Everything in the file itself (no WAL left to remove below), whatever the shutdown managed.
      const db = new SQLite(file);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      fs.chmodSync(file, 0o644);
      for (const f of fs.readdirSync(dir)) if (f !== 'keyhold.db') fs.rmSync(path.join(dir, f));
      fs.chmodSync(dir, 0o777);
      const refused = await serve({ KEYHOLD_DATABASE_URL: file, KEYHOLD_MASTER_KEY: masterKey, KEYHOLD_LOG_LEVEL: 'error' }, undefined, NOBODY).then(
        (server) => {
          server.child.kill('SIGKILL');
          assert.fail('a server started on a store it cannot write');
        },
        (err: Error) => err.message,
      );
      assert.match(refused, /exited with 1/);
      assert.ok(refused.includes(`the SQLite store at ${file} cannot be written (SQLITE_READONLY`), refused);
      assert.match(refused, /writable by the user keyhold runs as/);
      assert.ok(!/\n\s+at /.test(refused), 'a message, not a stack trace');

      fs.chownSync(file, NOBODY.uid, NOBODY.gid);
      const server = await serve({ KEYHOLD_DATABASE_URL: file, KEYHOLD_MASTER_KEY: masterKey, KEYHOLD_LOG_LEVEL: 'error' }, undefined, NOBODY);
      try {
        const ready = await fetch(`${server.url}/readyz`);
        assert.equal(ready.status, 200);
        const setupWrite = await fetch(`${server.url}/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":"x","team":"t"}' });
        assert.equal(setupWrite.status, 403, 'a write reaches the store (and the wrong code is refused)');
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL unreachable during writes', { skip: dialectUnderTest !== 'postgres' ? 'needs PostgreSQL' : false }, () => {
  it('answers 503 on every surface, keeps verifying cached keys, and resumes by itself; nothing acknowledged is lost', async () => {
    const target = new URL(TEST_PG_URL);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const tdb = await freshDatabase();
    const viaProxy = new URL(tdb.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const s = await startTestServer({ database: { ...tdb, config: { kind: 'postgres', url: viaProxy.toString(), poolMax: 5 }, url: viaProxy.toString() } });
    try {
      const token = await s.token('root');
      const verifier = await s.token('verify');
      await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
      const key = (await s.request('POST', '/cloud/v1/caas/keys/1/1', { headers: { authorization: `APIKey ${token}` }, body: { name: 'cached', containers: [{ name: 'web', namespace: 'default' }] } })).json();
      const verify = async () => {
        const r = await s.request('POST', '/v1/keys/verify', { token: verifier, body: { key: key.secret, container: { name: 'web' } } });
        return r.status === 200 ? r.json().code : r.text;
      };
      assert.equal(await verify(), 'VALID'); // now cached, with the gateway's token

      // Writes racing the outage: whatever was acknowledged must survive it.
      const acknowledged: string[] = [];
      const racing = Array.from({ length: 20 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 10));
        const r = await s.request('POST', '/v1/projects', { token, body: { name: `race-${i}` } });
        if (r.status === 201) acknowledged.push(r.json().name);
        else assert.equal(r.status, 503, r.text);
      });
      await new Promise((r) => setTimeout(r, 60));
      await proxy.stop();
      await Promise.all(racing);

      assertUnavailable(await writeEverySurface(s, token, 1));
      assert.equal(await verify(), 'VALID', 'a cached key still verifies during the outage');
      assert.equal((await s.request('GET', '/readyz')).status, 503);
      assert.ok(!s.logs.some((l) => l.includes('"level":50') && l.includes('unexpected error')), 'no unexpected errors');

      await proxy.start();
      assert.ok(await eventually(async () => (await s.request('GET', '/readyz')).status === 200, 10_000), 'ready again');
      const resumed = await writeEverySurface(s, token, 2);
      assert.deepEqual([resumed.coolify.status, resumed.gcore.status, resumed.native.status], [201, 200, 201]);
      const names = new Set(((await s.request('GET', '/v1/projects', { token })).json() as Array<{ name: string }>).map((p) => p.name));
      for (const n of acknowledged) assert.ok(names.has(n), `acknowledged ${n} survived`);
    } finally {
      await s.close();
      await proxy.stop();
      await tdb.drop();
    }
  });
});
