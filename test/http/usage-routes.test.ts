import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { startTestServer, type TestResponse, type TestServer } from '../helpers/server.js';

const CODES = ['VALID', 'RATE_LIMITED', 'DISABLED', 'EXPIRED', 'FORBIDDEN_CONTAINER', 'NOT_FOUND', 'MALFORMED'];

function assertError(r: TestResponse, status: number, code: string, message?: RegExp): void {
  assert.equal(r.status, status, r.text);
  const body = r.json();
  assert.deepEqual(Object.keys(body.error), ['code', 'message', 'request_id']);
  assert.equal(body.error.code, code, r.text);
  if (message) assert.match(body.error.message, message);
}

const total = (series: Array<{ counts: Record<string, number> }>, code: string) => series.reduce((n, p) => n + p.counts[code]!, 0);

describe(`usage routes (${dialectUnderTest})`, () => {
  let s: TestServer;
  let read: string;
  let verify: string;
  let other: string;
  let secret: string;
  const get = (path: string, token = read) => s.request('GET', path, { token });
  const check = (container: string, key = secret) => s.request('POST', '/v1/keys/verify', { token: verify, body: { key, container: { name: container } } });

  before(async () => {
    s = await startTestServer();
    read = await s.token('read');
    verify = await s.token('verify');
    const write = await s.token('write');
    other = await s.token('root', 'other');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    await s.runtime.services.projects.createProject({ team: 'other', id: 2 });
    const created = await s.request('POST', '/v1/api-keys', { token: write, body: { project_id: 1, region_id: 1, name: 'gw', containers: [{ name: 'web', namespace: 'default' }] } });
    secret = created.json().secret;
  });
  after(() => s.close());

  it("answers a key's series with every code, a team's series with its top keys, and a key's refusals", async () => {
    for (const c of ['web', 'web', 'db']) await check(c);
    const refused = await check('db');
    await check('web', 'garbage');
    const usage = (await get('/v1/api-keys/1/1/gw/usage?granularity=minute')).json();
    assert.deepEqual(Object.keys(usage), ['granularity', 'from', 'to', 'series']);
    assert.equal(usage.series.length, 60);
    assert.ok(usage.series.every((p: { counts: object }) => Object.keys(p.counts).join() === CODES.join()), 'every code, in order, zeros included');
    assert.deepEqual([total(usage.series, 'VALID'), total(usage.series, 'FORBIDDEN_CONTAINER'), total(usage.series, 'MALFORMED')], [2, 2, 0]);

    const team = (await get('/v1/usage?granularity=hour')).json();
    assert.deepEqual(Object.keys(team), ['granularity', 'from', 'to', 'series', 'top_keys', 'top_refused_keys']);
    assert.equal(team.series.length, 24);
    assert.equal(total(team.series, 'MALFORMED'), 1, "a garbage key through the team's token counts for the team");
    assert.deepEqual(team.top_keys.map((k: { name: string; total: number; refused: number }) => [k.name, k.total, k.refused]), [['gw', 4, 2]]);
    assert.deepEqual(team.top_refused_keys.map((k: { name: string }) => k.name), ['gw']);
    assert.equal(team.top_keys[0].counts.FORBIDDEN_CONTAINER, 2);

    const log = (await get('/v1/api-keys/1/1/gw/refusals?limit=1')).json();
    assert.deepEqual(log.refusals, [{ at: log.refusals[0].at, code: 'FORBIDDEN_CONTAINER', container: { name: 'db', namespace: 'default' }, ip: '127.0.0.1', request_id: refused.headers.get('x-request-id') }]);
    assert.ok(!JSON.stringify(log).includes(secret));
    // Flushed, the same.
    await s.runtime.services.verify.flushUsage();
    assert.deepEqual((await get('/v1/api-keys/1/1/gw/usage?granularity=minute')).json(), usage);
    assert.equal((await get('/v1/api-keys/1/1/gw/refusals')).json().refusals.length, 2);
  });

  it('refuses bad query input with 400 in the native format', async () => {
    const bad: Array<[string, RegExp]> = [
      ['granularity=week', /granularity/],
      ['from=yesterday', /from/],
      ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', /from must be before to/],
      ['granularity=minute&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z', /at most 1440 points/],
      ['granularity=hour&granularity=day', /granularity/],
      ['color=blue', /color/],
    ];
    for (const [q, message] of bad) {
      assertError(await get(`/v1/api-keys/1/1/gw/usage?${q}`), 400, 'bad_request', message);
      assertError(await get(`/v1/usage?${q}`), 400, 'bad_request', message);
    }
    assertError(await get('/v1/api-keys/1/1/gw/refusals?limit=0'), 400, 'bad_request', /limit/);
    assertError(await get('/v1/api-keys/1/1/gw/refusals?limit=101'), 400, 'bad_request', /limit/);
  });

  it("answers 404 for another team's key and for none, 401 without a token and 403 without read", async () => {
    for (const path of ['/v1/api-keys/1/1/gw/usage', '/v1/api-keys/1/1/gw/refusals']) {
      assertError(await get(path, other), 404, 'not_found');
      assertError(await get(path.replace('/gw/', '/nope/')), 404, 'not_found');
      assertError(await get(path.replace('/1/1/', '/2/1/')), 404, 'not_found');
      assert.equal((await s.request('GET', path)).status, 401);
      assertError(await get(path, verify), 403, 'forbidden');
    }
    const theirs = (await get('/v1/usage', other)).json();
    assert.equal(total(theirs.series, 'VALID'), 0, "another team sees none of ours");
    assert.deepEqual(theirs.top_keys, []);
  });
});
