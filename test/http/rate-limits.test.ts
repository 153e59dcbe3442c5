import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Per-key rate limits on one process (counted in its memory): set, shown and edited through the
 * native API, enforced by verification (RATE_LIMITED) and forward-auth (429 + Retry-After), in
 * fixed windows aligned to the clock. The Gcore surface does not show them.
 */
describe('per-key rate limits, one process', () => {
  let s: TestServer;
  // Two seconds into a minute: a 60 s window has 58 s left.
  let now = Date.parse('2026-08-22T10:00:02Z');
  let admin: string;
  let verifier: string;
  const web = { name: 'web', namespace: 'default' };
  const native = (method: string, path: string, body?: unknown) => s.request(method, `/v1/api-keys${path}`, { body, token: admin });
  const verify = (key: string) => s.request('POST', '/v1/keys/verify', { body: { key, container: web }, token: verifier });
  const forwardAuth = (key: string) => s.request('GET', '/v1/forward-auth?container=web', { headers: { 'x-api-key': key } });
  const create = async (name: string, rateLimit?: unknown) => {
    const r = await native('POST', '', { project_id: 1, region_id: 1, name, containers: [web], ...(rateLimit === undefined ? {} : { rate_limit: rateLimit }) });
    assert.equal(r.status, 201, r.text);
    return r.json() as { secret: string; rate_limit: unknown };
  };

  before(async () => {
    s = await startTestServer({ clock: () => now });
    admin = await s.token('root');
    verifier = await s.token('verify');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
  });
  after(() => s.close());

  it('admits `limit` verifications per window, then answers RATE_LIMITED with retry_after until the window ends', async () => {
    const created = await create('limited', { limit: 3, window_seconds: 60 });
    assert.deepEqual(created.rate_limit, { limit: 3, window_seconds: 60 });
    for (let i = 0; i < 3; i++) assert.equal((await verify(created.secret)).json().code, 'VALID', `admission ${i + 1}`);
    const refused = await verify(created.secret);
    assert.equal(refused.status, 200);
    assert.deepEqual(refused.json(), {
      valid: false,
      code: 'RATE_LIMITED',
      key: { name: 'limited', project_id: 1, region_id: 1, status: 'Active', expire: null, containers: [web] },
      retry_after: 58,
    });
    assert.ok(s.logs.some((l) => l.includes('"code":"RATE_LIMITED"')), 'the refusal is logged');
    assert.ok(!s.logs.join('').includes(created.secret), 'never the secret');

    // Forward-auth counts against the same window: 429 with Retry-After.
    now += 30_000;
    const fa = await forwardAuth(created.secret);
    assert.equal(fa.status, 429);
    assert.equal(fa.headers.get('retry-after'), '28');
    assert.equal(fa.headers.get('cache-control'), 'no-store');
    assert.deepEqual(fa.json(), { valid: false, code: 'RATE_LIMITED' });

    // The next window admits again.
    now = Date.parse('2026-08-22T10:01:00Z');
    assert.equal((await forwardAuth(created.secret)).status, 204);
    assert.equal((await verify(created.secret)).json().code, 'VALID');
    assert.equal((await verify(created.secret)).json().code, 'VALID');
    assert.equal((await verify(created.secret)).json().code, 'RATE_LIMITED');
  });

  it('counts each key on its own; a key without a limit is never limited', async () => {
    const a = await create('one-per-hour', { limit: 1, window_seconds: 3600 });
    const b = await create('also-one-per-hour', { limit: 1, window_seconds: 3600 });
    const free = await create('unlimited');
    assert.equal(free.rate_limit, null);
    assert.equal((await verify(a.secret)).json().code, 'VALID');
    assert.equal((await verify(b.secret)).json().code, 'VALID');
    assert.equal((await verify(a.secret)).json().code, 'RATE_LIMITED');
    for (let i = 0; i < 50; i++) assert.equal((await verify(free.secret)).json().code, 'VALID');
    // Refusals for other reasons do not count: a wrong container is FORBIDDEN_CONTAINER, not a use.
    const c = await create('two-per-hour', { limit: 2, window_seconds: 3600 });
    for (let i = 0; i < 3; i++) {
      const r = await s.request('POST', '/v1/keys/verify', { body: { key: c.secret, container: { name: 'api' } }, token: verifier });
      assert.equal(r.json().code, 'FORBIDDEN_CONTAINER');
    }
    assert.equal((await verify(c.secret)).json().code, 'VALID');
    assert.equal((await verify(c.secret)).json().code, 'VALID');
    assert.equal((await verify(c.secret)).json().code, 'RATE_LIMITED');
  });

  it('edits take effect on the next verification: raised, lowered, removed, set again', async () => {
    const k = await create('edited', { limit: 1, window_seconds: 3600 });
    assert.equal((await verify(k.secret)).json().code, 'VALID');
    assert.equal((await verify(k.secret)).json().code, 'RATE_LIMITED');

    const raised = await native('PATCH', '/1/1/edited', { rate_limit: { limit: 3, window_seconds: 3600 } });
    assert.equal(raised.status, 200, raised.text);
    assert.deepEqual(raised.json().rate_limit, { limit: 3, window_seconds: 3600 });
    assert.equal((await verify(k.secret)).json().code, 'VALID', 'the window keeps its count: 2 of 3');
    assert.equal((await verify(k.secret)).json().code, 'VALID');
    assert.equal((await verify(k.secret)).json().code, 'RATE_LIMITED');

    assert.equal((await native('PATCH', '/1/1/edited', { rate_limit: null })).json().rate_limit, null);
    for (let i = 0; i < 5; i++) assert.equal((await verify(k.secret)).json().code, 'VALID');

    // A PATCH that leaves rate_limit out leaves it as it is.
    await native('PATCH', '/1/1/edited', { rate_limit: { limit: 1, window_seconds: 1 } });
    assert.deepEqual((await native('PATCH', '/1/1/edited', { description: 'still limited' })).json().rate_limit, { limit: 1, window_seconds: 1 });
    assert.deepEqual((await native('GET', '/1/1/edited')).json().rate_limit, { limit: 1, window_seconds: 1 });
    now = Math.ceil(now / 1000) * 1000 + 1000;
    assert.equal((await verify(k.secret)).json().code, 'VALID');
    const r = (await verify(k.secret)).json();
    assert.deepEqual([r.code, r.retry_after], ['RATE_LIMITED', 1]);
  });

  it('a rerolled key shares one limit between its old and new secret', async () => {
    const k = await create('rerolled', { limit: 2, window_seconds: 3600 });
    const rerolled = await native('POST', '/1/1/rerolled/reroll', { grace_seconds: 600 });
    assert.equal(rerolled.status, 201, rerolled.text);
    assert.equal((await verify(k.secret)).json().code, 'VALID');
    assert.equal((await verify(rerolled.json().secret)).json().code, 'VALID');
    assert.equal((await verify(k.secret)).json().code, 'RATE_LIMITED');
    assert.equal((await verify(rerolled.json().secret)).json().code, 'RATE_LIMITED');
  });

  it('refuses bad limits with a clear 400', async () => {
    const bad = async (rateLimit: unknown, words: RegExp) => {
      const r = await native('POST', '', { project_id: 1, region_id: 1, name: 'bad-limit', containers: [web], rate_limit: rateLimit });
      assert.equal(r.status, 400, r.text);
      assert.match(r.json().error.message, words);
    };
    await bad({ limit: 0, window_seconds: 60 }, /limit/);
    await bad({ limit: 10, window_seconds: 0 }, /window_seconds/);
    await bad({ limit: 10, window_seconds: 86_401 }, /window_seconds/);
    await bad({ limit: 1.5, window_seconds: 60 }, /limit/);
    await bad({ limit: 10 }, /window_seconds/);
    await bad({ limit: 10, window_seconds: 60, burst: 5 }, /burst/);
    await bad('10/min', /rate_limit/);
    const patch = await native('PATCH', '/1/1/edited', { rate_limit: { limit: -1, window_seconds: 60 } });
    assert.equal(patch.status, 400, patch.text);
  });

  it('the Gcore surface stays wire-exact: no rate_limit in its answers, and its writes keep the limit', async () => {
    const caas = (method: string, path: string, body?: unknown) => s.request(method, `/cloud/v1/caas/keys/1/1${path}`, { body, headers: { authorization: `APIKey ${admin}` } });
    const k = await create('gcore-view', { limit: 1, window_seconds: 3600 });
    const shown = await caas('GET', '/gcore-view');
    assert.equal(shown.status, 200);
    assert.ok(!('rate_limit' in shown.json()), shown.text);
    assert.ok(!(await caas('GET', '')).text.includes('rate_limit'));
    assert.equal((await caas('PATCH', '/gcore-view', { description: 'via gcore' })).status, 200);
    assert.deepEqual((await native('GET', '/1/1/gcore-view')).json().rate_limit, { limit: 1, window_seconds: 3600 });
    assert.equal((await verify(k.secret)).json().code, 'VALID');
    assert.equal((await verify(k.secret)).json().code, 'RATE_LIMITED');
  });
});
