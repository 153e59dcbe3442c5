import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Hardening review (issue 16, items 1-3): forged client addresses, a failure limiter that locked out
 * good credentials, and verification that crossed teams. Each block is the review's reproduction.
 */

const web = { name: 'web', namespace: 'default' };
const BAD = '1|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa00000000';

async function seedKey(s: TestServer, team: string, projectId: number, token: string): Promise<string> {
  await s.runtime.services.projects.createProject({ team, id: projectId });
  const r = await s.request('POST', `/cloud/v1/caas/keys/${projectId}/1`, { body: { name: `${team}-key`, containers: [web] }, headers: { authorization: `APIKey ${token}` } });
  assert.equal(r.status, 200, r.text);
  return r.json().secret as string;
}

describe('forged client addresses (KEYHOLD_TRUST_PROXY)', () => {
  it('with a hop count, X-Forwarded-For entries a client writes itself count for nothing', async () => {
    const s = await startTestServer({ config: { trustProxy: { kind: 'hops', hops: 1 }, authFailures: { limit: 20, windowMs: 60_000 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) {
        const xff = { 'x-forwarded-for': `10.0.0.${i}, 127.0.0.1` };
        // Alternate the fast path (verify) and a Fastify route: one budget, one address, whichever answers.
        const r = i % 2 ? await s.request('GET', '/v1/me', { token: BAD, headers: xff }) : await s.request('POST', '/v1/keys/verify', { token: BAD, headers: xff, body: { key: 'x', container: web } });
        statuses.push(r.status);
      }
      assert.deepEqual(statuses.slice(0, 20), Array(20).fill(401));
      assert.deepEqual(statuses.slice(20), Array(80).fill(429), 'the forged first hops all counted against the proxy-facing client, 127.0.0.1');

      const root = await s.token('root');
      const made = await s.request('POST', '/v1/projects', { token: root, body: { id: 7, name: 'p' }, headers: { 'x-forwarded-for': '6.6.6.6, 127.0.0.1' } });
      assert.equal(made.status, 201, made.text);
      const audit = (await s.request('GET', '/v1/audit?resource=project:7', { token: root })).json();
      assert.equal(audit.events[0].ip, '127.0.0.1', 'audited under the nearest untrusted address, not the forged one');
    } finally {
      await s.close();
    }
  });

  it('with proxy addresses, the client is the nearest address that is not one of them', async () => {
    const s = await startTestServer({ config: { trustProxy: { kind: 'addresses', addresses: ['127.0.0.1', '10.0.0.0/8'] }, authFailures: { limit: 20, windowMs: 60_000 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await s.request('GET', '/v1/me', { token: BAD, headers: { 'x-forwarded-for': `192.0.2.${i}, 203.0.113.7, 10.1.2.3` } });
        statuses.push(r.status);
      }
      assert.deepEqual(statuses, [...Array(20).fill(401), ...Array(20).fill(429)], 'every request counts against 203.0.113.7, behind two trusted proxies');
      const other = await s.request('GET', '/v1/me', { token: BAD, headers: { 'x-forwarded-for': '203.0.113.8, 10.1.2.3' } });
      assert.equal(other.status, 401, 'another client behind the same proxies has its own budget');

      const root = await s.token('root');
      await s.request('POST', '/v1/projects', { token: root, body: { id: 8, name: 'p' }, headers: { 'x-forwarded-for': '192.0.2.1, 203.0.113.9, 10.1.2.3' } });
      const audit = (await s.request('GET', '/v1/audit?resource=project:8', { token: root })).json();
      assert.equal(audit.events[0].ip, '203.0.113.9');
    } finally {
      await s.close();
    }
  });
});

describe('the failed-authentication limiter never refuses a credential that checks out', () => {
  let s: TestServer;
  let root: string;
  let verifier: string;
  let secret: string;
  before(async () => {
    s = await startTestServer({ config: { authFailures: { limit: 20, windowMs: 60_000 } } });
    root = await s.token('root');
    verifier = await s.token('verify');
    secret = await seedKey(s, 'acme', 1, root);
    for (let i = 0; i < 20; i++) assert.equal((await s.request('GET', '/v1/me', { token: BAD })).status, 401);
  });
  after(() => s.close());

  it('answers 429 to wrong or missing credentials from the address once it is over its budget', async () => {
    assert.equal((await s.request('GET', '/v1/me', { token: BAD })).status, 429);
    assert.equal((await s.request('GET', '/v1/me')).status, 429);
    assert.equal((await s.request('GET', '/api/v1/security/keys', { token: BAD })).status, 429);
    assert.equal((await s.request('GET', '/cloud/v1/caas/keys/1/1', { headers: { authorization: `APIKey ${BAD}` } })).status, 429);
    const v = await s.request('POST', '/v1/keys/verify', { token: BAD, body: { key: secret, container: web } });
    assert.equal(v.status, 429);
    assert.ok(Number(v.headers.get('retry-after')) > 0);
    assert.equal((await s.request('POST', '/v1/sessions', { body: { token: BAD } })).status, 429);
  });

  it('still admits the valid root token on every surface, and the verify token on the gateway path', async () => {
    assert.equal((await s.request('GET', '/v1/me', { token: root })).status, 200);
    assert.equal((await s.request('GET', '/api/v1/security/keys', { token: root })).status, 200);
    assert.equal((await s.request('GET', '/cloud/v1/caas/keys/1/1', { headers: { authorization: `APIKey ${root}` } })).status, 200);
    const v = await s.request('POST', '/v1/keys/verify', { token: verifier, body: { key: secret, container: web } });
    assert.equal(v.status, 200);
    assert.equal(v.json().code, 'VALID');
    const signIn = await s.request('POST', '/v1/sessions', { body: { token: root } });
    assert.equal(signIn.status, 201, 'sign-in with a good token works from an address over its budget');
  });

  it('answers a good token without the ability 403, not 429', async () => {
    assert.equal((await s.request('POST', '/v1/keys/verify', { token: await s.token('read'), body: { key: secret, container: web } })).status, 403);
  });
});

describe('verification is scoped to the token’s team', () => {
  let s: TestServer;
  let acmeSecret: string;
  let otherSecret: string;
  before(async () => {
    s = await startTestServer();
    acmeSecret = await seedKey(s, 'acme', 1, await s.token('root', 'acme'));
    otherSecret = await seedKey(s, 'other', 2, await s.token('root', 'other'));
  });
  after(() => s.close());

  const verify = (token: string, key: string) => s.request('POST', '/v1/keys/verify', { token, body: { key, container: web } });

  it("a team's verify token admits its own keys, and answers another team's as NOT_FOUND with nothing about it", async () => {
    const gw = await s.token('verify', 'acme');
    assert.equal((await verify(gw, acmeSecret)).json().code, 'VALID');
    const other = await verify(gw, otherSecret);
    assert.deepEqual(other.json(), { valid: false, code: 'NOT_FOUND', key: null });
    assert.ok(!other.text.includes('other-key'));
    const root = await s.token('root', 'acme');
    assert.deepEqual((await verify(root, otherSecret)).json(), { valid: false, code: 'NOT_FOUND', key: null }, 'root is a team ability too');
  });

  it('verify:all admits every team’s keys; only an admin may grant it', async () => {
    const teamRoot = await s.token('root', 'acme');
    const refused = await s.request('POST', '/v1/tokens', { token: teamRoot, body: { name: 'gw-all', abilities: ['verify:all'] } });
    assert.equal(refused.status, 403, refused.text);
    assert.match(refused.json().error.message, /verify:all/);

    const admin = await s.token('root,admin', 'acme');
    const made = await s.request('POST', '/v1/tokens', { token: admin, body: { name: 'gw-all', abilities: ['verify:all'] } });
    assert.equal(made.status, 201, made.text);
    const all = made.json().token as string;
    assert.equal((await verify(all, otherSecret)).json().code, 'VALID');
    assert.equal((await verify(all, acmeSecret)).json().code, 'VALID');
    assert.equal((await s.request('GET', '/v1/me', { token: all })).status, 200);
    assert.equal((await s.request('GET', '/v1/api-keys', { token: all })).status, 403, 'verify:all reads nothing else');

    const operator = await s.runtime.services.tokens.create({ team: 'other', abilities: ['verify:all'] });
    assert.equal((await verify(operator.token, acmeSecret)).json().code, 'VALID', 'the CLI (an operator) may issue it');
  });

  it('forward-auth (no token, its own listener) stays instance-wide', async () => {
    for (const key of [acmeSecret, otherSecret]) {
      const r = await s.request('GET', '/v1/forward-auth?container=web', { headers: { 'x-api-key': key } });
      assert.equal(r.status, 204);
    }
  });
});
