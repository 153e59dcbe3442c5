// The namespaced client (createKeyhold) end to end, against a real keyhold server on SQLite or
// PostgreSQL (KEYHOLD_TEST_DATABASE_URL).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createKeyhold, KeyholdError, type Keyhold } from '../../packages/sdk/src/index.js';
import { dialectUnderTest } from '../helpers/db.js';
import { sshKeygenMany } from '../helpers/keys.js';
import { startReceiver } from '../helpers/receiver.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Asserts that `p` rejects with a KeyholdError of this status and code, and returns it. */
async function rejectsWith(p: Promise<unknown>, status: number, code: string): Promise<KeyholdError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof KeyholdError, `a KeyholdError, not ${String(e)}`);
    assert.ok(e instanceof Error, 'an Error too');
    assert.deepEqual([e.status, e.code, e.name], [status, code, 'KeyholdError'], e.message);
    return e;
  }
  assert.fail(`expected a ${status} ${code}`);
}

async function eventually(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe(`the namespaced client against a real server (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let keyhold: Keyhold;
  /** Every request the client sent, as `METHOD path?query`, and each answer's X-Request-Id. */
  const sent: string[] = [];
  const requestIds: string[] = [];
  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    keyhold = createKeyhold({
      baseUrl: s.url,
      token: root,
      fetch: async (request) => {
        const u = new URL(request.url);
        sent.push(`${request.method} ${u.pathname}${u.search}`);
        const response = await fetch(request);
        requestIds.push(response.headers.get('x-request-id') ?? '');
        return response;
      },
    });
  });
  after(() => s.close());

  it('projects, regions, me and overview', async () => {
    const project = await keyhold.projects.create({ id: 7, name: 'sdk' });
    assert.deepEqual([project.id, project.name, project.keys], [7, 'sdk', 0]);
    const next = await keyhold.projects.create();
    assert.ok(next.id > 0, `the next free id: ${next.id}`);
    assert.deepEqual(
      (await keyhold.projects.list()).map((p) => p.id).sort((a, b) => a - b),
      [7, next.id].sort((a, b) => a - b),
    );
    await keyhold.projects.delete(next.id);
    assert.deepEqual(
      (await keyhold.projects.list()).map((p) => p.id),
      [7],
    );
    assert.ok(
      (await keyhold.regions.list()).some((r) => r.id === 1),
      'region 1 is there from the start',
    );
    const me = await keyhold.me();
    assert.deepEqual([me.team.name, me.token.abilities, me.session], ['acme', ['root'], null]);
    const overview = await keyhold.overview();
    assert.deepEqual([overview.projects, overview.api_keys.active], [1, 0]);
  });

  it('an API key: create, get, list, update, disable, enable, reroll, delete; verify VALID and refusals', async () => {
    const gateway = await keyhold.tokens.create({ name: 'gateway', abilities: ['verify'] });
    const asGateway = createKeyhold({ baseUrl: s.url, token: gateway.token });

    const created = await keyhold.apiKeys.create({ project_id: 7, region_id: 1, name: 'ci-deploy', containers: [{ name: 'web', namespace: 'default' }] });
    assert.match(created.secret, /^khk_/);
    assert.equal(created.status, 'Active');
    const got = await keyhold.apiKeys.get(7, 1, 'ci-deploy');
    assert.deepEqual(await keyhold.apiKeys.get(created), got, 'an ApiKey names itself');
    assert.equal(got.secret_prefix, created.secret_prefix);
    assert.ok(!('secret' in got), 'the secret is shown once');

    const verdict = await asGateway.verify({ key: created.secret, container: { name: 'web' } });
    assert.deepEqual([verdict.valid, verdict.code, verdict.key?.name], [true, 'VALID', 'ci-deploy']);
    const elsewhere = await asGateway.verify({ key: created.secret, container: { name: 'db' } });
    assert.deepEqual([elsewhere.valid, elsewhere.code], [false, 'FORBIDDEN_CONTAINER']);
    assert.deepEqual((await asGateway.verify({ key: 'khk_nonsense', container: { name: 'web' } })).code, 'MALFORMED');

    const updated = await keyhold.apiKeys.update(created, { description: 'deploys from CI' });
    assert.equal(updated.description, 'deploys from CI');
    const page = await keyhold.apiKeys.list({ project_id: 7, q: 'from ci' });
    assert.deepEqual(
      page.keys.map((k) => k.name),
      ['ci-deploy'],
    );
    assert.equal(page.next_cursor, null);

    assert.equal((await keyhold.apiKeys.disable(7, 1, 'ci-deploy')).is_disabled, true);
    assert.equal((await asGateway.verify({ key: created.secret, container: { name: 'web' } })).code, 'DISABLED');
    assert.equal((await keyhold.apiKeys.list({ project_id: 7, status: 'Disabled' })).keys.length, 1);
    assert.equal((await keyhold.apiKeys.enable(created)).is_disabled, false);
    assert.equal((await asGateway.verify({ key: created.secret, container: { name: 'web' } })).code, 'VALID');

    const rerolled = await keyhold.apiKeys.reroll(created);
    assert.match(rerolled.secret, /^khk_/);
    assert.notEqual(rerolled.secret, created.secret);
    assert.equal((await asGateway.verify({ key: created.secret, container: { name: 'web' } })).valid, false, 'no grace: the old secret stops at once');
    assert.equal((await asGateway.verify({ key: rerolled.secret, container: { name: 'web' } })).code, 'VALID');
    const graceful = await keyhold.apiKeys.reroll(7, 1, 'ci-deploy', { grace_seconds: 3600 });
    assert.notEqual(graceful.rotating_until, null);
    assert.equal((await asGateway.verify({ key: rerolled.secret, container: { name: 'web' } })).code, 'VALID', 'within its grace period');

    await keyhold.apiKeys.delete(created);
    await rejectsWith(keyhold.apiKeys.get(created), 404, 'not_found');
    assert.equal((await asGateway.verify({ key: graceful.secret, container: { name: 'web' } })).code, 'NOT_FOUND');
  });

  it('pages through more than one page with listAll, and through the audit log', async () => {
    await keyhold.projects.create({ id: 8 });
    const names = Array.from({ length: 7 }, (_, i) => `paged-${i}`);
    for (const name of names) await keyhold.apiKeys.create({ project_id: 8, region_id: 1, name, containers: [] });
    const first = await keyhold.apiKeys.list({ project_id: 8, limit: 3 });
    assert.equal(first.keys.length, 3);
    assert.equal(typeof first.next_cursor, 'string');

    const before = sent.length;
    const seen: string[] = [];
    for await (const k of keyhold.apiKeys.listAll({ project_id: 8, limit: 3 })) seen.push(k.name);
    assert.deepEqual([...seen].sort(), names);
    const pages = sent.slice(before);
    assert.equal(pages.length, 3, `three pages of 3: ${pages.join(', ')}`);
    assert.ok(
      pages.every((p) => p.startsWith('GET /v1/api-keys?') && p.includes('limit=3') && p.includes('project_id=8')),
      'each page asked with the filters',
    );
    assert.ok(!pages[0]!.includes('cursor=') && pages[1]!.includes('cursor=') && pages[2]!.includes('cursor='), 'the cursor from the second page on');

    // Breaking out of the loop early asks for no more pages.
    const mark = sent.length;
    for await (const k of keyhold.apiKeys.listAll({ project_id: 8, limit: 2 })) {
      assert.ok(k.name.startsWith('paged-'), k.name);
      break;
    }
    assert.equal(sent.length - mark, 1);

    const events = [];
    for await (const e of keyhold.audit.listAll({ limit: 4 })) events.push(e);
    assert.ok(events.length > 8, `the audit log has every write so far: ${events.length}`);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'no entry twice');
    assert.equal(events.filter((e) => e.action === 'caas_key.create' && e.resource_id.includes('paged-')).length, 7, 'each key made above');
    const firstPage = await keyhold.audit.list({ limit: 4 });
    assert.deepEqual(
      firstPage.events.map((e) => e.id),
      events.slice(0, 4).map((e) => e.id),
    );
  });

  it('exports the audit trail as NDJSON, oldest first, with chain positions; a bad time is a KeyholdError', async () => {
    const text = await new Response(await keyhold.audit.export()).text();
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: number; seq: number; mac: string; action: string });
    assert.ok(lines.length > 8, `every entry so far: ${lines.length}`);
    assert.deepEqual(lines.map((l) => l.seq), lines.map((_, i) => lines[0]!.seq + i), 'oldest first, one chain');
    assert.ok(lines.every((l) => /^[0-9a-f]{64}$/.test(l.mac)));
    const none = await new Response(await keyhold.audit.export({ from: '2999-01-01T00:00:00Z' })).text();
    assert.equal(none, '');
    await assert.rejects(keyhold.audit.export({ from: 'yesterday' }), (e: unknown) => e instanceof KeyholdError && e.status === 400);
  });

  it('SSH keys: create, list, get, update, reveal, delete (keys from ssh-keygen)', async () => {
    const [a, b] = sshKeygenMany(2);
    const created = await keyhold.sshKeys.create({ name: 'deploy', description: 'from ssh-keygen', private_key: a! });
    assert.equal(created.key_type, 'ssh-ed25519');
    assert.match(created.fingerprint ?? '', /^SHA256:/);
    assert.ok(!JSON.stringify(created).includes('PRIVATE KEY'), 'never the private key in a listing');
    const other = await keyhold.sshKeys.create({ name: 'other', private_key: b! });
    assert.deepEqual((await keyhold.sshKeys.list()).map((k) => k.uuid).sort(), [created.uuid, other.uuid].sort());
    assert.deepEqual(await keyhold.sshKeys.get(created.uuid), created);
    const renamed = await keyhold.sshKeys.update(created.uuid, { name: 'deploy-2', description: null });
    assert.deepEqual([renamed.name, renamed.description, renamed.fingerprint], ['deploy-2', null, created.fingerprint]);
    const revealed = await keyhold.sshKeys.reveal(created.uuid);
    assert.equal(revealed.uuid, created.uuid);
    assert.equal(revealed.private_key.trim(), a!.trim());
    await rejectsWith(keyhold.sshKeys.create({ name: 'again', private_key: a! }), 409, 'conflict');
    await keyhold.sshKeys.delete(created.uuid);
    await rejectsWith(keyhold.sshKeys.get(created.uuid), 404, 'not_found');
    await rejectsWith(keyhold.sshKeys.reveal(created.uuid), 404, 'not_found');
    assert.deepEqual(
      (await keyhold.sshKeys.list()).map((k) => k.uuid),
      [other.uuid],
    );
  });

  it('tokens: create, list, revoke; a revoked token is refused', async () => {
    const t = await keyhold.tokens.create({ name: 'reader', abilities: ['read'], expires_in: 3600 });
    assert.ok(t.token.startsWith(`${t.id}|`), 'a token is <id>|<secret>');
    const listed = (await keyhold.tokens.list()).find((x) => x.id === t.id);
    assert.deepEqual([listed?.name, listed?.state, listed?.abilities], ['reader', 'active', ['read']]);
    assert.ok(!('token' in listed!), 'a listing has no secret');
    const asReader = createKeyhold({ baseUrl: s.url, token: t.token });
    assert.equal((await asReader.me()).token.id, t.id);
    await rejectsWith(asReader.apiKeys.create({ project_id: 7, region_id: 1, name: 'nope', containers: [] }), 403, 'forbidden');
    await keyhold.tokens.revoke(t.id);
    assert.equal((await keyhold.tokens.list()).find((x) => x.id === t.id)?.state, 'revoked');
    await rejectsWith(asReader.me(), 401, 'unauthorized');
  });

  it('a token can come from a function, asked for each request', async () => {
    let asked = 0;
    const lazy = createKeyhold({
      baseUrl: s.url,
      token: async () => {
        asked++;
        return root;
      },
    });
    await lazy.me();
    await lazy.overview();
    assert.equal(asked, 2);
  });

  it('webhooks: create, list, get, update, deliveries, redeliver, delete', async () => {
    const rx = await startReceiver();
    try {
      const w = await keyhold.webhooks.create({ url: `${rx.url}/hook`, events: ['api_key.created'], description: 'sdk' });
      assert.match(w.secret, /^whsec_/);
      assert.deepEqual(
        (await keyhold.webhooks.list()).map((x) => x.id),
        [w.id],
      );
      assert.equal((await keyhold.webhooks.get(w.id)).description, 'sdk');
      await keyhold.apiKeys.create({ project_id: 7, region_id: 1, name: 'hooked', containers: [] });
      await eventually('the delivery', async () => (await keyhold.webhooks.deliveries(w.id)).deliveries[0]?.status === 'delivered');
      const [d] = (await keyhold.webhooks.deliveries(w.id, { limit: 1 })).deliveries;
      assert.equal(d?.event_type, 'api_key.created');
      const again = await keyhold.webhooks.redeliver(w.id, d.id);
      assert.equal(again.status, 'pending');
      await eventually('the redelivery', async () => rx.received.length === 2);
      const all = [];
      for await (const x of keyhold.webhooks.allDeliveries(w.id, { limit: 1 })) all.push(x);
      assert.equal(all.length, 2);
      assert.equal((await keyhold.webhooks.update(w.id, { enabled: false })).enabled, false);
      await keyhold.webhooks.delete(w.id);
      await rejectsWith(keyhold.webhooks.get(w.id), 404, 'not_found');
    } finally {
      await rx.close();
    }
  });

  it("surfaces keyhold's errors as KeyholdError with status, code, message and the request id", async () => {
    const mark = requestIds.length;
    const e = await rejectsWith(keyhold.apiKeys.get(7, 1, 'no-such-key'), 404, 'not_found');
    assert.match(e.message, /./);
    assert.equal(e.requestId, requestIds[mark], 'the X-Request-Id of the answer');
    assert.ok(e.requestId && s.logs.some((l) => l.includes(e.requestId!)), "and in keyhold's log");
    assert.equal(e.retryAfter, undefined);

    const bad = await rejectsWith(keyhold.apiKeys.list({ limit: 0 }), 400, 'bad_request');
    assert.match(bad.message, /limit must be an integer from 1 to 1000/);
    await rejectsWith(keyhold.apiKeys.create({ project_id: 7, region_id: 1, name: 'Not Valid', containers: [] }), 400, 'bad_request');
    await keyhold.apiKeys.create({ project_id: 7, region_id: 1, name: 'twice', containers: [] });
    await rejectsWith(keyhold.apiKeys.create({ project_id: 7, region_id: 1, name: 'twice', containers: [] }), 409, 'conflict');
    await rejectsWith(createKeyhold({ baseUrl: s.url }).me(), 401, 'unauthorized');
    const regionErr = await rejectsWith(keyhold.regions.create({ id: 99, name: 'far' }), 403, 'forbidden');
    assert.match(regionErr.message, /admin/);
  });

  it('gives a 429 its retryAfter', async () => {
    const locked = await startTestServer({ config: { authFailures: { limit: 2, windowMs: 60_000 } } });
    try {
      const wrong = createKeyhold({ baseUrl: locked.url, token: '1|wrong', retries: false });
      await rejectsWith(wrong.me(), 401, 'unauthorized');
      await rejectsWith(wrong.me(), 401, 'unauthorized');
      const e = await rejectsWith(wrong.me(), 429, 'rate_limited');
      assert.ok(typeof e.retryAfter === 'number' && e.retryAfter > 0 && e.retryAfter <= 60, `retryAfter ${e.retryAfter}`);
    } finally {
      await locked.close();
    }
  });
});
