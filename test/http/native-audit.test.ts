import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDateTime } from '../../src/domain/time.js';
import { encodeCursor } from '../../src/services/audit.js';
import { SPEC_EC, SPEC_ED25519 } from '../helpers/keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const parseRfc3339 = (text: string) => parseDateTime(text, 'rfc3339');

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

interface Entry {
  id: number;
  at: string;
  actor: string;
  token_id: number | null;
  action: string;
  resource_type: string;
  resource_id: string;
  changed_fields: string[];
  ip: string | null;
  request_id: string | null;
}

describe('GET /v1/audit', () => {
  let s: TestServer;
  let now = T0;
  let root: string;
  let root2: string;
  let otherRoot: string;
  let uuid: string;
  let otherUuid: string;
  let createRequestId: string;
  const audit = async (query = '', token = root) => s.request('GET', `/v1/audit${query}`, { token });
  const list = async (query = '', token = root): Promise<{ events: Entry[]; next_cursor: string | null }> => {
    const r = await audit(query, token);
    assert.equal(r.status, 200, r.text);
    return r.json();
  };
  const actions = (p: { events: Entry[] }) => p.events.map((e) => e.action);

  before(async () => {
    s = await startTestServer({ clock: () => now });
    root = await s.token('root');
    root2 = await s.token('root');
    otherRoot = await s.token('root', 'other-team');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    // minute 0: create; 1: rename; 2: CaaS key; 3: delete; 4: a second token's key. Another team writes in between.
    const created = await s.request('POST', '/api/v1/security/keys', { token: root, body: { name: 'a', private_key: SPEC_ED25519 } });
    uuid = created.json().uuid;
    createRequestId = created.headers.get('x-request-id')!;
    now = T0 + 60_000;
    await s.request('PATCH', `/api/v1/security/keys/${uuid}`, { token: root, body: { name: 'b', private_key: SPEC_ED25519 } });
    otherUuid = (await s.request('POST', '/api/v1/security/keys', { token: otherRoot, body: { private_key: SPEC_EC } })).json().uuid;
    now = T0 + 120_000;
    await s.request('POST', '/cloud/v1/caas/keys/1/1', { token: root, body: { name: 'k1', containers: [] } });
    now = T0 + 180_000;
    await s.request('DELETE', `/api/v1/security/keys/${uuid}`, { token: root });
    now = T0 + 240_000;
    await s.request('POST', '/cloud/v1/caas/keys/1/1', { token: root2, body: { name: 'k2', containers: [] } });
  });
  after(() => s.close());

  it("lists the team's events newest first, with who, what, where and which fields, never values", async () => {
    const r = await audit();
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    const { events, next_cursor } = r.json() as { events: Entry[]; next_cursor: string | null };
    assert.deepEqual(actions({ events }), ['caas_key.create', 'private_key.delete', 'caas_key.create', 'private_key.update', 'private_key.create']);
    assert.equal(next_cursor, null);
    assert.deepEqual(Object.keys(events[0]!), ['id', 'at', 'actor', 'token_id', 'action', 'resource_type', 'resource_id', 'changed_fields', 'ip', 'request_id', 'detail']);
    const rootId = Number(root.split('|')[0]);
    const create = events[4]!;
    assert.deepEqual(
      { ...create, id: 0 },
      {
        id: 0,
        at: at(0),
        actor: `token:${rootId}`,
        token_id: rootId,
        action: 'private_key.create',
        resource_type: 'private_key',
        resource_id: uuid,
        changed_fields: ['name', 'description', 'private_key'],
        ip: '127.0.0.1',
        request_id: createRequestId,
        detail: null,
      },
    );
    assert.deepEqual(events[3]!.changed_fields, ['name']);
    assert.equal(events[2]!.resource_id, '1/1/k1');
    assert.equal(events[0]!.actor, `token:${root2.split('|')[0]}`);
    assert.ok(events.every((e, i) => i === 0 || e.id < events[i - 1]!.id), 'ids descend');
    assert.ok(!r.text.includes('PRIVATE KEY') && !r.text.includes(otherUuid));
  });

  it('pages with an opaque cursor until next_cursor is null', async () => {
    const all = (await list()).events.map((e) => e.id);
    for (const limit of [1, 2, 3, 5]) {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { events: Entry[]; next_cursor: string | null } = await list(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        assert.ok(page.events.length <= limit);
        seen.push(...page.events.map((e) => e.id));
        cursor = page.next_cursor;
        if (cursor) assert.match(cursor, /^[A-Za-z0-9_-]+$/);
        pages++;
      } while (cursor);
      assert.deepEqual(seen, all, `limit ${limit}`);
      assert.equal(pages, Math.ceil(all.length / limit), 'no empty last page');
    }
    const filtered = await list('?limit=1&resource=' + uuid);
    const rest = await list(`?resource=${uuid}&cursor=${filtered.next_cursor}`);
    assert.deepEqual(actions(rest), ['private_key.update', 'private_key.create']);
  });

  it('filters by time (since inclusive, until exclusive), actor and resource', async () => {
    assert.deepEqual(actions(await list(`?since=${at(3)}`)), ['caas_key.create', 'private_key.delete']);
    assert.deepEqual(actions(await list(`?until=${at(1)}`)), ['private_key.create']);
    assert.deepEqual(actions(await list(`?since=${at(1)}&until=${at(3)}`)), ['caas_key.create', 'private_key.update']);
    assert.deepEqual(actions(await list(`?since=${encodeURIComponent('2026-03-01T11:01:00+01:00')}&until=${encodeURIComponent('2026-03-01T05:01:30-05:00')}`)), ['private_key.update']);
    assert.deepEqual((await list(`?since=${at(10)}`)).events, []);
    assert.deepEqual(actions(await list(`?actor=token:${root2.split('|')[0]}`)), ['caas_key.create']);
    assert.deepEqual((await list('?actor=token:999')).events, []);
    assert.deepEqual(actions(await list(`?resource=${uuid}`)), ['private_key.delete', 'private_key.update', 'private_key.create']);
    assert.deepEqual(actions(await list(`?resource=private_key:${uuid}`)), ['private_key.delete', 'private_key.update', 'private_key.create']);
    assert.deepEqual((await list(`?resource=caas_key:${uuid}`)).events, [], 'type and id must both match');
    assert.deepEqual(actions(await list('?resource=1/1/k1')), ['caas_key.create']);
    assert.deepEqual(actions(await list(`?resource=${encodeURIComponent('caas_key:1/1/k1')}`)), ['caas_key.create']);
    assert.deepEqual(actions(await list(`?resource=1/1/k1&actor=token:${root2.split('|')[0]}`)), []);
    assert.deepEqual(actions(await list(`?since=${at(1)}&until=${at(4)}&limit=1&resource=1/1/k1`)), ['caas_key.create']);
  });

  it("shows a team its own rows only, whatever the filters", async () => {
    const other = await list('', otherRoot);
    assert.deepEqual(actions(other), ['private_key.create']);
    assert.equal(other.events[0]!.resource_id, otherUuid);
    assert.deepEqual((await list(`?resource=${otherUuid}`)).events, []);
    assert.deepEqual((await list(`?resource=${uuid}`, otherRoot)).events, []);
    assert.deepEqual((await list(`?actor=token:${root.split('|')[0]}`, otherRoot)).events, []);
    // A cursor from one team's listing pages the other team's own rows only.
    const page = await list('?limit=1');
    assert.deepEqual(actions(await list(`?cursor=${page.next_cursor}`, otherRoot)), ['private_key.create']);
  });

  it('is for root tokens only: 401 without a valid token, 403 for any other ability', async () => {
    const anon = await s.request('GET', '/v1/audit');
    assert.equal(anon.status, 401);
    assert.deepEqual(Object.keys(anon.json().error), ['code', 'message', 'request_id']);
    assert.equal(anon.json().error.code, 'unauthorized');
    assert.equal(anon.json().error.request_id, anon.headers.get('x-request-id'));
    assert.equal(anon.headers.get('www-authenticate'), 'Bearer');
    for (const authorization of ['Bearer', 'Bearer nope', `Basic ${root}`, `Bearer ${root.slice(0, -1)}x`, `Token ${root}`, root]) {
      const r = await s.request('GET', '/v1/audit', { headers: { authorization } });
      assert.deepEqual([r.status, r.json().error.code], [401, 'unauthorized'], authorization);
    }
    assert.equal((await s.request('GET', '/v1/audit', { headers: { authorization: `APIKey ${root}` } })).status, 200);
    assert.equal((await s.request('GET', '/v1/audit', { headers: { authorization: `bearer ${root}` } })).status, 200);
    assert.equal((await s.request('GET', '/v1/audit', { headers: { 'x-api-key': root } })).status, 401, 'X-API-Key is for gateway keys, not tokens');
    for (const abilities of ['read', 'write', 'read,write,read:sensitive', 'verify']) {
      const r = await audit('', await s.token(abilities));
      assert.deepEqual([r.status, r.json().error], [403, { code: 'forbidden', message: 'the token lacks the root ability', request_id: r.headers.get('x-request-id') }], abilities);
    }
    const revoked = await s.token('root');
    await s.runtime.services.tokens.revoke(Number(revoked.split('|')[0]));
    assert.equal((await audit('', revoked)).status, 401);
    const expiring = await s.token('root', 'acme', { expiresInMs: 1000 });
    now += 2000;
    assert.equal((await audit('', expiring)).status, 401);
  });

  it('refuses bad parameters with 400 and a message that says what is wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      ['limit=0', /^limit must be an integer from 1 to 1000$/],
      ['limit=1001', /limit must be an integer from 1 to 1000/],
      ['limit=abc', /limit must be/],
      ['limit=1.5', /limit must be/],
      ['limit=-1', /limit must be/],
      ['limit=', /limit must be/],
      ['limit=%201', /limit must be/],
      ['since=yesterday', /^since must be an RFC 3339 date-time with an offset/],
      ['since=2026-03-01T10:00:00', /since must be an RFC 3339/],
      ['since=2026-03-01', /since must be an RFC 3339/],
      ['since=2026-02-30T00:00:00Z', /since must be an RFC 3339/],
      ['until=2026-03-01T24:00:00Z', /until must be an RFC 3339/],
      ['until=2026-03-01T10:00:00%2B24:00', /until must be an RFC 3339/],
      [`since=${at(2)}&until=${at(1)}`, /since must not be later than until/],
      ['cursor=bogus', /cursor is not one this server issued/],
      [`cursor=${Buffer.from('before:0').toString('base64url')}`, /cursor/],
      [`cursor=${Buffer.from('before:99999999999').toString('base64url')}`, /cursor/],
      [`cursor=${encodeCursor(5)}%3D`, /cursor/],
      ['actor=', /actor must not be empty/],
      ['actor=token%3A1%00', /actor must not contain NUL characters/],
      [`resource=${'x'.repeat(1001)}`, /resource must be at most 1000 characters/],
      ['limt=5', /^unknown parameter limt \(known: since, until, actor, resource, limit, cursor\)$/],
      ['limit=1&limit=2', /limit must be given once/],
      ['limit=0&since=x&foo=1', /unknown parameter foo.*; since must be .*; limit must be/],
    ];
    for (const [query, message] of cases) {
      const r = await audit(`?${query}`);
      assert.equal(r.status, 400, query);
      const { error } = r.json();
      assert.deepEqual([error.code, error.request_id], ['bad_request', r.headers.get('x-request-id')], query);
      assert.match(error.message, message, query);
    }
    // The boundaries themselves are fine.
    assert.equal((await list('?limit=1000')).events.length, 5);
    assert.equal((await list(`?since=${at(1)}&until=${at(1)}`)).events.length, 0);
    assert.equal((await list(`?cursor=${encodeCursor(2147483647)}`)).events.length, 5);
  });
});

describe('parseRfc3339', () => {
  it('reads RFC 3339 date-times with an offset, to the millisecond', () => {
    assert.equal(parseRfc3339('2026-03-01T10:00:00Z'), T0);
    assert.equal(parseRfc3339('2026-03-01t10:00:00z'), T0);
    assert.equal(parseRfc3339('2026-03-01 10:00:00Z'), T0);
    assert.equal(parseRfc3339('2026-03-01T12:30:00+02:30'), T0);
    assert.equal(parseRfc3339('2026-03-01T05:00:00-05:00'), T0);
    assert.equal(parseRfc3339('2026-03-01T10:00:00.1239Z'), T0 + 123);
    assert.equal(parseRfc3339('0001-01-01T00:00:00Z'), Date.parse('0001-01-01T00:00:00Z'));
    assert.equal(parseRfc3339('2024-02-29T00:00:00Z'), Date.parse('2024-02-29T00:00:00Z'));
    for (const bad of ['2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-03-01T10:00Z', '2026-03-01T10:00:60Z', '2026-03-01T10:00:00+2:00', '1772359200000', ' 2026-03-01T10:00:00Z']) {
      assert.equal(parseRfc3339(bad), undefined, bad);
    }
  });
});
