import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { testConfig } from '../helpers/server.js';
import { keyhold, serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase } from '../helpers/db.js';
import { createRuntime } from '../../src/runtime.js';

/**
 * A reroll made through one server process (or the CLI) reaches another process's verification
 * cache: the old secret verifies in both until its grace period ends and is refused by both within
 * a second of it; a second reroll ends the first old secret everywhere at once.
 */
describe('reroll across two server processes on one PostgreSQL', { skip: dialectUnderTest !== 'postgres' && 'PostgreSQL only' }, () => {
  it('the old secret verifies everywhere during the grace period and is refused everywhere within 1 s after it', async () => {
    const tdb = await freshDatabase();
    const masterKey = randomBytes(32).toString('base64');
    const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: masterKey };
    const procs: ServeProcess[] = [];
    try {
      // Set up in-process (the CLI would do the same, more slowly).
      const rt = await createRuntime(testConfig(tdb.config, { masterKey: { kind: 'env', value: masterKey } }), { serving: false });
      await rt.services.teams.create('acme');
      await rt.services.projects.createProject({ team: 'acme', id: 1 });
      const root = (await rt.services.tokens.create({ team: 'acme', abilities: ['root'] })).token;
      const gateway = (await rt.services.tokens.create({ team: 'acme', abilities: ['verify'] })).token;
      await rt.close();

      procs.push(await serve(env), await serve(env));
      const [a, b] = procs as [ServeProcess, ServeProcess];
      const admin = { authorization: `Bearer ${root}`, 'content-type': 'application/json' };
      const post = async (url: string, body: unknown) => {
        const r = await fetch(url, { method: 'POST', headers: admin, body: JSON.stringify(body) });
        assert.equal(r.status, 201, await r.clone().text());
        return (await r.json()) as { secret: string; rotating_until: string | null };
      };
      const verify = async (p: ServeProcess, key: string) => {
        const r = await fetch(`${p.url}/v1/keys/verify`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gateway}`, 'content-type': 'application/json' },
          body: JSON.stringify({ key, container: { name: 'web', namespace: 'default' } }),
        });
        return (await r.json()) as { code: string; rotating_until?: string };
      };
      const old = (await post(`${a.url}/v1/api-keys`, { project_id: 1, region_id: 1, name: 'shared', containers: [{ name: 'web', namespace: 'default' }] })).secret;
      for (const p of [a, b, b]) assert.equal((await verify(p, old)).code, 'VALID'); // cached in both

      const grace = 3;
      const rerolled = await post(`${a.url}/v1/api-keys/1/1/shared/reroll`, { grace_seconds: grace });
      const end = Date.parse(rerolled.rotating_until!);
      // B heard of the reroll: its cached "current secret" answer is gone, the old secret now rotates.
      let seen = await verify(b, old);
      const t0 = Date.now();
      while (seen.rotating_until === undefined && Date.now() - t0 < 1000) seen = await verify(b, old);
      assert.deepEqual([seen.code, seen.rotating_until], ['VALID', rerolled.rotating_until], 'B sees the grace period within 1 s');
      assert.equal((await verify(b, rerolled.secret)).code, 'VALID');
      assert.equal((await verify(a, old)).code, 'VALID');

      // Keep both caches warm on the old secret until the end, then time the refusal in each.
      while (Date.now() < end - 150) {
        assert.equal((await verify(b, old)).code, 'VALID');
        assert.equal((await verify(a, old)).code, 'VALID');
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const p of [a, b]) {
        let code = (await verify(p, old)).code;
        while (code === 'VALID' && Date.now() - end < 1000) code = (await verify(p, old)).code;
        assert.equal(code, 'NOT_FOUND', `${p === a ? 'A' : 'B'} still admits the old secret ${Date.now() - end} ms after the grace period`);
        assert.ok(Date.now() - end < 1000);
        assert.equal((await verify(p, rerolled.secret)).code, 'VALID');
      }

      // A second reroll during a grace period ends the first old secret everywhere at once.
      const second = await post(`${a.url}/v1/api-keys/1/1/shared/reroll`, { grace_seconds: 600 });
      for (const p of [a, b]) assert.equal((await verify(p, rerolled.secret)).code, 'VALID'); // now cached as rotating
      // Rerolled through the CLI this time: a third process, heard through NOTIFY.
      const cli = keyhold(['api-keys', 'reroll', '--team', 'acme', '--project', '1', '--region', '1', '--name', 'shared', '--grace', '10m', '--json'], env);
      assert.equal(cli.status, 0, cli.stderr);
      const third = JSON.parse(cli.stdout) as { secret: string; rotating_until: string };
      const t1 = Date.now();
      for (const p of [a, b]) {
        let code = (await verify(p, rerolled.secret)).code;
        while (code === 'VALID' && Date.now() - t1 < 1000) code = (await verify(p, rerolled.secret)).code;
        assert.equal(code, 'NOT_FOUND', 'the first old secret ended at once');
        const until = (await verify(p, second.secret)).rotating_until!;
        assert.equal(until, third.rotating_until, "the CLI's --json is the API's answer, times as the API writes them");
        assert.equal((await verify(p, third.secret)).code, 'VALID');
      }
    } finally {
      for (const p of procs) {
        p.child.kill('SIGTERM');
        await p.exited;
      }
      await tdb.drop();
    }
  });
});
