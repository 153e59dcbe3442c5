import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SPEC_ED25519 } from '../helpers/keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('health and readiness', () => {
  it('/healthz says the process is up; /readyz checks the database', async () => {
    const s = await startTestServer();
    try {
      assert.deepEqual((await s.request('GET', '/healthz')).json(), { status: 'ok' });
      assert.deepEqual((await s.request('GET', '/readyz')).json(), { status: 'ready' });
      await s.runtime.db.close();
      const r = await s.request('GET', '/readyz');
      assert.deepEqual([r.status, r.json()], [503, { status: 'unavailable', reason: 'database unreachable' }]);
      assert.equal((await s.request('GET', '/healthz')).status, 200);
    } finally {
      await s.app.close();
      await s.runtime.close().catch(() => {}); // the database is closed already; this stops the LISTEN connection too
      await s.db.drop();
    }
  });
});

describe('audit trail API', () => {
  let s: TestServer;
  let root: string;
  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    const uuid = (await s.request('POST', '/api/v1/security/keys', { token: root, body: { name: 'a', private_key: SPEC_ED25519 } })).json().uuid;
    await s.request('PATCH', `/api/v1/security/keys/${uuid}`, { token: root, body: { name: 'b', private_key: SPEC_ED25519 } });
    await s.request('POST', '/cloud/v1/caas/keys/1/1', { token: root, body: { name: 'k1', containers: [] } });
    await s.request('DELETE', `/api/v1/security/keys/${uuid}`, { token: root });
    const other = await s.token('root', 'other-team');
    await s.request('POST', '/api/v1/security/keys', { token: other, body: { private_key: SPEC_ED25519 } });
  });
  after(() => s.close());

  it('lists the team\'s events newest first, with field names and no secrets', async () => {
    const r = await s.request('GET', '/v1/audit', { token: root });
    assert.equal(r.status, 200);
    const { events, next_cursor } = r.json();
    assert.deepEqual(events.map((e: { action: string }) => e.action), ['private_key.delete', 'caas_key.create', 'private_key.update', 'private_key.create']);
    assert.equal(next_cursor, null);
    assert.deepEqual(Object.keys(events[0]), ['id', 'at', 'actor', 'token_id', 'action', 'resource_type', 'resource_id', 'changed_fields', 'ip', 'request_id']);
    assert.deepEqual(events[2].changed_fields, ['name']);
    assert.equal(events[0].actor, `token:${root.split('|')[0]}`);
    assert.match(events[0].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(!r.text.includes('PRIVATE KEY'));
  });

  it('filters and pages with an opaque cursor', async () => {
    const page1 = (await s.request('GET', '/v1/audit?limit=3', { token: root })).json();
    assert.equal(page1.events.length, 3);
    const page2 = (await s.request('GET', `/v1/audit?limit=3&cursor=${page1.next_cursor}`, { token: root })).json();
    assert.deepEqual([page2.events.length, page2.next_cursor], [1, null]);
    assert.equal(page2.events[0].action, 'private_key.create');
    const caas = (await s.request('GET', '/v1/audit?resource=caas_key:1/1/k1', { token: root })).json();
    assert.deepEqual(caas.events.map((e: { action: string }) => e.action), ['caas_key.create']);
    const none = (await s.request('GET', '/v1/audit?actor=token:999', { token: root })).json();
    assert.deepEqual(none.events, []);
    const future = (await s.request('GET', '/v1/audit?since=2999-01-01T00:00:00Z', { token: root })).json();
    assert.deepEqual(future.events, []);
    const past = (await s.request('GET', '/v1/audit?until=2000-01-01T00:00:00Z', { token: root })).json();
    assert.deepEqual(past.events, []);
  });

  it('is for root tokens only, and refuses bad parameters', async () => {
    assert.equal((await s.request('GET', '/v1/audit', {})).status, 401);
    const read = await s.request('GET', '/v1/audit', { token: await s.token('read,write,read:sensitive') });
    assert.deepEqual([read.status, read.json().error.code], [403, 'forbidden']);
    for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'since=yesterday', 'cursor=bogus']) {
      const r = await s.request('GET', `/v1/audit?${q}`, { token: root });
      assert.deepEqual([r.status, r.json().error.code], [400, 'bad_request'], q);
    }
  });
});

describe('failed-authentication rate limit', () => {
  it('answers 429 with Retry-After in each surface\'s own format once an address fails too often', async () => {
    const s = await startTestServer({ config: { authFailures: { limit: 3, windowMs: 60_000 } } });
    try {
      const good = await s.token('root');
      assert.equal((await s.request('GET', '/api/v1/security/keys', { token: good })).status, 200, 'success does not count');
      for (let i = 0; i < 3; i++) assert.equal((await s.request('GET', '/api/v1/security/keys', { token: '1|nope' })).status, 401);
      const coolify = await s.request('GET', '/api/v1/security/keys', { token: good });
      assert.deepEqual([coolify.status, coolify.json()], [429, { message: 'Too Many Attempts.' }]);
      assert.ok(Number(coolify.headers.get('retry-after')) > 0);
      const gcore = await s.request('GET', '/cloud/v1/caas/keys/1/1', { headers: { authorization: `APIKey ${good}` } });
      assert.deepEqual([gcore.status, gcore.json().exception_class], [429, 'TooManyRequestsError']);
      assert.ok(gcore.headers.get('retry-after'));
      const native = await s.request('GET', '/v1/audit', { token: good });
      assert.deepEqual([native.status, native.json().error.code], [429, 'rate_limited']);
      assert.equal((await s.request('GET', '/api/health', {})).status, 200, 'unauthenticated routes still answer');
    } finally {
      await s.close();
    }
  });
});
