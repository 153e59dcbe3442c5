import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

const nativeShape = (body: unknown, code: string, requestId: string | null) => {
  const error = (body as { error: Record<string, unknown> }).error;
  assert.deepEqual(Object.keys(body as object), ['error']);
  assert.deepEqual(Object.keys(error), ['code', 'message', 'request_id']);
  assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  assert.equal(error.request_id, requestId);
};

describe('native surface: error and not-found handling', () => {
  let s: TestServer;
  let root: string;
  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
  });
  after(() => s.close());

  it('answers unknown /v1 paths and methods in its own shape, whether or not a token is sent', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nope'],
      ['GET', '/v1'],
      ['GET', '/v1/'],
      ['POST', '/v1/audit'],
      ['DELETE', '/v1/audit'],
      ['GET', '/v1/keys/verify'],
      ['GET', '/v1/audit/extra?token=x'],
    ] as const) {
      for (const token of [undefined, root]) {
        const r = await s.request(method, path, { token });
        assert.equal(r.status, 404, `${method} ${path}`);
        nativeShape(r.json(), 'not_found', r.headers.get('x-request-id'));
        assert.equal(r.json().error.message, 'no route matches this method and path');
        assert.ok(!r.text.includes('token=x'), 'the path is not echoed');
      }
    }
  });

  it('leaves the other surfaces their own not-found answers; the root answers in keyhold\'s shape', async () => {
    const coolify = await s.request('GET', '/api/v1/nope', { token: root });
    assert.deepEqual([coolify.status, coolify.json()], [404, { message: 'Not found.', docs: 'https://coolify.io/docs' }]);
    const gcore = await s.request('GET', '/cloud/v1/nope', { headers: { authorization: `APIKey ${root}` } });
    assert.deepEqual([gcore.status, gcore.json().exception_class], [404, 'HTTPError']);
    const rootNotFound = await s.request('GET', '/v2/nope');
    assert.deepEqual([rootNotFound.status, rootNotFound.json().error], [404, { code: 'not_found', message: 'no route matches this method and path', request_id: rootNotFound.headers.get('x-request-id') }]);
    const v1ish = await s.request('GET', '/v1nope');
    assert.equal(v1ish.json().error.code, 'not_found');
  });

  it('turns an unexpected failure into a generic 500 whose cause is logged with the request id', async () => {
    const t = await startTestServer();
    try {
      const token = await t.token('root');
      assert.equal((await t.request('GET', '/v1/audit', { token })).status, 200); // the token is now cached
      await t.runtime.db.close();
      const r = await t.request('GET', '/v1/audit', { token });
      assert.equal(r.status, 500);
      const id = r.headers.get('x-request-id');
      nativeShape(r.json(), 'internal', id);
      assert.equal(r.json().error.message, 'internal server error');
      assert.doesNotMatch(r.text, /at |\.ts|destroyed|closed|sqlite|pool/i, 'no cause in the body');
      const logged = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'unexpected error');
      assert.ok(logged, 'the cause is logged');
      assert.equal(logged.reqId, id);
      assert.ok(logged.err?.message);
    } finally {
      await t.app.close();
      await t.runtime.close().catch(() => {});
      await t.db.drop();
    }
  });
});

describe('failed-authentication rate limit', () => {
  it("answers 429 with Retry-After in each surface's own format once an address fails too often", async () => {
    const s = await startTestServer({ config: { authFailures: { limit: 3, windowMs: 60_000 } } });
    try {
      const good = await s.token('root');
      assert.equal((await s.request('GET', '/api/v1/security/keys', { token: good })).status, 200, 'success does not count');
      for (let i = 0; i < 3; i++) assert.equal((await s.request('GET', '/api/v1/security/keys', { token: '1|nope' })).status, 401);
      const coolify = await s.request('GET', '/api/v1/security/keys', { token: '1|nope' });
      assert.deepEqual([coolify.status, coolify.json()], [429, { message: 'Too Many Attempts.' }]);
      assert.ok(Number(coolify.headers.get('retry-after')) > 0);
      const gcore = await s.request('GET', '/cloud/v1/caas/keys/1/1', { headers: { authorization: 'APIKey 1|nope' } });
      assert.deepEqual([gcore.status, gcore.json().exception_class], [429, 'TooManyRequestsError']);
      assert.ok(gcore.headers.get('retry-after'));
      const native = await s.request('GET', '/v1/audit', { token: 'garbage' });
      assert.equal(native.status, 429);
      nativeShape(native.json(), 'rate_limited', native.headers.get('x-request-id'));
      assert.ok(Number(native.headers.get('retry-after')) > 0);
      assert.equal((await s.request('GET', '/api/health', {})).status, 200, 'unauthenticated routes still answer');
      assert.equal((await s.request('GET', '/healthz', {})).status, 200);
      assert.equal((await s.request('GET', '/readyz', {})).status, 200);
      assert.equal((await s.request('GET', '/api/v1/security/keys', { token: good })).status, 200, 'a good token is never refused for its address');
    } finally {
      await s.close();
    }
  });

  it('counts failed native authentication too', async () => {
    const s = await startTestServer({ config: { authFailures: { limit: 2, windowMs: 60_000 } } });
    try {
      for (let i = 0; i < 2; i++) assert.equal((await s.request('GET', '/v1/audit', { token: 'garbage' })).status, 401);
      assert.equal((await s.request('GET', '/v1/audit', { token: 'garbage' })).status, 429);
      assert.equal((await s.request('GET', '/v1/audit', { token: await s.token('root') })).status, 200);
    } finally {
      await s.close();
    }
  });
});
