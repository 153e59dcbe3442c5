import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { isWellFormedApiKey, sha256Hex } from '../../src/crypto/secret.js';
import { dialectUnderTest } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const BASE = '/cloud/v1/caas/keys';
const at = (iso: string) => Date.parse(iso);
const PATTERN = "'^[a-z][-a-z0-9]{0,62}[a-z0-9]$'";
/** The token in every request of spec section 9, installed as token 7 so the examples run unchanged. */
const SPEC_TOKEN = '7|Hq7Tz2WcN5bLx9RkV4mJd8FsP1gYa6UeC3nQw0Zt3f1c9a2b';

async function installSpecToken(s: TestServer, team: string, at: number): Promise<string> {
  const t = (await s.runtime.store.teams.findByName(team)) ?? (await s.runtime.services.teams.create(team));
  await s.runtime.db.db
    .insertInto('api_tokens')
    .values({ id: 7, team_id: t.id, name: 'spec', token_hash: sha256Hex(SPEC_TOKEN.split('|')[1]!), abilities: JSON.stringify(['read', 'write']), created_at: at, expires_at: null, revoked_at: null, last_used_at: null })
    .execute();
  return SPEC_TOKEN;
}

/** Drops the values that differ per run, keeping every key and its position. */
function stable(body: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...body };
  if ('request_id' in out) {
    assert.match(out.request_id as string, /^[0-9a-f]{32}$/);
    out.request_id = '…';
  }
  if ('secret' in out) {
    assert.ok(isWellFormedApiKey(out.secret as string), `secret ${String(out.secret)} is well formed`);
    out.secret = '…';
  }
  return out;
}

describe('Gcore CaaS keys: the spec\'s worked examples (section 9)', () => {
  let s: TestServer;
  let now = at('2026-08-22T10:11:12Z');
  let token: string;
  const req = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    s.request(method, BASE + path, { body, headers: { authorization: `APIKey ${token}`, ...extra } });

  before(async () => {
    s = await startTestServer({ clock: () => now });
    token = await installSpecToken(s, 'acme', now);
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
  });
  after(() => s.close());

  const myKey = {
    containers: [{ name: 'my-container', namespace: 'default' }],
    created_at: '2026-08-22T10:11:12Z',
    description: 'my first key',
    expire: '2026-12-31T23:59:59Z',
    is_disabled: false,
    name: 'my-key',
    source: 'cloud',
    status: 'Active',
  };
  const ciReader = { containers: [], created_at: '2026-08-22T10:15:00Z', description: '', expire: null, is_disabled: true, name: 'ci-reader', source: 'cloud', status: 'Disabled' };

  it('create answers 200 with the secret, keys in alphabetical order', async () => {
    const r = await req('POST', '/1/1', { name: 'my-key', description: 'my first key', containers: [{ name: 'my-container', namespace: 'default' }], expire: '2026-12-31T23:59:59Z' });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json()), ['containers', 'created_at', 'description', 'expire', 'is_disabled', 'name', 'secret', 'source', 'status']);
    assert.deepEqual(stable(r.json()), { ...myKey, secret: '…', source: 'cloud', status: 'Active' });
    now = at('2026-08-22T10:15:00Z');
    const m = await req('POST', '/1/1', { name: 'ci-reader', containers: [], is_disabled: true });
    assert.deepEqual(stable(m.json()), { ...ciReader, secret: '…' });
    now = at('2026-08-22T10:20:00Z');
  });

  it('get and list, with pagination edges', async () => {
    assert.deepEqual((await req('GET', '/1/1/my-key')).json(), myKey);
    assert.equal((await req('GET', '/1/1/my-key')).text, JSON.stringify(myKey));
    assert.deepEqual((await req('GET', '/1/1?limit=1000&offset=0')).json(), { count: 2, results: [myKey, ciReader] });
    assert.deepEqual((await req('GET', '/1/1')).json(), { count: 2, results: [myKey, ciReader] });
    assert.deepEqual((await req('GET', '/1/1?limit=1&offset=1')).json(), { count: 2, results: [ciReader] });
    assert.deepEqual((await req('GET', '/1/1?limit=1')).json(), { count: 2, results: [myKey] });
    assert.deepEqual((await req('GET', '/1/1?offset=5')).json(), { count: 2, results: [] });
    assert.deepEqual((await req('GET', '/1/1?offset=2')).json(), { count: 2, results: [] });
    assert.deepEqual((await req('GET', '/1/2')).json().exception_class, 'NotFoundError');
    await s.runtime.services.projects.createRegion({ id: 2, name: 'second' });
    assert.deepEqual((await req('GET', '/1/2')).json(), { count: 0, results: [] });
    assert.equal((await req('POST', '/1/2', { name: 'my-key', containers: [] })).status, 200, 'same name in another region');
  });

  it('PATCH: absent unchanged, expire null clears, containers replace, nulls ignored', async () => {
    const patch = async (body: unknown) => (await req('PATCH', '/1/1/my-key', body)).json();
    assert.deepEqual(await patch({ expire: null }), { ...myKey, expire: null, status: 'Active' });
    assert.deepEqual(await patch({ expire: '2026-08-01T00:00:00+02:00' }), { ...myKey, expire: '2026-07-31T22:00:00Z', status: 'Expired' });
    assert.deepEqual(await patch({ expire: '2026-12-31T23:59:59.999Z' }), myKey, 'fraction truncated');
    assert.deepEqual(await patch({ containers: [{ name: 'api', namespace: 'default' }] }), { ...myKey, containers: [{ name: 'api', namespace: 'default' }] });
    assert.deepEqual(await patch({ containers: [{ name: 'api', namespace: 'default' }, { name: 'web', namespace: 'x' }, { name: 'api', namespace: 'default' }] }), { ...myKey, containers: [{ name: 'api', namespace: 'default' }, { name: 'web', namespace: 'x' }] }, 'duplicates collapse onto the first');
    assert.deepEqual(await patch({ containers: [{ name: 'my-container', namespace: 'default' }] }), myKey);
    assert.deepEqual(await patch({ description: null, is_disabled: true }), { ...myKey, is_disabled: true, status: 'Disabled' });
    assert.deepEqual(await patch({ is_disabled: false, containers: null }), myKey, 're-enabled');
    const full = await req('PATCH', '/1/1/my-key', { is_disabled: true });
    assert.equal(full.text, JSON.stringify({ ...myKey, is_disabled: true, status: 'Disabled' }), 'the full response of the spec, byte for byte');
    assert.deepEqual(await patch({ is_disabled: false }), myKey);
    assert.deepEqual(await patch({ name: 'renamed' }), myKey);
    assert.deepEqual(await patch({}), myKey);
    const empty = await s.request('PATCH', `${BASE}/1/1/my-key`, { headers: { authorization: `APIKey ${token}` } });
    assert.deepEqual([empty.status, empty.json()], [200, myKey]);
    assert.deepEqual(await patch({ description: '' }), { ...myKey, description: '' });
    assert.deepEqual(await patch({ description: 'my first key', expire: '2026-12-31T23:59:59' }), myKey, 'no offset means UTC');
  });

  it('status follows the clock: Active until the expiry second, then Expired', async () => {
    await req('PATCH', '/1/1/my-key', { expire: '2026-08-22T10:20:05Z' });
    assert.equal((await req('GET', '/1/1/my-key')).json().status, 'Active');
    now = at('2026-08-22T10:20:05Z');
    assert.equal((await req('GET', '/1/1/my-key')).json().status, 'Expired');
    assert.equal((await req('PATCH', '/1/1/my-key', { is_disabled: true })).json().status, 'Disabled', 'Disabled wins');
    await req('PATCH', '/1/1/my-key', { is_disabled: false, expire: '2026-12-31T23:59:59Z' });
    now = at('2026-08-22T10:20:00Z');
  });

  const errors: Array<[string, string, string, unknown, number, Record<string, unknown>]> = [
    ['bad name', 'POST', '/1/1', { name: 'My_Key', containers: [] }, 400, { exception_class: 'ValidationError', message: `Validation Error: {'name': ["String should match pattern ${PATTERN}"]}`, request_id: '…', invalid_fields: { name: [`String should match pattern ${PATTERN}`] } }],
    ['empty object', 'POST', '/1/1', {}, 400, { exception_class: 'ValidationError', message: "Validation Error: {'containers': ['Field required'], 'name': ['Field required']}", request_id: '…', invalid_fields: { containers: ['Field required'], name: ['Field required'] } }],
    ['nested and datetime', 'POST', '/1/1', { name: 'k1', containers: [{ name: 'web' }], expire: 'soon' }, 400, { exception_class: 'ValidationError', message: "Validation Error: {'containers.0.namespace': ['Field required'], 'expire': ['Input should be a valid datetime']}", request_id: '…', invalid_fields: { 'containers.0.namespace': ['Field required'], expire: ['Input should be a valid datetime'] } }],
    ['limit 0', 'GET', '/1/1?limit=0', undefined, 400, { exception_class: 'ValidationError', message: "Validation Error: {'limit': ['Input should be greater than 0']}", request_id: '…', invalid_fields: { limit: ['Input should be greater than 0'] } }],
    ['non-integer project', 'GET', '/abc/1', undefined, 400, { exception_class: 'ValidationError', message: "Validation Error: {'project_id': ['Input should be a valid integer, unable to parse string as an integer']}", request_id: '…', invalid_fields: { project_id: ['Input should be a valid integer, unable to parse string as an integer'] } }],
    ['non-boolean', 'PATCH', '/1/1/my-key', { is_disabled: 'yes' }, 400, { exception_class: 'ValidationError', message: "Validation Error: {'is_disabled': ['Input should be a valid boolean']}", request_id: '…', invalid_fields: { is_disabled: ['Input should be a valid boolean'] } }],
    ['unknown key', 'GET', '/1/1/nope', undefined, 404, { exception_class: 'NotFoundError', message: 'API key nope could not be found', request_id: '…' }],
    ['unknown key on PATCH', 'PATCH', '/1/1/nope', { description: 'x' }, 404, { exception_class: 'NotFoundError', message: 'API key nope could not be found', request_id: '…' }],
    ['unknown key on DELETE', 'DELETE', '/1/1/nope', undefined, 404, { exception_class: 'NotFoundError', message: 'API key nope could not be found', request_id: '…' }],
    ['duplicate', 'POST', '/1/1', { name: 'my-key', containers: [] }, 409, { exception_class: 'ConflictError', message: 'API key my-key already exists', request_id: '…' }],
    ['wrong method', 'PUT', '/1/1/my-key', {}, 405, { exception_class: 'HTTPError', message: 'HTTP 405: Method Not Allowed', request_id: '…' }],
    ['unknown path', 'GET', '/1/1/my-key/extra', undefined, 404, { exception_class: 'HTTPError', message: 'HTTP 404: Not Found', request_id: '…' }],
    ['limit too big', 'GET', '/1/1?limit=1001&offset=-1', undefined, 400, { exception_class: 'ValidationError', message: "Validation Error: {'limit': ['Input should be less than or equal to 1000'], 'offset': ['Input should be greater than or equal to 0']}", request_id: '…', invalid_fields: { limit: ['Input should be less than or equal to 1000'], offset: ['Input should be greater than or equal to 0'] } }],
    ['path, query and body together', 'POST', '/x/y', { name: 5, containers: 'no', is_disabled: 1 }, 400, { exception_class: 'ValidationError', message: "Validation Error: {'project_id': ['Input should be a valid integer, unable to parse string as an integer'], 'region_id': ['Input should be a valid integer, unable to parse string as an integer'], 'containers': ['Input should be a valid list'], 'is_disabled': ['Input should be a valid boolean'], 'name': ['Input should be a valid string']}", request_id: '…', invalid_fields: { project_id: ['Input should be a valid integer, unable to parse string as an integer'], region_id: ['Input should be a valid integer, unable to parse string as an integer'], containers: ['Input should be a valid list'], is_disabled: ['Input should be a valid boolean'], name: ['Input should be a valid string'] } }],
    ['container not an object', 'POST', '/1/1', { name: 'k2', containers: ['web'] }, 400, { exception_class: 'ValidationError', message: "Validation Error: {'containers.0': ['Input should be a valid dictionary or instance of CaasNamespacedName']}", request_id: '…', invalid_fields: { 'containers.0': ['Input should be a valid dictionary or instance of CaasNamespacedName'] } }],
    ['array body', 'POST', '/1/1', [1], 400, { exception_class: 'ValidationError', message: "Validation Error: {'body': ['Input should be a valid dictionary']}", request_id: '…', invalid_fields: { body: ['Input should be a valid dictionary'] } }],
    ['project id too large', 'GET', '/2147483648/1', undefined, 400, { exception_class: 'ValidationError', message: "Validation Error: {'project_id': ['Input should be less than or equal to 2147483647']}", request_id: '…', invalid_fields: { project_id: ['Input should be less than or equal to 2147483647'] } }],
  ];
  for (const [label, method, path, body, status, expected] of errors) {
    it(`${method} ${label} → ${status}`, async () => {
      const r = await req(method, path, body);
      assert.equal(r.status, status, r.text);
      assert.equal(r.headers.get('x-request-id'), r.json().request_id);
      assert.deepEqual(stable(r.json()), expected);
      assert.deepEqual(Object.keys(r.json()), Object.keys(expected));
    });
  }

  it('the 401 and 403 rows, with the spec\'s own headers', async () => {
    const rows: Array<[Record<string, string>, string, string]> = [
      [{}, 'not_authenticated', 'Authentication credentials were not provided.'],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 'token_not_valid', 'Given token not valid for any token type'],
      [{ authorization: 'APIKey 7' }, 'token_not_valid', 'Bad permanent token: 7'],
      [{ authorization: `apikey 7|wrong${SPEC_TOKEN.slice(7)}` }, 'token_not_valid', 'Token is invalid or expired'],
    ];
    for (const [headers, cls, message] of rows) {
      const r = await s.request('GET', `${BASE}/1/1/my-key`, { headers });
      assert.deepEqual([r.status, stable(r.json())], [401, { exception_class: cls, message, request_id: '…' }]);
    }
    const read = await s.token('read', 'acme');
    for (const [method, path, body] of [['POST', '/1/1', { name: 'x9', containers: [] }], ['PATCH', '/1/1/my-key', {}], ['DELETE', '/1/1/my-key', undefined]] as const) {
      const r = await s.request(method, BASE + path, { body, headers: { authorization: `APIKey ${read}` } });
      assert.deepEqual([r.status, stable(r.json())], [403, { exception_class: 'ForbiddenError', message: 'You do not have permission to perform this action.', request_id: '…' }]);
    }
  });

  it('invalid JSON, whatever the Content-Type', async () => {
    for (const ct of ['application/json', 'text/plain', '%%%']) {
      const r = await s.request('POST', `${BASE}/1/1`, { raw: '{"name":', headers: { authorization: `APIKey ${token}`, 'content-type': ct } });
      assert.deepEqual(stable(r.json()), { exception_class: 'ValidationError', message: "Validation Error: {'body': ['Invalid JSON']}", request_id: '…', invalid_fields: { body: ['Invalid JSON'] } });
    }
    const ok = await s.request('POST', `${BASE}/1/1`, { raw: '{"name":"plain-text","containers":[]}', headers: { authorization: `APIKey ${token}`, 'content-type': 'text/plain' } });
    assert.equal(ok.status, 200);
  });

  it('the upstream OpenAPI examples run unchanged (an expiry in the past gives Expired)', async () => {
    const r = await req('POST', '/1/1', { name: 'openapi-example', description: 'my first key', containers: [{ name: 'my-container', namespace: 'space' }], expire: '2023-07-31T00:00:00Z', is_disabled: false });
    assert.deepEqual(stable(r.json()), {
      containers: [{ name: 'my-container', namespace: 'space' }],
      created_at: '2026-08-22T10:20:00Z',
      description: 'my first key',
      expire: '2023-07-31T00:00:00Z',
      is_disabled: false,
      name: 'openapi-example',
      secret: '…',
      source: 'cloud',
      status: 'Expired',
    });
    assert.ok((await req('GET', '/1/1?limit=1000&offset=0')).json().results.some((k: { name: string }) => k.name === 'openapi-example'));
    assert.equal((await req('DELETE', '/1/1/openapi-example')).status, 204);
  });

  it('405 names the allowed methods; delete answers 204 with no body and frees the name', async () => {
    const put = await req('PUT', '/1/1/my-key', {});
    assert.equal(put.headers.get('allow'), 'GET, PATCH, DELETE');
    assert.equal((await req('DELETE', '/1/1')).headers.get('allow'), 'GET, POST');
    const del = await req('DELETE', '/1/1/my-key');
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    assert.equal(del.headers.get('content-type'), null);
    assert.equal((await req('DELETE', '/1/1/my-key')).status, 404);
    assert.equal((await req('POST', '/1/1', { name: 'my-key', containers: [] })).status, 200);
  });

  it('every change is audited with field names only', async () => {
    const rows = (await s.runtime.store.audit.list()).filter((a) => a.resourceType === 'caas_key');
    assert.ok(rows.length >= 10);
    assert.deepEqual(rows[0]!.changed, ['name', 'description', 'containers', 'expire', 'is_disabled']);
    assert.ok(rows.some((r) => r.action === 'caas_key.update' && r.changed.join() === 'expire'));
    assert.ok(rows.some((r) => r.action === 'caas_key.delete' && r.resourceId === '1/1/my-key'));
  });
});

describe('Gcore CaaS keys: authentication, abilities and tenancy', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
    await s.token('read', 'acme');
    await s.token('read', 'other');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    await s.runtime.services.projects.createProject({ team: 'other', id: 7 });
  });
  after(() => s.close());
  const call = (authorization: string | undefined, method = 'GET', path = '/1/1', body?: unknown) =>
    s.request(method, BASE + path, { body, headers: authorization === undefined ? {} : { authorization } });

  it('answers each 401 case with its class and message', async () => {
    const token = await s.token('read,write');
    const cases: Array<[string | undefined, string, string]> = [
      [undefined, 'not_authenticated', 'Authentication credentials were not provided.'],
      ['', 'not_authenticated', 'Authentication credentials were not provided.'],
      ['APIKey', 'not_authenticated', 'Authentication credentials were not provided.'],
      ['Basic dXNlcjpwYXNz', 'token_not_valid', 'Given token not valid for any token type'],
      // Not of our format: neither `<digits>|<something>` nor a bare 48-character secret.
      ['APIKey 7', 'token_not_valid', 'Bad permanent token: 7'],
      ['APIKey 7|', 'token_not_valid', 'Bad permanent token: 7|'],
      ['APIKey |abc', 'token_not_valid', 'Bad permanent token: |abc'],
      ['APIKey x7|abcdefghij', 'token_not_valid', 'Bad permanent token: x7|abcde'],
      [`APIKey ${token.split('|')[1]!.slice(0, 30)}`, 'token_not_valid', `Bad permanent token: ${token.split('|')[1]!.slice(0, 8)}`],
      [`APIKey ${token.split('|')[1]!}x`, 'token_not_valid', `Bad permanent token: ${token.split('|')[1]!.slice(0, 8)}`],
      // Of our format, but no such live token.
      ['apikey 7|wrong', 'token_not_valid', 'Token is invalid or expired'],
      ['APIKey ' + token.slice(0, 20), 'token_not_valid', 'Token is invalid or expired'],
      [`APIKey ${token}x`, 'token_not_valid', 'Token is invalid or expired'],
      [`apikey 7|${'w'.repeat(40)}0000abcd`, 'token_not_valid', 'Token is invalid or expired'],
      [`APIKey 99999999999|${'w'.repeat(40)}0000abcd`, 'token_not_valid', 'Token is invalid or expired'],
      [`APIKey ${token.split('|')[1]!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, 'token_not_valid', 'Token is invalid or expired'],
    ];
    for (const [auth, cls, message] of cases) {
      for (const [method, path] of [['GET', '/1/1'], ['POST', '/1/1'], ['PUT', '/1/1/k'], ['GET', '/nowhere/at/all/x/y']]) {
        const r = await call(auth, method, path);
        assert.equal(r.status, 401, `${auth} ${method} ${path}`);
        assert.deepEqual(stable(r.json()), { exception_class: cls, message, request_id: '…' });
      }
    }
  });

  it('accepts APIKey and Bearer in any case with any spacing; refuses revoked and expired tokens', async () => {
    const token = await s.token('read');
    for (const h of [`APIKey ${token}`, `apikey ${token}`, `APIKEY    ${token}`, `Bearer ${token}`, `bearer ${token}`]) {
      assert.equal((await call(h)).status, 200, h);
    }
    await s.runtime.services.tokens.revoke(Number(token.split('|')[0]));
    assert.equal((await call(`APIKey ${token}`)).json().message, 'Token is invalid or expired');
    const short = await s.token('read', 'acme', { expiresInMs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await call(`APIKey ${short}`)).status, 401);
  });

  it('needs read for GET and write for changes; root passes', async () => {
    const read = await s.token('read');
    const write = await s.token('write');
    const root = await s.token('root');
    const forbidden = { exception_class: 'ForbiddenError', message: 'You do not have permission to perform this action.', request_id: '…' };
    for (const [m, p, body] of [['POST', '/1/1', { name: 'x1', containers: [] }], ['PATCH', '/1/1/x1', {}], ['DELETE', '/1/1/x1', undefined]] as const) {
      const r = await call(`APIKey ${read}`, m, p, body);
      assert.deepEqual([r.status, stable(r.json())], [403, forbidden], m);
    }
    assert.deepEqual(stable((await call(`APIKey ${write}`)).json()), forbidden);
    assert.equal((await call(`APIKey ${write}`, 'POST', '/1/1', { name: 'x1', containers: [] })).status, 200);
    assert.equal((await call(`APIKey ${root}`, 'GET', '/1/1/x1')).status, 200);
    assert.equal((await call(`APIKey ${root}`, 'DELETE', '/1/1/x1')).status, 204);
  });

  it('another team\'s project looks exactly like a missing one', async () => {
    const token = await s.token('root', 'acme');
    const foreign = await call(`APIKey ${token}`, 'GET', '/7/1');
    const missing = await call(`APIKey ${token}`, 'GET', '/8/1');
    assert.deepEqual(stable(foreign.json()), { exception_class: 'NotFoundError', message: 'Project 7 could not be found', request_id: '…' });
    assert.deepEqual(stable(missing.json()), { exception_class: 'NotFoundError', message: 'Project 8 could not be found', request_id: '…' });
    assert.equal((await call(`APIKey ${token}`, 'POST', '/7/1', { name: 'sneaky', containers: [] })).status, 404);
    assert.deepEqual(stable((await call(`APIKey ${token}`, 'GET', '/1/9')).json()), { exception_class: 'NotFoundError', message: 'Region 9 could not be found', request_id: '…' });
  });
});

describe(`Gcore CaaS keys: secrets and hostile input (${dialectUnderTest})`, () => {
  it('stores the secret only as a digest: never in the database, the logs, or a later response', async () => {
    const s = await startTestServer({ config: { logLevel: 'trace' } });
    try {
      const token = await s.token('root');
      await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
      const auth = { authorization: `APIKey ${token}` };
      const created = await s.request('POST', `${BASE}/1/1`, { body: { name: 'secret-test', containers: [] }, headers: auth });
      const secret: string = created.json().secret;
      assert.match(secret, /^khk_[A-Za-z0-9_-]{43}[0-9a-f]{8}$/);
      const got = await s.request('GET', `${BASE}/1/1/secret-test`, { headers: auth });
      const list = await s.request('GET', `${BASE}/1/1`, { headers: auth });
      const patched = await s.request('PATCH', `${BASE}/1/1/secret-test`, { body: { description: 'x' }, headers: auth });
      for (const r of [got, list, patched]) assert.ok(!r.text.includes(secret.slice(4, 20)) && !('secret' in r.json()));
      const stored = await s.runtime.store.caasKeys.findByDigest(sha256Hex(secret));
      assert.equal(stored?.name, 'secret-test');
      assert.equal(stored?.secretStart, secret.slice(0, 12));
      const body = secret.slice(12);
      assert.ok(!s.logs.join('').includes(body), 'not in the logs');
      if (s.db.file) {
        for (const f of [s.db.file, `${s.db.file}-wal`]) if (fs.existsSync(f)) assert.ok(!fs.readFileSync(f).includes(body), `${f} has no secret`);
      }
    } finally {
      await s.close();
    }
  });

  it('never answers malformed input with a 500', async () => {
    const s = await startTestServer();
    try {
      const token = await s.token('root');
      await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
      const h = { authorization: `APIKey ${token}`, 'content-type': 'application/json' };
      const bodies: Array<string | Buffer> = ['['.repeat(100_000), Buffer.from([0xff, 0xfe, 0x00]), 'null', '"x"', '{"name":"ok","containers":[{"name":"a1","namespace":{"x":[]}}]}', '{"name":"\\u0000","containers":[]}', '{"name":"nul","description":"a\\u0000b","containers":[{"name":"ab","namespace":"x\\u0000"}]}', JSON.stringify({ name: 'big', containers: [], description: 'x'.repeat(70_000) })];
      for (const raw of bodies) {
        for (const [m, p] of [['POST', '/1/1'], ['PATCH', '/1/1/ok']]) {
          const r = await s.request(m!, `${BASE}${p}`, { raw, headers: h });
          assert.ok(r.status >= 400 && r.status < 500, `${m} ${String(raw).slice(0, 30)} → ${r.status} ${r.text.slice(0, 200)}`);
          assert.equal(typeof r.json().exception_class, 'string');
        }
      }
      assert.equal((await s.request('GET', `${BASE}/01/001`, { headers: h })).text, (await s.request('GET', `${BASE}/1/1`, { headers: h })).text, 'leading zeros parse as pydantic does');
      for (const p of ['/1/1/%00', '/1/1/' + 'n'.repeat(900), '/1/1/%E2%9C%93', '/1/1/..%2F..']) {
        const r = await s.request('GET', BASE + p, { headers: h });
        assert.ok(r.status === 404 || r.status === 400, `${p} → ${r.status} ${r.text}`);
      }
      const big = await s.request('POST', `${BASE}/1/1`, { raw: JSON.stringify({ name: 'big', containers: [], description: 'x'.repeat(70_000) }), headers: h });
      assert.deepEqual([big.status, big.json().exception_class], [413, 'HTTPError']);
      assert.ok(!s.logs.some((l) => l.includes('"level":50')), 'no error-level log');
    } finally {
      await s.close();
    }
  });
});
