import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

const BASE = '/cloud/v1/caas/keys';
const PARSE = 'Input should be a valid integer, unable to parse string as an integer';

/** The error body with its request id checked against the header and replaced, so bodies compare whole. */
function errorBody(r: { headers: Headers; json(): any }) {
  const body = r.json();
  assert.match(body.request_id, /^[0-9a-f]{32}$/);
  assert.equal(r.headers.get('x-request-id'), body.request_id);
  return { ...body, request_id: '…' };
}

const validation = (fields: Record<string, string[]>) => {
  const repr = Object.entries(fields)
    .map(([k, v]) => `'${k}': [${v.map((m) => (m.includes("'") ? `"${m}"` : `'${m}'`)).join(', ')}]`)
    .join(', ');
  return { exception_class: 'ValidationError', message: `Validation Error: {${repr}}`, request_id: '…', invalid_fields: fields };
};

describe('Gcore CaaS keys: parameters, dates and strings at their edges', () => {
  let s: TestServer;
  let token: string;
  const call = (method: string, path: string, o: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}) =>
    s.request(method, BASE + path, { ...o, headers: { authorization: `APIKey ${token}`, ...o.headers } });

  before(async () => {
    s = await startTestServer({ clock: () => Date.parse('2026-08-22T10:20:00Z') });
    token = await s.token('read,write');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    for (const name of ['k-one', 'k-two', 'k-three']) assert.equal((await call('POST', '/1/1', { body: { name, containers: [] } })).status, 200);
  });
  after(() => s.close());

  it('path ids are plain decimal integers within 0..2147483647 (spec 2.1)', async () => {
    for (const id of ['abc', '+1', '%201', '1.0', '0x1', '1e3', '%EF%BC%91' /* a full-width digit */, '']) {
      const r = await call('GET', `/${id}/1`);
      assert.deepEqual([r.status, errorBody(r)], [400, validation({ project_id: [PARSE] })], `project_id ${JSON.stringify(id)}`);
    }
    const neg = await call('GET', '/1/-1/k-one');
    assert.deepEqual([neg.status, errorBody(neg)], [400, validation({ region_id: ['Input should be greater than or equal to 0'] })]);
    const both = await call('DELETE', '/2147483648/x/k-one');
    assert.deepEqual(errorBody(both), validation({ project_id: ['Input should be less than or equal to 2147483647'], region_id: [PARSE] }));
    assert.deepEqual((await call('GET', '/001/01/k-one')).json().name, 'k-one', 'leading zeros are still the same integer');
    const zero = await call('GET', '/0/1');
    assert.deepEqual([zero.status, errorBody(zero)], [404, { exception_class: 'NotFoundError', message: 'Project 0 could not be found', request_id: '…' }]);
  });

  it('limit and offset: bounds, defaults, last of a repeated parameter, huge offsets, unknown parameters', async () => {
    const names = async (q: string) => {
      const r = await call('GET', `/1/1${q}`);
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      const body = r.json();
      assert.equal(body.count, 3);
      return body.results.map((k: { name: string }) => k.name);
    };
    assert.deepEqual(await names(''), ['k-one', 'k-two', 'k-three'], 'creation order');
    assert.deepEqual(await names('?limit=1'), ['k-one']);
    assert.deepEqual(await names('?limit=1000'), ['k-one', 'k-two', 'k-three']);
    assert.deepEqual(await names('?limit=2&offset=2'), ['k-three']);
    assert.deepEqual(await names('?offset=3'), []);
    assert.deepEqual(await names('?offset=99999999999999999999'), [], 'an offset past any count is simply past the end');
    assert.deepEqual(await names('?offset=-0&limit=1&limit=2'), ['k-one', 'k-two'], 'the last of a repeated parameter counts');
    assert.deepEqual(await names('?search=k-two&order=desc&limit=1'), ['k-one'], 'unknown parameters are ignored');
    const cases: Array<[string, Record<string, string[]>]> = [
      ['?limit=0', { limit: ['Input should be greater than 0'] }],
      ['?limit=-5', { limit: ['Input should be greater than 0'] }],
      ['?limit=1001', { limit: ['Input should be less than or equal to 1000'] }],
      ['?limit=', { limit: [PARSE] }],
      ['?limit=%2B5', { limit: [PARSE] }],
      ['?limit=%205', { limit: [PARSE] }],
      ['?limit=ten&offset=-1', { limit: [PARSE], offset: ['Input should be greater than or equal to 0'] }],
      ['?offset=1.5', { offset: [PARSE] }],
    ];
    for (const [q, fields] of cases) {
      const r = await call('GET', `/1/1${q}`);
      assert.deepEqual([r.status, errorBody(r)], [400, validation(fields)], q);
    }
    const all = await call('GET', '/x/1?limit=0');
    assert.deepEqual(errorBody(all), validation({ project_id: [PARSE], limit: ['Input should be greater than 0'] }), 'path before query');
  });

  it('expire: offsets to UTC, fractions cut, no offset = UTC, years 1 to 9999 only, bare dates refused', async () => {
    const expire = async (value: unknown) => {
      const r = await call('PATCH', '/1/1/k-one', { body: { expire: value } });
      return r.status === 200 ? r.json().expire : errorBody(r);
    };
    assert.equal(await expire('2026-08-22T10:00:00.999999+05:30'), '2026-08-22T04:30:00Z');
    assert.equal(await expire('2026-08-22T10:00:00-0130'), '2026-08-22T11:30:00Z');
    assert.equal(await expire('2026-08-22t10:00:00z'), '2026-08-22T10:00:00Z');
    assert.equal(await expire('2026-08-22 10:00'), '2026-08-22T10:00:00Z');
    assert.equal(await expire('2026-08-22T10:00:00'), '2026-08-22T10:00:00Z');
    assert.equal(await expire('0001-01-01T00:00:00Z'), '0001-01-01T00:00:00Z');
    assert.equal(await expire('0050-06-01T00:00:00Z'), '0050-06-01T00:00:00Z', 'years below 100 are not 19xx');
    assert.equal(await expire('9999-12-31T23:59:59Z'), '9999-12-31T23:59:59Z');
    const bad = validation({ expire: ['Input should be a valid datetime'] });
    for (const v of ['2026-08-22', '2026-02-30T00:00:00Z', '2026-08-22T24:00:00Z', '2026-08-22T10:00:60Z', '9999-12-31T23:59:59-01:00', '0000-12-31T23:00:00Z', '0001-01-01T00:00:00+01:00', '2026-08-22T10:00:00+24:00', 'soon', '', 1787393600, true, [], {}]) {
      assert.deepEqual(await expire(v), bad, JSON.stringify(v));
    }
    const r = await call('GET', '/1/1/k-one');
    assert.deepEqual([r.json().expire, r.json().status], ['9999-12-31T23:59:59Z', 'Active'], 'refused values changed nothing');
  });

  it('strings must be valid Unicode: a lone surrogate is refused, a real pair round-trips', async () => {
    const r = await call('POST', '/1/1', { raw: '{"name":"uni","containers":[{"name":"ab","namespace":"x\\ud800"}],"description":"\\udfff"}', headers: { 'content-type': 'application/json' } });
    const msg = 'Input should be a valid string, unable to parse raw data as a unicode string';
    assert.deepEqual([r.status, errorBody(r)], [400, validation({ 'containers.0.namespace': [msg], description: [msg] })]);
    const ok = await call('POST', '/1/1', { body: { name: 'uni', containers: [{ name: 'ab', namespace: 'ns-😀' }], description: 'clé 😀' } });
    assert.equal(ok.status, 200);
    const got = (await call('GET', '/1/1/uni')).json();
    assert.deepEqual([got.description, got.containers], ['clé 😀', [{ name: 'ab', namespace: 'ns-😀' }]]);
    assert.equal((await call('DELETE', '/1/1/uni')).status, 204);
  });

  it('PATCH: all four null changes only the expiry; [] empties the containers; validation comes before the lookup', async () => {
    await call('PATCH', '/1/1/k-two', { body: { description: 'd', containers: [{ name: 'web', namespace: 'default' }], expire: '2030-01-01T00:00:00Z', is_disabled: true } });
    const r = (await call('PATCH', '/1/1/k-two', { body: { containers: null, description: null, expire: null, is_disabled: null } })).json();
    assert.deepEqual([r.description, r.containers, r.expire, r.is_disabled, r.status], ['d', [{ name: 'web', namespace: 'default' }], null, true, 'Disabled']);
    const emptied = (await call('PATCH', '/1/1/k-two', { body: { containers: [], is_disabled: false } })).json();
    assert.deepEqual([emptied.containers, emptied.status], [[], 'Active']);
    const bad = await call('PATCH', '/1/1/no-such-key', { body: { containers: [{ name: 'Web', namespace: 1 }] } });
    assert.deepEqual(
      [bad.status, errorBody(bad)],
      [400, validation({ 'containers.0.name': ["String should match pattern '^[a-z][-a-z0-9]{0,62}[a-z0-9]$'"], 'containers.0.namespace': ['Input should be a valid string'] })],
    );
    const foreign = await call('PATCH', '/9/1/k-two', { body: { is_disabled: 'no' } });
    assert.deepEqual(errorBody(foreign), validation({ is_disabled: ['Input should be a valid boolean'] }), 'even in a project we cannot see');
  });

  it('concurrent PATCHes of different fields both land; concurrent DELETEs give one 204 and one 404', async () => {
    for (let i = 0; i < 10; i++) {
      const [a, b] = await Promise.all([
        call('PATCH', '/1/1/k-three', { body: { description: `round ${i}` } }),
        call('PATCH', '/1/1/k-three', { body: { is_disabled: i % 2 === 0 } }),
      ]);
      assert.deepEqual([a.status, b.status], [200, 200]);
      const now = (await call('GET', '/1/1/k-three')).json();
      assert.deepEqual([now.description, now.is_disabled], [`round ${i}`, i % 2 === 0], `round ${i}: neither update undid the other`);
    }
    assert.equal((await call('POST', '/1/1', { body: { name: 'doomed', containers: [] } })).status, 200);
    const statuses = (await Promise.all([call('DELETE', '/1/1/doomed'), call('DELETE', '/1/1/doomed')])).map((r) => r.status).sort();
    assert.deepEqual(statuses, [204, 404]);
    const deletes = (await s.runtime.store.audit.list()).filter((e) => e.action === 'caas_key.delete' && e.resourceId === '1/1/doomed');
    assert.equal(deletes.length, 1, 'one audit row for one deletion');
  });

  it('audit rows name the changed fields only, and a PATCH that changes nothing writes none', async () => {
    const before = (await s.runtime.store.audit.list()).length;
    await call('PATCH', '/1/1/k-one', { body: { description: 'private words', is_disabled: false } });
    await call('PATCH', '/1/1/k-one', { body: { description: 'private words' } });
    const rows = (await s.runtime.store.audit.list()).slice(before);
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]!.action, rows[0]!.resourceType, rows[0]!.resourceId, rows[0]!.changed], ['caas_key.update', 'caas_key', '1/1/k-one', ['description']]);
    assert.ok(!JSON.stringify(rows).includes('private words'));
  });
});

describe('Gcore CaaS keys: abilities, tenancy on every route, and failures of the server itself', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
    await s.runtime.services.teams.create('acme');
    await s.runtime.services.teams.create('other');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    await s.runtime.services.projects.createProject({ team: 'other', id: 7 });
  });
  after(() => s.close());
  const as = (token: string, method: string, path: string, body?: unknown) => s.request(method, BASE + path, { body, headers: { authorization: `APIKey ${token}` } });

  it('read:sensitive implies read; verify alone reaches nothing here', async () => {
    const sensitive = await s.token('read:sensitive', 'acme');
    const verify = await s.token('verify', 'acme');
    assert.equal((await as(sensitive, 'GET', '/1/1')).status, 200);
    assert.equal((await as(sensitive, 'POST', '/1/1', { name: 'nope', containers: [] })).status, 403);
    for (const [m, p, body] of [['GET', '/1/1'], ['GET', '/1/1/x1'], ['POST', '/1/1', {}]] as const) assert.equal((await as(verify, m, p, body)).status, 403, `${m} ${p}`);
  });

  it('another team\'s project answers exactly like a missing one on all five routes, and its keys stay untouched', async () => {
    const theirs = await s.token('root', 'other');
    const mine = await s.token('root', 'acme');
    assert.equal((await as(theirs, 'POST', '/7/1', { name: 'their-key', containers: [] })).status, 200);
    const routes: Array<[string, string, unknown]> = [
      ['GET', '', undefined],
      ['POST', '', { name: 'their-key', containers: [] }],
      ['GET', '/their-key', undefined],
      ['PATCH', '/their-key', { is_disabled: true }],
      ['DELETE', '/their-key', undefined],
    ];
    for (const [m, suffix, body] of routes) {
      const foreign = await as(mine, m, `/7/1${suffix}`, body);
      const missing = await as(mine, m, `/8/1${suffix}`, body);
      assert.deepEqual([foreign.status, errorBody(foreign)], [404, { exception_class: 'NotFoundError', message: 'Project 7 could not be found', request_id: '…' }], `${m} ${suffix}`);
      assert.deepEqual([missing.status, errorBody(missing)], [404, { exception_class: 'NotFoundError', message: 'Project 8 could not be found', request_id: '…' }]);
      assert.deepEqual(Object.fromEntries([...foreign.headers].filter(([k]) => !['x-request-id', 'date', 'content-length'].includes(k))), Object.fromEntries([...missing.headers].filter(([k]) => !['x-request-id', 'date', 'content-length'].includes(k))));
    }
    const still = await as(theirs, 'GET', '/7/1/their-key');
    assert.deepEqual([still.status, still.json().is_disabled], [200, false]);
  });

  it('a URL the router cannot decode or match still gets Gcore\'s body, after authentication', async () => {
    const token = await s.token('read', 'acme');
    const bad = await as(token, 'GET', '/1/1/%FF');
    assert.deepEqual([bad.status, errorBody(bad)], [400, { exception_class: 'HTTPError', message: 'HTTP 400: Bad Request', request_id: '…' }]);
    const anon = await s.request('GET', `${BASE}/%E0%A4%A/1`);
    assert.deepEqual([anon.status, errorBody(anon)], [401, { exception_class: 'not_authenticated', message: 'Authentication credentials were not provided.', request_id: '…' }]);
    const long = await as(token, 'GET', `/1/1/${'k'.repeat(1001)}`);
    assert.deepEqual([long.status, errorBody(long)], [414, { exception_class: 'HTTPError', message: 'HTTP 414: Request-URI Too Long', request_id: '…' }]);
    const elsewhere = await s.request('GET', '/api/v1/security/keys/%FF');
    assert.deepEqual([elsewhere.status, elsewhere.json()], [400, { message: 'Invalid request.', error: 'Malformed request.' }], 'other surfaces answer in their own dialect');
  });

  it('an oversized body is 413 in Gcore\'s format', async () => {
    const token = await s.token('write', 'acme');
    const r = await s.request('POST', `${BASE}/1/1`, { raw: JSON.stringify({ name: 'big', containers: [], description: 'x'.repeat(s.config.bodyLimit) }), headers: { authorization: `APIKey ${token}` } });
    assert.deepEqual([r.status, errorBody(r)], [413, { exception_class: 'HTTPError', message: 'HTTP 413: Request Entity Too Large', request_id: '…' }]);
  });

  it('an unexpected failure is a 500 InternalServerError: the cause goes to the log, never to the client', async () => {
    const token = await s.token('root', 'acme');
    // expiry_notices references caas_keys (PostgreSQL refuses to drop a referenced table).
    await s.runtime.db.db.schema.dropTable('expiry_notices').execute();
    await s.runtime.db.db.schema.dropTable('caas_keys').execute();
    for (const [m, p, body] of [['GET', '/1/1', undefined], ['POST', '/1/1', { name: 'after', containers: [] }], ['GET', '/1/1/k1']] as const) {
      const r = await as(token, m, p, body);
      const payload = errorBody(r);
      assert.deepEqual([r.status, payload], [500, { exception_class: 'InternalServerError', message: 'Internal server error', request_id: '…' }], `${m} ${p}`);
      const logged = s.logs.filter((l) => l.includes(r.json().request_id) && l.includes('"level":50'));
      assert.equal(logged.length, 1, 'one error line with the request id');
      assert.match(logged[0]!, /caas_keys/, 'the cause is in the log');
    }
  });
});
