import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { SPEC_EC, SPEC_ED25519, sshKeygenMany } from '../helpers/keys.js';
import { startTestServer, type TestResponse, type TestServer } from '../helpers/server.js';

/**
 * keyhold's own API, route by route: the happy path, validation, 401/403 per ability, another
 * team's ids answered 404, and the audit row every write leaves.
 */

type Tokens = Record<'root' | 'read' | 'write' | 'sensitive' | 'verify' | 'admin' | 'other', string>;

function assertError(r: TestResponse, status: number, code: string, message?: RegExp): void {
  assert.equal(r.status, status, r.text);
  const body = r.json();
  assert.deepEqual(Object.keys(body.error), ['code', 'message', 'request_id']);
  assert.equal(body.error.code, code, r.text);
  assert.equal(body.error.request_id, r.headers.get('x-request-id'));
  if (message) assert.match(body.error.message, message);
}

describe(`keyhold's own API (${dialectUnderTest})`, () => {
  let s: TestServer;
  let t: Tokens;
  const call = (method: string, path: string, token?: string, body?: unknown) => s.request(method, path, { token, body });
  const actions = async (token: string) => ((await call('GET', '/v1/audit?limit=1000', token)).json().events as Array<{ action: string; resource_id: string }>).map((e) => `${e.action} ${e.resource_id}`);

  before(async () => {
    s = await startTestServer();
    t = {
      root: await s.token('root'),
      read: await s.token('read'),
      write: await s.token('write'),
      sensitive: await s.token('read:sensitive'),
      verify: await s.token('verify'),
      admin: await s.token('root,admin'),
      other: await s.token('root', 'other'),
    };
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    await s.runtime.services.projects.createProject({ team: 'other', id: 9 });
  });
  after(() => s.close());

  it('refuses a missing token (401) and a token without the route\'s ability (403), on every route', async () => {
    const routes: Array<[string, string, keyof Tokens, keyof Tokens | undefined]> = [
      // method, path, a token that may, a token that may not
      ['GET', '/v1/me', 'verify', undefined],
      ['GET', '/v1/overview', 'read', 'write'],
      ['GET', '/v1/teams', 'admin', 'root'],
      ['POST', '/v1/teams', 'admin', 'root'],
      ['DELETE', '/v1/teams/nobody', 'admin', 'root'],
      ['GET', '/v1/tokens', 'root', 'read'],
      ['POST', '/v1/tokens', 'root', 'write'],
      ['DELETE', '/v1/tokens/999', 'root', 'write'],
      ['GET', '/v1/projects', 'read', 'write'],
      ['POST', '/v1/projects', 'write', 'read'],
      ['DELETE', '/v1/projects/999', 'write', 'read'],
      ['GET', '/v1/regions', 'read', 'verify'],
      ['POST', '/v1/regions', 'admin', 'root'],
      ['GET', '/v1/private-keys', 'read', 'write'],
      ['POST', '/v1/private-keys', 'write', 'read'],
      ['GET', '/v1/private-keys/nope', 'read', 'verify'],
      ['PATCH', '/v1/private-keys/nope', 'write', 'read'],
      ['DELETE', '/v1/private-keys/nope', 'write', 'read'],
      ['POST', '/v1/private-keys/nope/reveal', 'sensitive', 'read'],
      ['GET', '/v1/api-keys', 'read', 'write'],
      ['POST', '/v1/api-keys', 'write', 'read'],
      ['GET', '/v1/api-keys/1/1/k', 'read', 'verify'],
      ['PATCH', '/v1/api-keys/1/1/k', 'write', 'read'],
      ['DELETE', '/v1/api-keys/1/1/k', 'write', 'read'],
      ['GET', '/v1/audit', 'root', 'read'],
    ];
    for (const [method, path, may, mayNot] of routes) {
      const body = ['POST', 'PATCH'].includes(method) ? {} : undefined;
      const anonymous = await call(method, path, undefined, body);
      assertError(anonymous, 401, 'unauthorized');
      assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer', `${method} ${path}`);
      assertError(await call(method, path, '1|not-a-real-token', body), 401, 'unauthorized');
      if (mayNot) assertError(await call(method, path, t[mayNot], body), 403, 'forbidden', /the token lacks the/);
      const allowed = await call(method, path, t[may], body);
      assert.ok(![401, 403].includes(allowed.status), `${method} ${path} with ${may}: ${allowed.status} ${allowed.text}`);
    }
  });

  it('GET /v1/me tells the caller who it is', async () => {
    const me = (await call('GET', '/v1/me', t.verify)).json();
    assert.equal(me.team.name, 'acme');
    assert.deepEqual(me.token.abilities, ['verify']);
    assert.equal(me.token.state, 'active');
    assert.equal(me.session, null);
    assert.ok(!JSON.stringify(me).includes(t.verify.split('|')[1]!), 'never the secret');
  });

  it('teams: administrators create (with a first root token), list and delete; deletion is refused while the team owns something', async () => {
    const created = await call('POST', '/v1/teams', t.admin, { name: 'payments' });
    assert.equal(created.status, 201, created.text);
    const { team, token } = created.json();
    assert.equal(team.name, 'payments');
    assert.deepEqual(token.abilities, ['root']);
    assert.equal((await call('GET', '/v1/me', token.token)).json().team.name, 'payments', 'the first token works for the new team');
    assertError(await call('POST', '/v1/teams', t.admin, { name: 'payments' }), 409, 'conflict');
    assertError(await call('POST', '/v1/teams', t.admin, { name: 'no spaces' }), 400, 'bad_request', /name must be 1 to 64 letters, digits/);
    assertError(await call('POST', '/v1/teams', t.admin, { name: 'x', extra: 1 }), 400, 'bad_request', /unknown field extra/);
    assert.deepEqual(
      (await call('GET', '/v1/teams', t.admin)).json().map((x: { name: string }) => x.name),
      ['acme', 'other', 'payments'],
    );
    // A team that owns something stays.
    assert.equal((await call('POST', '/v1/projects', token.token, { name: 'p' })).status, 201);
    assertError(await call('DELETE', '/v1/teams/payments', t.admin), 409, 'conflict', /still owns 0 private key\(s\) and 1 project/);
    const pid = (await call('GET', '/v1/projects', token.token)).json()[0].id;
    assert.equal((await call('DELETE', `/v1/projects/${pid}`, token.token)).status, 204);
    assertError(await call('DELETE', '/v1/teams/acme', t.admin), 409, 'conflict', /own team/);
    assert.equal((await call('DELETE', '/v1/teams/payments', t.admin)).status, 204);
    assertError(await call('GET', '/v1/me', token.token), 401, 'unauthorized');
    assertError(await call('DELETE', '/v1/teams/payments', t.admin), 404, 'not_found');
    const trail = await actions(t.admin);
    for (const a of ['team.create payments', 'team.delete payments', `token.create ${token.id}`]) assert.ok(trail.includes(a), `${a} in ${trail.join(', ')}`);
  });

  it('tokens: a root token issues tokens of its team with at most its own abilities, lists them without secrets, revokes them', async () => {
    const made = await call('POST', '/v1/tokens', t.root, { name: 'ci', abilities: ['read', 'verify'], expires_in: 3600 });
    assert.equal(made.status, 201, made.text);
    const ci = made.json();
    assert.match(ci.token, /^\d+\|/);
    assert.deepEqual([ci.name, ci.abilities, ci.state], ['ci', ['read', 'verify'], 'active']);
    assert.ok(Math.abs(Date.parse(ci.expires_at) - Date.now() - 3_600_000) < 60_000);
    assertError(await call('POST', '/v1/tokens', t.root, { name: 'x', abilities: ['admin'] }), 403, 'forbidden', /cannot grant abilities it does not hold: admin/);
    assert.equal((await call('POST', '/v1/tokens', t.admin, { name: 'y', abilities: ['admin'] })).status, 201, 'an admin can pass admin on');
    assertError(await call('POST', '/v1/tokens', t.root, { name: 'x', abilities: [] }), 400, 'bad_request', /abilities must have at least 1 item/);
    assertError(await call('POST', '/v1/tokens', t.root, { name: 'x', abilities: ['god'] }), 400, 'bad_request');
    assertError(await call('POST', '/v1/tokens', t.root, { name: 'x', abilities: ['read'], expires_in: 5 }), 400, 'bad_request', /expires_in must be an integer from 60 to/);
    // Use marks last_used_at (written off the request path).
    assert.equal((await call('GET', '/v1/projects', ci.token)).status, 200);
    await new Promise((r) => setTimeout(r, 100));
    const listed = (await call('GET', '/v1/tokens', t.root)).json();
    const row = listed.find((x: { id: number }) => x.id === ci.id);
    assert.ok(row.last_used_at, 'last use shown');
    assert.ok(!JSON.stringify(listed).includes(ci.token.split('|')[1]), 'never a secret');
    assert.ok(listed.every((x: object) => !('token' in x)));
    // Revocation: at once; another team's id is not found; twice is a conflict.
    const otherId = (await call('GET', '/v1/tokens', t.other)).json()[0].id;
    assertError(await call('DELETE', `/v1/tokens/${otherId}`, t.root), 404, 'not_found');
    assert.equal((await call('DELETE', `/v1/tokens/${ci.id}`, t.root)).status, 204);
    assertError(await call('GET', '/v1/projects', ci.token), 401, 'unauthorized');
    assertError(await call('DELETE', `/v1/tokens/${ci.id}`, t.root), 409, 'conflict');
    assertError(await call('DELETE', '/v1/tokens/abc', t.root), 400, 'bad_request', /id must be an integer/);
    const trail = await actions(t.root);
    assert.ok(trail.includes(`token.create ${ci.id}`) && trail.includes(`token.revoke ${ci.id}`));
  });

  it('projects and regions: created, listed with key counts, deleted only when empty; regions are added by administrators', async () => {
    const p = await call('POST', '/v1/projects', t.write, { id: 42, name: 'web' });
    assert.equal(p.status, 201, p.text);
    assert.deepEqual(p.json().keys, 0);
    assertError(await call('POST', '/v1/projects', t.write, { id: 42 }), 409, 'conflict');
    assertError(await call('POST', '/v1/projects', t.write, { id: 0 }), 400, 'bad_request', /id must be an integer from 1/);
    const auto = (await call('POST', '/v1/projects', t.write, {})).json();
    assert.ok(auto.id > 42);
    assertError(await call('DELETE', '/v1/projects/9', t.write), 404, 'not_found'); // other's project
    assert.equal((await call('POST', '/v1/api-keys', t.write, { project_id: 42, region_id: 1, name: 'k1', containers: [] })).status, 201);
    assert.equal((await call('GET', '/v1/projects', t.read)).json().find((x: { id: number }) => x.id === 42).keys, 1);
    assertError(await call('DELETE', '/v1/projects/42', t.write), 409, 'conflict', /holds 1 API key/);
    assert.equal((await call('DELETE', `/v1/projects/${auto.id}`, t.write)).status, 204);
    assert.deepEqual(
      (await call('GET', '/v1/regions', t.read)).json().map((r: { id: number }) => r.id),
      [1],
    );
    assert.equal((await call('POST', '/v1/regions', t.admin, { id: 2, name: 'eu-west' })).status, 201);
    assertError(await call('POST', '/v1/regions', t.admin, { id: 2, name: 'again' }), 409, 'conflict');
    assertError(await call('POST', '/v1/regions', t.admin, { id: 3 }), 400, 'bad_request', /name is required/);
    const trail = await actions(t.root);
    for (const a of ['project.create 42', `project.delete ${auto.id}`]) assert.ok(trail.includes(a), a);
  });

  it('SSH keys: the Coolify surface\'s store and rules, never the key text except through an audited reveal', async () => {
    const [generated] = sshKeygenMany(1);
    const created = await call('POST', '/v1/private-keys', t.write, { name: 'deploy', description: 'CI', private_key: generated });
    assert.equal(created.status, 201, created.text);
    const key = created.json();
    assert.deepEqual([key.name, key.description, key.key_type], ['deploy', 'CI', 'ssh-ed25519']);
    assert.match(key.public_key, /^ssh-ed25519 /);
    assert.ok(!('private_key' in key));
    assertError(await call('POST', '/v1/private-keys', t.write, { name: 'again', private_key: generated }), 409, 'conflict', /already has this key/);
    assertError(await call('POST', '/v1/private-keys', t.write, { name: 'bad', private_key: 'not a key' }), 400, 'bad_request', /not a key keyhold reads/);
    assertError(await call('POST', '/v1/private-keys', t.write, { private_key: SPEC_EC }), 400, 'bad_request', /name is required/);
    assertError(await call('POST', '/v1/private-keys', t.write, { name: 'x'.repeat(256), private_key: SPEC_EC }), 400, 'bad_request', /name must be at most 255 characters/);
    // Served on the Coolify surface too, and the other way round.
    const viaCoolify = (await s.request('GET', `/api/v1/security/keys/${key.uuid}`, { token: t.read })).json();
    assert.equal(`SHA256:${viaCoolify.fingerprint}`, key.fingerprint, 'as ssh-keygen -l prints it here, phpseclib\'s bare base64 there');
    assert.equal(`${key.public_key} `, viaCoolify.public_key, 'without the space Coolify keeps');
    const coolifyMade = (await s.request('POST', '/api/v1/security/keys', { token: t.write, body: { name: 'from-coolify', private_key: SPEC_ED25519 } })).json();
    assert.equal((await call('GET', `/v1/private-keys/${coolifyMade.uuid}`, t.read)).json().name, 'from-coolify');
    // Update: rename, describe, clear the description, replace the key pair.
    const renamed = await call('PATCH', `/v1/private-keys/${key.uuid}`, t.write, { name: 'deploy-2', description: null });
    assert.deepEqual([renamed.json().name, renamed.json().description], ['deploy-2', null]);
    const replaced = (await call('PATCH', `/v1/private-keys/${key.uuid}`, t.write, { private_key: SPEC_EC })).json();
    assert.notEqual(replaced.fingerprint, key.fingerprint);
    assertError(await call('PATCH', `/v1/private-keys/${key.uuid}`, t.write, { private_key: SPEC_ED25519 }), 409, 'conflict');
    // Reveal: read:sensitive (or root) only, audited every time.
    assertError(await call('POST', `/v1/private-keys/${key.uuid}/reveal`, t.read), 403, 'forbidden');
    const revealed = await call('POST', `/v1/private-keys/${key.uuid}/reveal`, t.sensitive);
    assert.equal(revealed.json().private_key, SPEC_EC);
    assert.equal(revealed.headers.get('cache-control'), 'no-store');
    await call('POST', `/v1/private-keys/${key.uuid}/reveal`, t.root);
    const reveals = (await actions(t.root)).filter((a) => a === `private_key.reveal ${key.uuid}`);
    assert.equal(reveals.length, 2);
    // Another team's key does not exist for us.
    const theirs = (await call('POST', '/v1/private-keys', t.other, { name: 'theirs', private_key: SPEC_ED25519 })).json();
    for (const [m, p] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/reveal'],
    ] as const) {
      assertError(await call(m, `/v1/private-keys/${theirs.uuid}${p}`, t.root, m === 'PATCH' ? { name: 'mine' } : undefined), 404, 'not_found');
    }
    assert.equal((await call('DELETE', `/v1/private-keys/${key.uuid}`, t.write)).status, 204);
    assertError(await call('GET', `/v1/private-keys/${key.uuid}`, t.read), 404, 'not_found');
    const trail = await actions(t.root);
    for (const a of ['create', 'update', 'delete']) assert.ok(trail.includes(`private_key.${a} ${key.uuid}`), a);
    assert.ok(!(await call('GET', '/v1/audit?limit=1000', t.root)).text.includes('BEGIN'), 'no key text in the audit trail');
  });

  it('API keys: the Gcore surface\'s store, listed across projects with filters and a cursor', async () => {
    await call('POST', '/v1/projects', t.write, { id: 2 });
    const create = (body: object) => call('POST', '/v1/api-keys', t.write, body);
    const made = await create({ project_id: 2, region_id: 1, name: 'gw-one', description: 'Front door', containers: [{ name: 'web', namespace: 'default' }] });
    assert.equal(made.status, 201, made.text);
    const one = made.json();
    assert.match(one.secret, /^khk_/);
    assert.equal(one.secret_prefix, one.secret.slice(0, 12));
    assert.deepEqual([one.status, one.last_used_at, one.source], ['Active', null, 'cloud']);
    // Served on the Gcore surface, and a Gcore-made key shows here.
    const viaGcore = (await s.request('GET', '/cloud/v1/caas/keys/2/1/gw-one', { headers: { authorization: `APIKey ${t.read}` } })).json();
    assert.equal(viaGcore.description, 'Front door');
    await s.request('POST', '/cloud/v1/caas/keys/2/1', { headers: { authorization: `APIKey ${t.write}` }, body: { name: 'gw-two', containers: [], is_disabled: true } });
    await create({ project_id: 2, region_id: 1, name: 'gw-three', containers: [], expire: '2000-01-01T00:00:00Z' });
    await create({ project_id: 1, region_id: 1, name: 'other-project', containers: [] });
    // Validation in keyhold's words.
    assertError(await create({ project_id: 2, region_id: 1, name: 'Bad_Name', containers: [] }), 400, 'bad_request', /name must be 2 to 64 lower-case letters/);
    assertError(await create({ project_id: 2, region_id: 1, name: 'x1', containers: [], expire: 'tomorrow' }), 400, 'bad_request', /expire must be an RFC 3339 date-time/);
    assertError(await create({ project_id: 2, region_id: 1, name: 'x1', containers: [{ name: 'web' }] }), 400, 'bad_request', /containers\.0\.namespace is required/);
    assertError(await create({ project_id: 2, region_id: 1, name: 'gw-one', containers: [] }), 409, 'conflict');
    assertError(await create({ project_id: 9, region_id: 1, name: 'x1', containers: [] }), 404, 'not_found', /Project 9/);
    assertError(await create({ project_id: 2, region_id: 77, name: 'x1', containers: [] }), 404, 'not_found', /Region 77/);
    // Listing: filters and pages.
    const names = async (q: string) => ((await call('GET', `/v1/api-keys${q}`, t.read)).json().keys as Array<{ name: string }>).map((k) => k.name);
    assert.deepEqual(await names('?project_id=2'), ['gw-one', 'gw-two', 'gw-three']);
    assert.deepEqual(await names('?project_id=2&status=Disabled'), ['gw-two']);
    assert.deepEqual(await names('?project_id=2&status=Expired'), ['gw-three']);
    assert.deepEqual(await names('?q=FRONT'), ['gw-one'], 'text matches the description, any case');
    assert.deepEqual(await names('?q=%25'), [], 'LIKE wildcards are text');
    const first = (await call('GET', '/v1/api-keys?limit=2', t.read)).json();
    assert.equal(first.keys.length, 2);
    const rest = (await call('GET', `/v1/api-keys?limit=2&cursor=${first.next_cursor}`, t.read)).json();
    assert.ok(rest.keys.length >= 1 && !rest.keys.some((k: { name: string }) => first.keys.some((f: { name: string }) => f.name === k.name)));
    assertError(await call('GET', '/v1/api-keys?cursor=bogus', t.read), 400, 'bad_request', /cursor is not one this server issued/);
    assertError(await call('GET', '/v1/api-keys?status=Gone&limit=0', t.read), 400, 'bad_request', /status must be .*; limit must be/);
    assert.ok(!(await call('GET', '/v1/api-keys', t.read)).text.includes(one.secret), 'never the secret again');
    assert.deepEqual(await names(''), (await names('?limit=1000')).slice(0, 100));
    assert.ok(!(await names('')).includes('theirs'));
    // Update: containers, expiry, disabled flag; gateways see it at once.
    const verify = async () => (await s.request('POST', '/v1/keys/verify', { token: t.verify, body: { key: one.secret, container: { name: 'web' } } })).json().code;
    assert.equal(await verify(), 'VALID');
    const patched = await call('PATCH', '/v1/api-keys/2/1/gw-one', t.write, { is_disabled: true, containers: [{ name: 'api', namespace: 'prod' }] });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual([patched.json().status, patched.json().containers], ['Disabled', [{ name: 'api', namespace: 'prod' }]]);
    assert.equal(await verify(), 'DISABLED');
    const enabled = (await call('PATCH', '/v1/api-keys/2/1/gw-one', t.write, { is_disabled: false, expire: '2099-01-01T00:00:00+02:00' })).json();
    assert.equal(enabled.expire, '2098-12-31T22:00:00Z');
    assert.equal(await verify(), 'FORBIDDEN_CONTAINER');
    assert.equal((await call('PATCH', '/v1/api-keys/2/1/gw-one', t.write, { expire: null })).json().expire, null);
    assertError(await call('PATCH', '/v1/api-keys/2/1/gw-one', t.write, { name: 'rename' }), 400, 'bad_request', /unknown field name/);
    assertError(await call('GET', '/v1/api-keys/9/1/theirs', t.read), 404, 'not_found');
    assert.equal((await call('DELETE', '/v1/api-keys/2/1/gw-one', t.write)).status, 204);
    assert.equal(await verify(), 'NOT_FOUND');
    assertError(await call('DELETE', '/v1/api-keys/2/1/gw-one', t.write), 404, 'not_found');
    const trail = await actions(t.root);
    for (const a of ['create', 'update', 'delete']) assert.ok(trail.includes(`caas_key.${a} 2/1/gw-one`), a);
  });

  it('overview: counts, and the team\'s verification answers of the last hour by minute', async () => {
    await call('POST', '/v1/projects', t.write, { id: 3 });
    const key = (await call('POST', '/v1/api-keys', t.write, { project_id: 3, region_id: 1, name: 'ov', containers: [{ name: 'web', namespace: 'default' }] })).json();
    const total = async (code: string) =>
      ((await call('GET', '/v1/overview', t.read)).json().verifications as Array<{ counts: Record<string, number> }>).reduce((n, m) => n + m.counts[code]!, 0);
    const [valid, forbidden] = [await total('VALID'), await total('FORBIDDEN_CONTAINER')];
    for (const container of ['web', 'web', 'db']) await s.request('POST', '/v1/keys/verify', { token: t.verify, body: { key: key.secret, container: { name: container } } });
    const o = (await call('GET', '/v1/overview', t.read)).json();
    assert.equal(o.verifications.length, 60);
    assert.deepEqual([await total('VALID') - valid, await total('FORBIDDEN_CONTAINER') - forbidden], [2, 1]);
    assert.ok(o.api_keys.active >= 1 && o.projects >= 2 && o.tokens >= 6);
    const theirs = (await call('GET', '/v1/overview', t.other)).json();
    assert.equal(
      theirs.verifications.reduce((n: number, m: { counts: { VALID: number } }) => n + m.counts.VALID, 0),
      0,
      'another team does not see our answers',
    );
  });
});
