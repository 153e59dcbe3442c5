import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { keyhold, serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase } from '../helpers/db.js';

type Counts = Record<string, number>;
type Series = { series: Array<{ counts: Counts }> };

const VERIFICATIONS = 300;
const RATE_LIMIT = 40;
const sumOf = (s: Series) => s.series.reduce<Counts>((acc, p) => {
  for (const [c, n] of Object.entries(p.counts)) acc[c] = (acc[c] ?? 0) + n;
  return acc;
}, {});
/** The codes with answers, in name order (so two are equal as JSON too). */
const only = (c: Counts) => Object.fromEntries(Object.entries(c).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * Usage persisted by every process: on PostgreSQL two servers answer verifications of one key (verify
 * and forward-auth, VALID, FORBIDDEN_CONTAINER and RATE_LIMITED mixed), and either one's usage API
 * shows the exact counts within 10 s of the last answer; the overview sums both. A graceful restart
 * loses nothing, not even what was counted just before SIGTERM. On SQLite, one server.
 */
describe(`usage across processes and restarts (${dialectUnderTest})`, () => {
  it('counts every answer of every process exactly, and keeps them through a graceful restart', async () => {
    const tdb = await freshDatabase();
    const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64'), KEYHOLD_USAGE_FLUSH_MS: '1000' };
    const procs: ServeProcess[] = [];
    try {
      keyhold(['teams', 'create', 'acme'], env);
      keyhold(['projects', 'create', '--team', 'acme', '--id', '1'], env);
      const root = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'root', '--json'], env).stdout).token as string;
      const gateway = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'verify', '--json'], env).stdout).token as string;
      const count = dialectUnderTest === 'postgres' ? 2 : 1;
      for (let i = 0; i < count; i++) procs.push(await serve(env));
      const urls = procs.map((p) => p.url);
      const api = async (url: string, path: string, init: RequestInit = {}) => {
        const r = await fetch(url + path, { ...init, headers: { authorization: `Bearer ${root}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
        assert.equal(r.status < 300, true, `${path}: ${r.status} ${await r.clone().text()}`);
        return r.json();
      };
      const created = await api(urls[0]!, '/v1/api-keys', {
        method: 'POST',
        body: JSON.stringify({ project_id: 1, region_id: 1, name: 'shared', containers: [{ name: 'web', namespace: 'default' }], rate_limit: { limit: RATE_LIMIT, window_seconds: 3600 } }),
      });
      const secret = created.secret as string;

      // Every answer as the gateways saw it: what the usage must show.
      const answered: Counts = {};
      const refusalIds = new Set<string>();
      const once = async (i: number) => {
        const url = urls[i % urls.length]!;
        const container = i % 3 === 0 ? 'db' : 'web';
        let code: string;
        let id: string | null;
        if (i % 2 === 0) {
          const r = await fetch(`${url}/v1/keys/verify`, { method: 'POST', headers: { authorization: `Bearer ${gateway}`, 'content-type': 'application/json' }, body: JSON.stringify({ key: secret, container: { name: container } }) });
          code = ((await r.json()) as { code: string }).code;
          id = r.headers.get('x-request-id');
        } else {
          const r = await fetch(`${url}/v1/forward-auth?container=${container}`, { headers: { 'x-api-key': secret } });
          code = r.status === 204 ? 'VALID' : ((await r.json()) as { code: string }).code;
          id = r.headers.get('x-request-id');
        }
        answered[code] = (answered[code] ?? 0) + 1;
        if (code !== 'VALID' && id) refusalIds.add(id);
      };
      for (let i = 0; i < VERIFICATIONS; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => once(i + j)));
      assert.deepEqual(Object.keys(answered).sort(), ['FORBIDDEN_CONTAINER', 'RATE_LIMITED', 'VALID'], JSON.stringify(answered));
      // A garbage key through the team's token counts for the team (no key); through forward-auth for no team.
      for (const url of urls) {
        await fetch(`${url}/v1/keys/verify`, { method: 'POST', headers: { authorization: `Bearer ${gateway}`, 'content-type': 'application/json' }, body: JSON.stringify({ key: 'garbage', container: { name: 'web' } }) });
        await fetch(`${url}/v1/forward-auth?container=web`, { headers: { 'x-api-key': 'garbage' } });
      }
      const lastAnswer = Date.now();

      const keyUsage = async (url: string) => only(sumOf(await api(url, '/v1/api-keys/1/1/shared/usage?granularity=minute')));
      // Within 10 s of the last answer, every process's counts are in every process's view.
      let seen: Counts[] = [];
      while (Date.now() - lastAnswer < 10_000) {
        seen = await Promise.all(urls.map(keyUsage));
        if (seen.every((c) => JSON.stringify(c) === JSON.stringify(only(answered)))) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const c of seen) assert.deepEqual(c, only(answered), `after ${Date.now() - lastAnswer} ms`);
      const expectedTeam = { ...only(answered), MALFORMED: urls.length };
      const overview = async (url: string) => only(sumOf({ series: (await api(url, '/v1/overview')).verifications }));
      for (const url of urls) assert.deepEqual(await overview(url), expectedTeam, 'the overview sums every process');
      assert.deepEqual(only(sumOf(await api(urls[0]!, '/v1/usage?granularity=minute'))), expectedTeam);

      // The refusals log: bounded, and what each refusal was.
      let log: Array<{ code: string; container: { name: string }; ip: string; request_id: string }> = [];
      const asked = Date.now();
      while (Date.now() - asked < 10_000) {
        log = (await api(urls[0]!, '/v1/api-keys/1/1/shared/refusals')).refusals;
        if (log.length === 100) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(log.length, 100);
      for (const r of log) {
        assert.ok(refusalIds.has(r.request_id), `a refusal of ours: ${r.request_id}`);
        assert.equal(r.ip, '127.0.0.1');
        assert.equal(r.code === 'FORBIDDEN_CONTAINER' ? 'db' : 'web', r.container.name);
      }
      assert.ok(!JSON.stringify(log).includes(secret));

      // Counted just before SIGTERM (inside one flush interval): flushed on the way out.
      for (let i = 0; i < 5; i++) await fetch(`${urls[0]}/v1/forward-auth?container=db`, { headers: { 'x-api-key': secret } });
      const expected = { ...only(answered), FORBIDDEN_CONTAINER: (answered.FORBIDDEN_CONTAINER ?? 0) + 5 };
      for (const p of procs.splice(0)) {
        p.child.kill('SIGTERM');
        assert.equal(await p.exited, 0);
      }
      procs.push(await serve(env));
      assert.deepEqual(await keyUsage(procs[0]!.url), expected, 'a graceful restart loses nothing');
    } finally {
      for (const p of procs) {
        p.child.kill('SIGTERM');
        await p.exited;
      }
      await tdb.drop();
    }
  });
});
