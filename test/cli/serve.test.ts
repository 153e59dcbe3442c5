import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { keyhold, keyholdAsync, serve } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase } from '../helpers/db.js';
import { SPEC_ED25519 } from '../helpers/keys.js';

describe(`keyhold serve (${dialectUnderTest})`, () => {
  it('migrates safely when several processes start at once', async () => {
    const tdb = await freshDatabase();
    try {
      const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
      const runs = await Promise.all([1, 2, 3, 4].map((n) => keyholdAsync(['teams', 'create', `t${n}`], env)));
      for (const r of runs) assert.equal(r.status, 0, r.stderr);
      assert.equal(keyhold(['migrate'], env).stdout.trim(), 'database is up to date');
    } finally {
      await tdb.drop();
    }
  });

  it('serves the first curl call of the README and shuts down gracefully on SIGTERM', async () => {
    const tdb = await freshDatabase();
    try {
      const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
      keyhold(['teams', 'create', 'acme'], env);
      const token = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'root', '--json'], env).stdout).token;
      const srv = await serve(env);
      const auth = { authorization: `Bearer ${token}` };
      const health = await fetch(`${srv.url}/api/health`);
      assert.equal(await health.text(), 'OK');
      const created = await fetch(`${srv.url}/api/v1/security/keys`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'deploy', private_key: SPEC_ED25519 }),
      });
      assert.equal(created.status, 201);
      const list = (await (await fetch(`${srv.url}/api/v1/security/keys`, { headers: auth })).json()) as Array<{ name: string }>;
      assert.deepEqual(list.map((k) => k.name), ['deploy']);
      // A slow client keeps a request in flight while SIGTERM arrives; it must still get its answer.
      const inflight = fetch(`${srv.url}/api/v1/security/keys`, { headers: auth }).then((r) => r.status);
      srv.child.kill('SIGTERM');
      assert.equal(await srv.exited, 0, srv.stderr());
      assert.equal(await inflight, 200);
      assert.ok(!srv.stderr().includes(token.split('|')[1]), 'token not logged');
    } finally {
      await tdb.drop();
    }
  });

  it('refuses to start on a port that is taken, with a clear message', async () => {
    const tdb = await freshDatabase();
    try {
      const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
      const first = await serve(env);
      const port = new URL(first.url).port;
      const second = keyhold(['serve'], { ...env, KEYHOLD_PORT: port });
      assert.equal(second.status, 1);
      assert.match(second.stderr, /EADDRINUSE|address already in use/);
      first.child.kill('SIGTERM');
      await first.exited;
    } finally {
      await tdb.drop();
    }
  });
});
