import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { keyhold, serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase } from '../helpers/db.js';

// Two keyhold processes on one PostgreSQL: a write through one reaches the other's cache via LISTEN/NOTIFY.
describe('two server processes on one PostgreSQL', { skip: dialectUnderTest !== 'postgres' && 'PostgreSQL only' }, () => {
  it('a key disabled through one process is refused by the other within 1 second', async () => {
    const tdb = await freshDatabase();
    const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
    const procs: ServeProcess[] = [];
    try {
      keyhold(['teams', 'create', 'acme'], env);
      keyhold(['projects', 'create', '--team', 'acme', '--id', '1'], env);
      const token = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'root', '--json'], env).stdout);
      const gateway = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'verify', '--json'], env).stdout);
      procs.push(await serve(env), await serve(env));
      const [a, b] = procs as [ServeProcess, ServeProcess];
      const admin = { authorization: `APIKey ${token.token}`, 'content-type': 'application/json' };
      const created = await fetch(`${a.url}/cloud/v1/caas/keys/1/1`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'shared', containers: [{ name: 'web', namespace: 'default' }] }) });
      const secret = ((await created.json()) as { secret: string }).secret;
      const verifyOnB = async () => {
        const r = await fetch(`${b.url}/v1/keys/verify`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ key: secret, container: { name: 'web', namespace: 'default' } }),
        });
        return ((await r.json()) as { code: string }).code;
      };
      assert.equal(await verifyOnB(), 'VALID');
      assert.equal(await verifyOnB(), 'VALID'); // now cached in B

      const patched = await fetch(`${a.url}/cloud/v1/caas/keys/1/1/shared`, { method: 'PATCH', headers: admin, body: JSON.stringify({ is_disabled: true }) });
      assert.equal(patched.status, 200);
      const started = Date.now();
      let code = await verifyOnB();
      while (code !== 'DISABLED' && Date.now() - started < 1000) code = await verifyOnB();
      const elapsed = Date.now() - started;
      assert.equal(code, 'DISABLED', `B still says ${code} after ${elapsed} ms`);
      assert.ok(elapsed < 1000);

      // Token revocation through the CLI (a third process) reaches B's token cache too.
      assert.equal(keyhold(['tokens', 'revoke', String(gateway.id)], env).status, 0);
      const t0 = Date.now();
      let status = 200;
      while (status !== 401 && Date.now() - t0 < 1000) {
        status = (await fetch(`${b.url}/v1/keys/verify`, { method: 'POST', headers: { authorization: `Bearer ${gateway.token}` }, body: '{}' })).status;
      }
      assert.equal(status, 401);
    } finally {
      for (const p of procs) {
        p.child.kill('SIGTERM');
        await p.exited;
      }
      await tdb.drop();
    }
  });
});
