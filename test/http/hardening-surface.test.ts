import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { buildApp } from '../../src/http/app.js';
import { createMetrics } from '../../src/metrics.js';
import { dialectUnderTest, freshDatabase } from '../helpers/db.js';
import { fixture } from '../helpers/keys.js';
import { startTestServer, testConfig, type TestServer } from '../helpers/server.js';

/** Hardening review (issue 16, items 4-8): caps, one set of bounds, secrets in paths and caches, the setup race. */

const web = { name: 'web', namespace: 'default' };

describe(`caps on sessions and webhook endpoints (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
  });
  after(() => s.close());

  it('keeps at most 10 live sessions per token: the 11th sign-in ends the oldest', async () => {
    const cookies: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await s.request('POST', '/v1/sessions', { body: { token: root } });
      assert.equal(r.status, 201, r.text);
      cookies.push(/keyhold_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')![0]);
    }
    const me = async (cookie: string) => (await s.request('GET', '/v1/me', { headers: { cookie } })).status;
    assert.deepEqual(await Promise.all(cookies.map(me)), [401, 401, ...Array(10).fill(200)]);
    const other = await s.token('read');
    assert.equal((await s.request('POST', '/v1/sessions', { body: { token: other } })).status, 201);
    assert.equal(await me(cookies[11]!), 200, "another token's sign-in ends none of this token's sessions");
  });

  it('caps webhook endpoints at 50 per team, with a clear 409 beyond', async () => {
    for (let i = 0; i < 50; i++) {
      const r = await s.request('POST', '/v1/webhooks', { token: root, body: { url: `http://127.0.0.1:9/hook-${i}`, events: ['*'] } });
      assert.equal(r.status, 201, r.text);
    }
    const refused = await s.request('POST', '/v1/webhooks', { token: root, body: { url: 'http://127.0.0.1:9/hook-51', events: ['*'] } });
    assert.equal(refused.status, 409, refused.text);
    assert.match(refused.json().error.message, /at most 50 webhook endpoints/);
    const otherTeam = await s.token('root', 'other');
    assert.equal((await s.request('POST', '/v1/webhooks', { token: otherTeam, body: { url: 'http://127.0.0.1:9/x', events: ['*'] } })).status, 201, 'the cap is per team');
  });
});

describe(`one set of bounds on every surface (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  const gcore = (method: string, path: string, body: unknown) => s.request(method, `/cloud/v1/caas/keys/1/1${path}`, { body, headers: { authorization: `APIKey ${root}` } });
  const containers = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, namespace: 'default' }));
  before(async () => {
    s = await startTestServer({ config: { bodyLimit: 4 * 1024 * 1024 } });
    root = await s.token('root');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
  });
  after(() => s.close());

  it("Gcore's surface refuses a description over 1,000 characters and over 1,000 containers, as a ValidationError", async () => {
    const long = await gcore('POST', '', { name: 'big', description: 'x'.repeat(900_000), containers: [web] });
    assert.equal(long.status, 400, long.text);
    assert.equal(long.json().exception_class, 'ValidationError');
    assert.deepEqual(long.json().invalid_fields, { description: ['String should have at most 1000 characters'] });
    const many = await gcore('POST', '', { name: 'big', containers: containers(20_000) });
    assert.equal(many.status, 400);
    assert.deepEqual(many.json().invalid_fields, { containers: ['List should have at most 1000 items after validation'] });
    const ns = await gcore('POST', '', { name: 'big', containers: [{ name: 'web', namespace: 'n'.repeat(256) }] });
    assert.deepEqual(ns.json().invalid_fields, { 'containers.0.namespace': ['String should have at most 255 characters'] });

    const exact = await gcore('POST', '', { name: 'edge', description: '€'.repeat(1000), containers: containers(1000) });
    assert.equal(exact.status, 200, 'exactly the bound is accepted (characters, not bytes)');
    const patched = await gcore('PATCH', '/edge', { description: 'y'.repeat(1001) });
    assert.equal(patched.status, 400);
    assert.deepEqual(patched.json().invalid_fields, { description: ['String should have at most 1000 characters'] });
    assert.equal((await gcore('PATCH', '/edge', { containers: containers(1001) })).status, 400);

    const native = await s.request('GET', '/v1/api-keys/1/1/edge', { token: root });
    assert.equal(native.status, 200, 'what one surface stores, the other serves within its own schema');
    assert.equal(native.json().containers.length, 1000);
  });

  it("keyhold's own API refuses the same in its words", async () => {
    const r = await s.request('POST', '/v1/api-keys', { token: root, body: { project_id: 1, region_id: 1, name: 'n1', description: 'x'.repeat(1001), containers: [web] } });
    assert.equal(r.status, 400);
    assert.match(r.json().error.message, /description/);
    const c = await s.request('POST', '/v1/api-keys', { token: root, body: { project_id: 1, region_id: 1, name: 'n1', containers: containers(1001) } });
    assert.equal(c.status, 400);
    assert.match(c.json().error.message, /containers/);
  });

  it("Coolify's surface keeps Laravel's 255-character description rule, in its 422", async () => {
    const r = await s.request('POST', '/api/v1/security/keys', { token: root, body: { name: 'k', description: 'd'.repeat(256), private_key: fixture('openssh-ed25519.key') } });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json().errors, { description: ['The description field must not be greater than 255 characters.'] });
  });
});

describe('secrets in URL paths and answers', () => {
  let s: TestServer;
  let root: string;
  let secret: string;
  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    secret = (await s.request('POST', '/cloud/v1/caas/keys/1/1', { body: { name: 'k1', containers: [web] }, headers: { authorization: `APIKey ${root}` } })).json().secret;
  });
  after(() => s.close());

  it('blanks path segments that look like keyhold secrets or tokens in the request log', async () => {
    const [id, tokenSecret] = root.split('|') as [string, string];
    await s.request('GET', `/cloud/v1/caas/keys/1/1/${secret}`, { headers: { authorization: `APIKey ${root}` } });
    await s.request('GET', `/api/v1/security/keys/${root}`, { token: root });
    await s.request('GET', `/api/v1/security/keys/${encodeURIComponent(root)}`, { token: root });
    await s.request('GET', `/v1/private-keys/${tokenSecret}`, { token: root });
    const logs = s.logs.join('');
    for (const leaked of [secret, root, encodeURIComponent(root), tokenSecret]) assert.ok(!logs.includes(leaked), `no ${leaked.slice(0, 6)}… in the log`);
    assert.ok(logs.includes('/cloud/v1/caas/keys/1/1/[redacted]'), 'the rest of the path stays, for debugging');
    assert.ok(logs.includes(`"url":"/v1/private-keys/[redacted]"`));
    assert.ok(!logs.includes(`/${id}|`));
  });

  it('sends Cache-Control: no-store with every answer that carries a secret', async () => {
    const noStore = (r: { headers: Headers; status: number; text: string }, what: string) => {
      assert.ok(r.status < 300, `${what}: ${r.status} ${r.text}`);
      assert.equal(r.headers.get('cache-control'), 'no-store', what);
    };
    const admin = await s.token('root,admin');
    noStore(await s.request('POST', '/v1/tokens', { token: root, body: { name: 't', abilities: ['read'] } }), 'token create');
    noStore(await s.request('POST', '/v1/teams', { token: admin, body: { name: 'newteam' } }), 'team create (its first token)');
    noStore(await s.request('POST', '/v1/api-keys', { token: root, body: { project_id: 1, region_id: 1, name: 'n2', containers: [web] } }), 'API-key create');
    noStore(await s.request('POST', '/cloud/v1/caas/keys/1/1', { body: { name: 'n3', containers: [web] }, headers: { authorization: `APIKey ${root}` } }), 'Gcore create');
    noStore(await s.request('POST', '/v1/api-keys/1/1/n2/reroll', { token: root, body: {} }), 'reroll');
    const uuid = (await s.request('POST', '/v1/private-keys', { token: root, body: { name: 'pk', private_key: fixture('openssh-ed25519.key') } })).json().uuid;
    noStore(await s.request('POST', `/v1/private-keys/${uuid}/reveal`, { token: root }), 'reveal');
    noStore(await s.request('GET', `/api/v1/security/keys/${uuid}`, { token: root }), 'Coolify key with private_key');
    noStore(await s.request('GET', '/api/v1/security/keys', { token: root }), 'Coolify list with private_key');
    noStore(await s.request('POST', '/v1/webhooks', { token: root, body: { url: 'http://127.0.0.1:9/h', events: ['*'] } }), 'webhook create (its secret)');
    noStore(await s.request('POST', '/v1/sessions', { body: { token: root } }), 'sign-in (a session cookie)');
    assert.equal((await s.request('GET', '/v1/projects', { token: root })).headers.get('cache-control'), null, 'other answers are left alone');
  });
});

describe(`first-run setup race (${dialectUnderTest})`, () => {
  it('two servers on one empty store each print a code; redeemed at once, exactly one sets up, the other answers 409', async () => {
    const db = await freshDatabase();
    const config = testConfig(db.config);
    const servers = await Promise.all(
      [0, 1].map(async () => {
        const runtime = await createRuntime(config, { metrics: createMetrics() });
        const app = await buildApp({ config, services: runtime.services, ready: runtime.ready, logger: createLogger('silent'), metrics: createMetrics() });
        return { runtime, app, code: (await runtime.services.setup.issueCode())! };
      }),
    );
    try {
      assert.ok(servers.every((x) => x.code), 'both printed a setup code');
      const answers = await Promise.all(
        servers.map((x, i) => x.app.inject({ method: 'POST', url: '/v1/setup', payload: { code: x.code, team: `team${i}` }, headers: { 'content-type': 'application/json' } })),
      );
      const statuses = answers.map((a) => a.statusCode).sort();
      assert.deepEqual(statuses, [201, 409], answers.map((a) => a.body).join('\n'));
      const loser = answers.find((a) => a.statusCode === 409)!;
      assert.match(loser.json().error.message, /already set up/);
      assert.equal((await servers[0]!.runtime.store.teams.list()).length, 1, 'one team');
      const admins = (await servers[0]!.runtime.store.tokens.list()).filter((t) => t.abilities.includes('admin'));
      assert.equal(admins.length, 1, 'one administrator token');
    } finally {
      for (const x of servers) {
        await x.app.close();
        await x.runtime.close();
      }
      await db.drop();
    }
  });
});
