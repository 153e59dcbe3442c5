import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newApiKeySecret } from '../../src/crypto/secret.js';
import { dialectUnderTest } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Issue 19: the gateway's fast path (plain node:http, gateway/fast-path.ts) and Fastify's routes for
 * the same URLs (native/verify.ts) must answer alike. Each case goes once over real HTTP, where the
 * fast path takes it, and once through `app.inject`, which reaches Fastify's router directly, and the
 * two answers must have the same status, the same headers (but for the request id, the date and the
 * connection's own) and the same body (the request id in it aside).
 */

interface Case {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Headers that describe the connection or the moment rather than the answer. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'x-request-id']);

function comparable(status: number, headers: Record<string, string>, body: string, requestId: string) {
  const kept = Object.fromEntries(
    Object.entries(headers)
      .filter(([k]) => !TRANSPORT.has(k.toLowerCase()))
      .map(([k, v]) => [k.toLowerCase(), k.toLowerCase() === 'content-length' ? 'same length' : v]),
  );
  return { status, headers: kept, body: requestId ? body.split(requestId).join('<request id>') : body };
}

describe(`the gateway's fast path answers as Fastify's routes do (${dialectUnderTest})`, () => {
  let s: TestServer;
  const now = Date.parse('2026-08-22T10:00:00Z');
  const cases: Case[] = [];

  before(async () => {
    s = await startTestServer({ clock: () => now, config: { bodyLimit: 1024 } });
    const root = await s.token('root');
    const verifier = await s.token('verify');
    const reader = await s.token('read');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    const create = async (body: Record<string, unknown>) => {
      const r = await s.request('POST', '/v1/api-keys', { token: root, body: { project_id: 1, region_id: 1, ...body } });
      assert.equal(r.status, 201, r.text);
      return r.json().secret as string;
    };
    const web = { name: 'web', namespace: 'default' };
    const valid = await create({ name: 'gw', containers: [web] });
    const disabled = await create({ name: 'off', containers: [web], is_disabled: true });
    const expired = await create({ name: 'old', containers: [web], expire: '2026-01-01T00:00:00Z' });
    // A limit of 1 a minute that the setup below uses up: every case with it is RATE_LIMITED on both paths.
    const limited = await create({ name: 'lim', containers: [web], rate_limit: { limit: 1, window_seconds: 60 } });
    assert.equal((await s.request('POST', '/v1/keys/verify', { token: verifier, body: { key: limited, container: web } })).json().code, 'VALID');

    const json = { 'content-type': 'application/json' };
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    const verify = (name: string, headers: Record<string, string>, body?: unknown) =>
      cases.push({ name: `verify: ${name}`, method: 'POST', path: '/v1/keys/verify', headers, body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body) });
    verify('a wrong token', { ...json, ...bearer('1|wrongwrongwrongwrongwrongwrong') }, { key: valid, container: web });
    verify('a token in no known shape', { ...json, ...bearer('nonsense') }, { key: valid, container: web });
    verify('another scheme', { ...json, authorization: 'Basic dXNlcjpwYXNz' }, { key: valid, container: web });
    verify('a token without verify', { ...json, ...bearer(reader) }, { key: valid, container: web });
    verify('a body over the limit (413)', { ...json, ...bearer(verifier) }, { key: valid, container: web, pad: 'x'.repeat(2000) });
    verify('a form body (415)', { 'content-type': 'application/x-www-form-urlencoded', ...bearer(verifier) }, 'key=x');
    verify('no body', { ...json, ...bearer(verifier) });
    verify('JSON that does not parse', { ...json, ...bearer(verifier) }, '{"key":');
    verify('a body missing its container', { ...json, ...bearer(verifier) }, { key: valid });
    verify('a field of the wrong type', { ...json, ...bearer(verifier) }, { key: valid, container: web, project_id: 'one' });
    verify('VALID', { ...json, ...bearer(verifier) }, { key: valid, container: web });
    verify('MALFORMED', { ...json, ...bearer(verifier) }, { key: 'not-a-key', container: web });
    verify('NOT_FOUND', { ...json, ...bearer(verifier) }, { key: newApiKeySecret(), container: web });
    verify('FORBIDDEN_CONTAINER', { ...json, ...bearer(verifier) }, { key: valid, container: { name: 'db' } });
    verify('DISABLED', { ...json, ...bearer(verifier) }, { key: disabled, container: web });
    verify('EXPIRED', { ...json, ...bearer(verifier) }, { key: expired, container: web });
    verify('RATE_LIMITED', { ...json, ...bearer(verifier) }, { key: limited, container: web });

    const forward = (name: string, query: string, headers: Record<string, string>) =>
      cases.push({ name: `forward-auth: ${name}`, method: 'GET', path: `/v1/forward-auth${query}`, headers });
    forward('no key', '?container=web', {});
    forward('a valid key in X-Api-Key', '?container=web', { 'x-api-key': valid });
    forward('a valid key as a bearer token, container from the header', '', { ...bearer(valid), 'x-container-name': 'web' });
    forward('an unknown key', '?container=web', { 'x-api-key': newApiKeySecret() });
    forward('a forbidden container', '?container=db', { 'x-api-key': valid });
    forward('a disabled key', '?container=web', { 'x-api-key': disabled });
    forward('a rate-limited key', '?container=web', { 'x-api-key': limited });
    forward('a query that does not validate', '?container=web&project_id=abc', { 'x-api-key': valid });
    forward('no container', '', { 'x-api-key': valid });
  });
  after(() => s.close());

  it('gives the same status, headers and body for every case, over HTTP and through Fastify', async () => {
    assert.ok(cases.length >= 25);
    const differences: string[] = [];
    for (const c of cases) {
      const http = await fetch(s.url + c.path, { method: c.method, headers: c.headers, body: c.body });
      const httpBody = await http.text();
      const fast = comparable(http.status, Object.fromEntries(http.headers), httpBody, http.headers.get('x-request-id') ?? '');
      const injected = await s.app.inject({ method: c.method as 'GET', url: c.path, headers: c.headers, payload: c.body });
      const viaFastify = comparable(injected.statusCode, injected.headers as Record<string, string>, injected.body, String(injected.headers['x-request-id'] ?? ''));
      try {
        assert.deepEqual(fast, viaFastify);
      } catch {
        differences.push(`${c.name}:\n  fast path ${JSON.stringify(fast)}\n  Fastify   ${JSON.stringify(viaFastify)}`);
      }
    }
    assert.deepEqual(differences, [], differences.join('\n'));
  });

  it('took the fast path over HTTP: Fastify logged none of the verifications it served', async () => {
    // Fastify logs "incoming request" for every request it routes (setup's included); the fast path writes no such line.
    assert.ok(s.logs.some((l) => l.includes('incoming request') && l.includes('/v1/api-keys')), 'Fastify logs the requests it routes');
    const before = s.logs.filter((l) => l.includes('/v1/keys/verify') && l.includes('incoming request')).length;
    const r = await fetch(`${s.url}/v1/forward-auth?container=web`, { headers: { 'x-api-key': 'not-a-key' } });
    assert.equal(r.status, 401);
    await s.request('POST', '/v1/keys/verify', { token: await s.token('verify'), body: { key: 'not-a-key', container: { name: 'web' } } });
    const afterCount = s.logs.filter((l) => l.includes('/v1/keys/verify') && l.includes('incoming request')).length;
    assert.equal(afterCount, before);
  });
});
