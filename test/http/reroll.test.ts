import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Rerolling an API key: a new secret and nothing else; the old one verifies (with `rotating_until`)
 * until its grace period ends, then nowhere, even from the verification cache; a second reroll ends
 * the first old secret at once. The Gcore surface shows none of it.
 */
describe(`API key reroll (${dialectUnderTest})`, () => {
  let s: TestServer;
  let now = Date.parse('2026-05-04T08:00:00Z');
  let root: string;
  let gateway: string;
  const web = { name: 'web', namespace: 'default' };
  const call = (method: string, path: string, token: string | undefined, body?: unknown) => s.request(method, path, { token, body });
  const verify = async (key: string) => (await call('POST', '/v1/keys/verify', gateway, { key, container: web })).json();
  const reroll = (name: string, body: unknown = {}, token = root) => call('POST', `/v1/api-keys/1/1/${name}/reroll`, token, body);
  const create = async (name: string, extra: object = {}) => {
    const r = await call('POST', '/v1/api-keys', root, { project_id: 1, region_id: 1, name, containers: [web, { name: 'api', namespace: 'prod' }], ...extra });
    assert.equal(r.status, 201, r.text);
    return r.json().secret as string;
  };

  before(async () => {
    s = await startTestServer({ clock: () => now });
    root = await s.token('root');
    gateway = await s.token('verify');
    await s.token('root', 'other');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
  });
  after(() => s.close());

  it('changes the secret and nothing else; both secrets verify during the grace period, the old one with rotating_until', async () => {
    const old = await create('svc', { description: 'billing', expire: '2027-01-01T00:00:00Z' });
    assert.equal((await verify(old)).code, 'VALID');
    assert.equal((await verify(old)).code, 'VALID'); // cached as the current secret
    // last_used_at is written by a timer: written now, so that it cannot land between the two reads.
    await s.runtime.services.verify.flushUsage();
    const before = (await call('GET', '/v1/api-keys/1/1/svc', root)).json();
    const gcoreBefore = (await s.request('GET', '/cloud/v1/caas/keys/1/1/svc', { headers: { authorization: `APIKey ${root}` } })).text;
    assert.equal(before.rotating_until, null);

    const r = await reroll('svc', { grace_seconds: 3600 });
    assert.equal(r.status, 201, r.text);
    const { secret, ...rerolled } = r.json();
    assert.notEqual(secret, old);
    const until = new Date(now + 3600_000).toISOString();
    assert.equal(rerolled.rotating_until, until);
    const after = (await call('GET', '/v1/api-keys/1/1/svc', root)).json();
    assert.deepEqual(after, rerolled);
    assert.equal(secret.slice(0, after.secret_prefix.length), after.secret_prefix);
    // Every attribute but the secret's own (its prefix, and the grace period of the one it replaced) is the same.
    assert.deepEqual({ ...after, secret_prefix: 'x', rotating_until: 'x' }, { ...before, secret_prefix: 'x', rotating_until: 'x' });
    // The Gcore surface is byte for byte what it was: it has no word for any of this.
    assert.equal((await s.request('GET', '/cloud/v1/caas/keys/1/1/svc', { headers: { authorization: `APIKey ${root}` } })).text, gcoreBefore);

    const fresh = await verify(secret);
    assert.deepEqual([fresh.code, 'rotating_until' in fresh], ['VALID', false]);
    const rotating = await verify(old);
    assert.deepEqual([rotating.code, rotating.rotating_until, rotating.key.name], ['VALID', until, 'svc']);
    const fa = await s.request('GET', '/v1/forward-auth?container=web', { headers: { 'x-api-key': old } });
    assert.deepEqual([fa.status, fa.headers.get('x-keyhold-rotating-until')], [204, until]);
    const faNew = await s.request('GET', '/v1/forward-auth?container=web', { headers: { 'x-api-key': secret } });
    assert.deepEqual([faNew.status, faNew.headers.get('x-keyhold-rotating-until')], [204, null]);
    const listed = (await call('GET', '/v1/api-keys?q=svc', root)).json().keys[0];
    assert.equal(listed.rotating_until, until);

    // The old secret follows the key: disabling it refuses both.
    await call('PATCH', '/v1/api-keys/1/1/svc', root, { is_disabled: true });
    assert.deepEqual([(await verify(old)).code, (await verify(secret)).code], ['DISABLED', 'DISABLED']);
    await call('PATCH', '/v1/api-keys/1/1/svc', root, { is_disabled: false });

    // At the end of the grace period the old secret is refused, though its verdict was cached a moment ago.
    assert.equal((await verify(old)).code, 'VALID');
    const hits = s.runtime.services.verify.stats().hits;
    assert.equal((await verify(old)).code, 'VALID');
    assert.equal(s.runtime.services.verify.stats().hits, hits + 1, 'answered from the cache');
    now += 3600_000 - 1;
    assert.equal((await verify(old)).code, 'VALID');
    now += 1;
    assert.deepEqual(await verify(old), { valid: false, code: 'NOT_FOUND', key: null });
    assert.equal((await verify(secret)).code, 'VALID');
    assert.equal((await call('GET', '/v1/api-keys/1/1/svc', root)).json().rotating_until, null);

    const audit = (await call('GET', '/v1/audit?resource=caas_key:1/1/svc', root)).json().events.find((e: { action: string }) => e.action === 'caas_key.reroll');
    assert.deepEqual(audit.changed_fields, ['secret', 'grace_seconds=3600']);
    assert.ok(!JSON.stringify(audit).includes(secret) && !JSON.stringify(audit).includes(old));
  });

  it('a second reroll during the grace period ends the first old secret at once: never more than two secrets', async () => {
    const first = await create('twice');
    const second = (await reroll('twice', { grace_seconds: 600 })).json().secret as string;
    assert.deepEqual([(await verify(first)).code, (await verify(second)).code], ['VALID', 'VALID']);
    assert.ok((await verify(first)).rotating_until);
    const third = (await reroll('twice', { grace_seconds: 600 })).json().secret as string;
    assert.equal((await verify(first)).code, 'NOT_FOUND', 'the first secret ends at once, cached or not');
    const second2 = await verify(second);
    assert.deepEqual([second2.code, second2.rotating_until], ['VALID', new Date(now + 600_000).toISOString()]);
    assert.equal((await verify(third)).code, 'VALID');

    // A grace period shorter than the cache's lifetime still ends on time: the entry dies with it.
    const short = (await reroll('twice', { grace_seconds: 10 })).json().secret as string;
    assert.equal((await verify(third)).code, 'VALID');
    assert.equal((await verify(third)).code, 'VALID');
    const { misses } = s.runtime.services.verify.stats();
    now += 10_000;
    assert.equal((await verify(third)).code, 'NOT_FOUND');
    assert.equal(s.runtime.services.verify.stats().misses, misses + 1, 'the cached entry ended with the grace period (cache lifetime is 30 s)');
    assert.equal((await verify(short)).code, 'VALID');

    // Without a grace period the replaced secret stops at once.
    const fourth = (await reroll('twice')).json().secret as string;
    assert.deepEqual([(await verify(second)).code, (await verify(short)).code, (await verify(fourth)).code], ['NOT_FOUND', 'NOT_FOUND', 'VALID']);
    assert.equal((await call('GET', '/v1/api-keys/1/1/twice', root)).json().rotating_until, null);
  });

  it('keeps a disabled, expiring key disabled and expiring; validates the grace period; write ability; other teams 404', async () => {
    await create('kept', { is_disabled: true, expire: '2026-12-31T23:59:59Z' });
    const r = await reroll('kept', { grace_seconds: 60 });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.json().is_disabled, r.json().expire, r.json().status], [true, '2026-12-31T23:59:59Z', 'Disabled']);
    assert.equal((await verify(r.json().secret)).code, 'DISABLED');

    for (const body of [{ grace_seconds: 30 * 86_400 + 1 }, { grace_seconds: -1 }, { grace_seconds: 1.5 }, { grace_seconds: '60' }, { grace: 60 }]) {
      const bad = await reroll('kept', body);
      assert.equal(bad.status, 400, `${JSON.stringify(body)}: ${bad.text}`);
    }
    assert.equal((await reroll('kept', { grace_seconds: 30 * 86_400 })).status, 201, 'up to 30 days');
    assert.equal((await reroll('nope')).status, 404);
    assert.equal((await reroll('kept', {}, await s.token('read'))).status, 403);
    assert.equal((await reroll('kept', {}, await s.token('write'))).status, 201);
    assert.equal((await reroll('kept', {}, await s.token('root', 'other'))).status, 404, "another team's key is not found");
    assert.equal((await call('POST', '/v1/api-keys/1/1/kept/reroll', undefined, {})).status, 401);
  });
});
