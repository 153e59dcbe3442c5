import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newApiKeySecret } from '../../src/crypto/secret.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('gateway verification', () => {
  let s: TestServer;
  let now = Date.parse('2026-08-22T10:00:00Z');
  let admin: string;
  let verifier: string;
  let secret: string;
  const caas = (method: string, path: string, body?: unknown) => s.request(method, `/cloud/v1/caas/keys/1/1${path}`, { body, headers: { authorization: `APIKey ${admin}` } });
  const verify = (body: unknown, token = verifier) => s.request('POST', '/v1/keys/verify', { body, token });
  const web = { name: 'web', namespace: 'default' };

  before(async () => {
    s = await startTestServer({ clock: () => now });
    admin = await s.token('root');
    verifier = await s.token('verify');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    await s.runtime.services.projects.createRegion({ id: 2, name: 'two' });
    secret = (await caas('POST', '', { name: 'gw', containers: [web, { name: 'api', namespace: 'prod' }], expire: '2026-08-22T11:00:00Z' })).json().secret;
  });
  after(() => s.close());

  it('answers VALID with the key, without its secret', async () => {
    const r = await verify({ key: secret, container: web });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), {
      valid: true,
      code: 'VALID',
      key: { name: 'gw', project_id: 1, region_id: 1, status: 'Active', expire: '2026-08-22T11:00:00Z', containers: [web, { name: 'api', namespace: 'prod' }] },
    });
    assert.ok(!r.text.includes(secret));
    assert.equal((await verify({ key: secret, container: { name: 'api', namespace: 'prod' }, project_id: 1, region_id: 1 })).json().code, 'VALID');
  });

  it('tells every other outcome apart', async () => {
    const code = async (body: unknown) => (await verify(body)).json();
    assert.deepEqual(await code({ key: secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a'), container: web }), { valid: false, code: 'MALFORMED', key: null });
    assert.deepEqual(await code({ key: 'not-a-key', container: web }), { valid: false, code: 'MALFORMED', key: null });
    assert.deepEqual(await code({ key: newApiKeySecret(), container: web }), { valid: false, code: 'NOT_FOUND', key: null });
    assert.deepEqual(await code({ key: secret, container: web, project_id: 2 }), { valid: false, code: 'NOT_FOUND', key: null });
    assert.deepEqual(await code({ key: secret, container: web, region_id: 2 }), { valid: false, code: 'NOT_FOUND', key: null });
    const wrong = await code({ key: secret, container: { name: 'web', namespace: 'prod' } });
    assert.deepEqual([wrong.valid, wrong.code, wrong.key.name], [false, 'FORBIDDEN_CONTAINER', 'gw']);
    assert.equal((await code({ key: secret, container: { name: 'web' } })).code, 'VALID', 'namespace defaults to "default"');
  });

  it('sees every write through this process on the very next verification', async () => {
    assert.equal((await verify({ key: secret, container: web })).json().code, 'VALID');
    const before = s.runtime.services.verify.stats().hits;
    assert.equal((await verify({ key: secret, container: web })).json().code, 'VALID');
    assert.equal(s.runtime.services.verify.stats().hits, before + 1, 'served from the cache');

    await caas('PATCH', '/gw', { is_disabled: true });
    assert.equal((await verify({ key: secret, container: web })).json().code, 'DISABLED');
    await caas('PATCH', '/gw', { is_disabled: false });
    assert.equal((await verify({ key: secret, container: web })).json().code, 'VALID');
    await caas('PATCH', '/gw', { containers: [{ name: 'api', namespace: 'prod' }] });
    assert.equal((await verify({ key: secret, container: web })).json().code, 'FORBIDDEN_CONTAINER');
    await caas('PATCH', '/gw', { containers: [web] });
    assert.equal((await verify({ key: secret, container: web })).json().code, 'VALID');
    now = Date.parse('2026-08-22T11:00:00Z');
    assert.equal((await verify({ key: secret, container: web })).json().code, 'EXPIRED', 'expiry is judged at verification time, even from the cache');
    await caas('PATCH', '/gw', { expire: null });
    assert.equal((await verify({ key: secret, container: web })).json().code, 'VALID');
  });

  it('records last_used_at off the hot path', async () => {
    now = Date.parse('2026-08-22T12:00:00Z');
    await verify({ key: secret, container: web });
    await s.runtime.services.verify.flushUsage();
    const row = await s.runtime.store.caasKeys.findByName(1, 1, 'gw');
    assert.equal(row?.lastUsedAt, now);
  });

  it('needs a token with verify (or root); bad bodies get 400', async () => {
    assert.equal((await s.request('POST', '/v1/keys/verify', { body: { key: secret, container: web } })).status, 401);
    assert.equal((await verify({ key: secret, container: web }, '1|nope')).status, 401);
    const read = await s.token('read,write');
    const r = await verify({ key: secret, container: web }, read);
    assert.equal(r.status, 403);
    assert.deepEqual(Object.keys(r.json().error), ['code', 'message', 'request_id']);
    assert.equal((await verify({ key: secret, container: web }, admin)).json().code, 'VALID');
    for (const bad of [{}, { key: 5, container: web }, { key: secret }, { key: secret, container: 'web' }, { key: secret, container: web, project_id: 'x' }, [1]]) {
      const b = await verify(bad);
      assert.equal(b.status, 400, JSON.stringify(bad));
      assert.equal(b.json().error.code, 'bad_request');
    }
    const raw = await s.request('POST', '/v1/keys/verify', { token: verifier, raw: '{"key":', headers: { 'content-type': 'application/json' } });
    assert.equal(raw.status, 400);
  });

  it('forward-auth: 204 with the key name, 401 or 403 otherwise', async () => {
    const fa = (headers: Record<string, string>, q = '?container=web') => s.request('GET', `/v1/forward-auth${q}`, { headers });
    const ok = await fa({ 'x-api-key': secret });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('x-keyhold-key-name'), 'gw');
    assert.equal((await fa({ authorization: `Bearer ${secret}` })).status, 204);
    assert.equal((await fa({ 'x-api-key': secret, 'x-container-name': 'web' }, '')).status, 204, 'container from a header');
    assert.equal((await s.request('POST', '/v1/forward-auth?container=web', { headers: { 'x-api-key': secret }, raw: 'ignored' })).status, 204, 'any method');
    assert.equal((await fa({})).status, 401);
    assert.equal((await fa({ 'x-api-key': 'garbage' })).status, 401);
    assert.equal((await fa({ 'x-api-key': newApiKeySecret() })).json().code, 'NOT_FOUND');
    assert.equal((await fa({ 'x-api-key': secret }, '?container=api&namespace=prod')).status, 403);
    assert.equal((await fa({ 'x-api-key': secret }, '')).status, 400, 'no container named');
    assert.ok(!s.logs.join('').includes(secret.slice(12)), 'the key is never logged');
  });

  it('refuses malformed keys without touching the database', async () => {
    await verify({ key: secret, container: web }); // the gateway's own token is now remembered
    await s.runtime.db.close(); // from here on, any query fails
    const r = await verify({ key: 'khk_definitely-not-valid', container: web });
    assert.deepEqual(r.json(), { valid: false, code: 'MALFORMED', key: null });
    assert.equal((await s.request('GET', '/v1/forward-auth?container=web', { headers: { 'x-api-key': 'x' } })).status, 401);
  });
});
