import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { dialectUnderTest } from '../helpers/db.js';
import { SPEC_EC, SPEC_ED25519 } from '../helpers/keys.js';
import { messages, startReceiver, type Receiver } from '../helpers/receiver.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/tcp-proxy.js';

/**
 * Webhooks through keyhold's own API against real receivers on loopback: endpoints and their
 * tenancy, every event type signed per Standard Webhooks (checked with the standardwebhooks
 * package's own verifier), retries with backoff on a clock the test moves, redelivery, giving up
 * after 24 hours and disabling an endpoint that failed for 3 days. No payload carries a secret.
 */
describe(`webhooks (${dialectUnderTest})`, () => {
  let s: TestServer;
  let now = Date.parse('2026-03-01T12:00:00Z');
  const clock = () => now;
  let root: string;
  let other: string;
  const receivers: Receiver[] = [];
  const call = (method: string, path: string, token?: string, body?: unknown) => s.request(method, path, { token, body });
  const receiver = async (respond?: Receiver['respond']) => {
    const r = await startReceiver(respond);
    receivers.push(r);
    return r;
  };
  const waitFor = async (what: string, check: () => boolean, ms = 10_000) => assert.ok(await eventually(async () => check(), ms, 20), `timed out waiting for ${what}`);
  const subscribe = async (url: string, events: string[], token = root) => {
    const r = await call('POST', '/v1/webhooks', token, { url, events, description: 'test' });
    assert.equal(r.status, 201, r.text);
    return r.json() as { id: string; secret: string };
  };

  before(async () => {
    s = await startTestServer({ clock });
    root = await s.token('root');
    other = await s.token('root', 'other');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
  });
  after(async () => {
    await s.close();
    for (const r of receivers) await r.close();
  });

  it('endpoints: created with a whsec_ secret shown once and stored sealed, listed, updated and deleted by root only; other teams see 404', async () => {
    const rx = await receiver();
    const created = await call('POST', '/v1/webhooks', root, { url: `${rx.url}/hook`, events: ['api_key.created', 'token.revoked'], description: 'ops' });
    assert.equal(created.status, 201, created.text);
    const w = created.json();
    assert.match(w.id, /^wh_[a-z0-9]+$/);
    assert.match(w.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(
      { ...w, id: 0, secret: 0, created_at: 0, updated_at: 0 },
      { id: 0, secret: 0, url: `${rx.url}/hook`, events: ['api_key.created', 'token.revoked'], description: 'ops', enabled: true, disabled_at: null, disabled_reason: null, failing_since: null, backoff_until: null, previous_secret_until: null, created_at: 0, updated_at: 0 },
    );
    const listed = (await call('GET', '/v1/webhooks', root)).json();
    assert.deepEqual(listed.map((x: { id: string }) => x.id), [w.id]);
    assert.ok(!JSON.stringify(listed).includes(w.secret) && !('secret' in listed[0]), 'the secret is shown once');
    const row = await s.runtime.db.db.selectFrom('webhooks').selectAll().where('id', '=', w.id).executeTakeFirstOrThrow();
    const secretBytes = Buffer.from(w.secret.slice('whsec_'.length), 'base64');
    assert.ok(!Buffer.from(row.secret_ciphertext).includes(Buffer.from(w.secret)) && !Buffer.from(row.secret_ciphertext).includes(secretBytes), 'sealed, not stored as is');
    assert.ok(!JSON.stringify(row).includes(w.secret.slice(6, 30)));

    // root only; another team's id is a 404 on every route.
    const write = await s.token('write');
    assert.equal((await call('GET', '/v1/webhooks', write)).status, 403);
    assert.equal((await call('POST', '/v1/webhooks', write, { url: rx.url, events: ['*'] })).status, 403);
    for (const [method, path, body] of [
      ['GET', `/v1/webhooks/${w.id}`],
      ['PATCH', `/v1/webhooks/${w.id}`, { description: 'mine now' }],
      ['DELETE', `/v1/webhooks/${w.id}`],
      ['GET', `/v1/webhooks/${w.id}/deliveries`],
      ['POST', `/v1/webhooks/${w.id}/deliveries/1/redeliver`],
    ] as Array<[string, string, unknown?]>) {
      const r = await call(method, path, other, body);
      assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
    }
    assert.equal((await call('GET', '/v1/webhooks', other)).json().length, 0);

    // Validation.
    for (const body of [{ url: 'ftp://example.com/x', events: ['*'] }, { url: rx.url, events: ['api_key.nope'] }, { url: rx.url, events: [] }, { url: 'https://user:pw@example.com', events: ['*'] }]) {
      assert.equal((await call('POST', '/v1/webhooks', root, body)).status, 400, JSON.stringify(body));
    }

    const patched = await call('PATCH', `/v1/webhooks/${w.id}`, root, { events: ['*'], enabled: false });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual([patched.json().events, patched.json().enabled, patched.json().disabled_reason], [['*'], false, 'disabled by a user']);
    assert.equal((await call('PATCH', `/v1/webhooks/${w.id}`, root, { enabled: true })).json().enabled, true);
    assert.equal((await call('DELETE', `/v1/webhooks/${w.id}`, root)).status, 204);
    assert.equal((await call('GET', `/v1/webhooks/${w.id}`, root)).status, 404);
    const trail = (await call('GET', '/v1/audit?resource=webhook:' + w.id, root)).json().events.map((e: { action: string }) => e.action);
    assert.deepEqual(trail.sort(), ['webhook.create', 'webhook.delete', 'webhook.update', 'webhook.update']);
  });

  it('every event type reaches a subscribed endpoint, signed per Standard Webhooks, with no secret in any payload', async () => {
    const rx = await receiver();
    const all = await subscribe(`${rx.url}/all`, ['*']);
    const keysOnly = await receiver();
    await subscribe(`${keysOnly.url}/keys`, ['api_key.rerolled']);
    const secrets: string[] = [root, other, all.secret];

    // API keys: created, updated, disabled, enabled, rerolled, deleted; expiring and expired.
    const created = await call('POST', '/v1/api-keys', root, { project_id: 1, region_id: 1, name: 'k1', containers: [{ name: 'web', namespace: 'default' }] });
    assert.equal(created.status, 201, created.text);
    secrets.push(created.json().secret);
    await call('PATCH', '/v1/api-keys/1/1/k1', root, { description: 'new words', is_disabled: true });
    await call('PATCH', '/v1/api-keys/1/1/k1', root, { is_disabled: false });
    const rerolled = await call('POST', '/v1/api-keys/1/1/k1/reroll', root, { grace_seconds: 3600 });
    assert.equal(rerolled.status, 201, rerolled.text);
    secrets.push(rerolled.json().secret);
    assert.equal((await call('DELETE', '/v1/api-keys/1/1/k1', root)).status, 204);
    const soon = await call('POST', '/v1/api-keys', root, { project_id: 1, region_id: 1, name: 'soon', containers: [], expire: new Date(now + 2 * 86_400_000).toISOString() });
    secrets.push(soon.json().secret);
    now += 86_400_000 + 60_000; // inside the 1-day lead time
    await s.runtime.expiry.check();
    now += 86_400_000; // past the expiry
    await s.runtime.expiry.check();

    // Private keys: created, updated, revealed, deleted.
    const pk = await call('POST', '/v1/private-keys', root, { name: 'deploy', private_key: SPEC_ED25519 });
    assert.equal(pk.status, 201, pk.text);
    const uuid = pk.json().uuid as string;
    await call('PATCH', `/v1/private-keys/${uuid}`, root, { name: 'deploy-2', private_key: SPEC_EC });
    assert.equal((await call('POST', `/v1/private-keys/${uuid}/reveal`, root)).status, 200);
    await call('DELETE', `/v1/private-keys/${uuid}`, root);

    // Tokens: created and revoked.
    const tok = await call('POST', '/v1/tokens', root, { name: 'ci', abilities: ['read'] });
    secrets.push(tok.json().token);
    await call('DELETE', `/v1/tokens/${tok.json().id}`, root);

    // The master key's data-key rotation: instance-wide, offered to every team's subscribed endpoints.
    // It moves the signing secrets too; what is signed after it still verifies with the same secret.
    const rotation = await s.runtime.services.rotation.rotate();
    assert.equal(rotation.webhookSecrets, 2);
    const versions = await s.runtime.db.db.selectFrom('webhooks').select('key_version').where('team_id', '=', 1).execute();
    assert.deepEqual([...new Set(versions.map((v) => v.key_version))], [2]);

    const types = [
      'api_key.created', 'api_key.updated', 'api_key.disabled', 'api_key.enabled', 'api_key.rerolled', 'api_key.deleted', 'api_key.created',
      'api_key.expiring', 'api_key.expired', 'private_key.created', 'private_key.updated', 'private_key.revealed', 'private_key.deleted',
      'token.created', 'token.revoked', 'master_key.rotated',
    ];
    await waitFor('every event', () => rx.received.length >= types.length);
    await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
    // Deliveries of one endpoint are not ordered (2 are in flight at once): compare in event order.
    const got = messages(rx).sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.id.localeCompare(b.id));
    assert.deepEqual(got.map((m) => m.type).sort(), [...types].sort());
    assert.equal(new Set(got.map((m) => m.id)).size, got.length, 'one webhook-id per event');
    const verifier = new Webhook(all.secret);
    for (const m of rx.received) {
      assert.deepEqual(verifier.verify(m.body, m.headers as Record<string, string>), JSON.parse(m.body));
      assert.match(String(m.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]{43}=$/);
      assert.equal(m.headers['content-type'], 'application/json');
    }
    assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(rx.received[0]!.body, rx.received[0]!.headers as Record<string, string>), 'a wrong secret fails');
    assert.deepEqual(messages(keysOnly).map((m) => m.type), ['api_key.rerolled'], 'only what it subscribed to');

    const byType = (t: string) => got.filter((m) => m.type === t).map((m) => m.data);
    assert.deepEqual(byType('api_key.updated')[0].changed, ['description']);
    assert.equal(byType('api_key.updated')[0].key.description, 'new words');
    assert.equal(byType('api_key.rerolled')[0].grace_seconds, 3600);
    assert.equal(byType('api_key.expiring')[0].lead_seconds, 86_400);
    assert.equal(byType('api_key.expired')[0].key.name, 'soon');
    assert.deepEqual(byType('private_key.updated')[0].changed, ['name', 'private_key']);
    assert.equal(byType('token.revoked')[0].token.id, tok.json().id);
    assert.equal(byType('master_key.rotated')[0].key_version, 2);

    // No secret in any payload: API-key secrets, tokens, signing secrets, key text, digests.
    const bodies = [...rx.received, ...keysOnly.received].map((m) => m.body).join('\n');
    for (const secret of secrets) {
      // A token is `<id>|<secret>`: the id is no secret (payloads name tokens by id).
      for (const part of [secret.split('|').pop()!]) {
        assert.ok(!bodies.includes(part), `a secret leaked into a payload: ${part.slice(0, 6)}…`);
        assert.ok(!bodies.includes(createHash('sha256').update(part).digest('hex')), 'a digest leaked into a payload');
      }
    }
    assert.ok(!bodies.includes('whsec_'), 'no signing secret');
    assert.ok(!/-----BEGIN|PRIVATE KEY/.test(bodies), 'no key text');
    for (const line of [SPEC_ED25519, SPEC_EC].flatMap((k) => k.split('\n').slice(1, -2))) assert.ok(!bodies.includes(line));
    assert.ok(!/\b[0-9a-f]{64}\b/.test(bodies), 'nothing shaped like a digest');
    assert.ok(!bodies.includes('khk_'), 'not even a secret prefix');
  });

  it('retries with backoff until the receiver recovers, all attempts with one webhook-id; redelivery sends it again', async () => {
    let failures = 2;
    const rx = await receiver(() => (failures-- > 0 ? { status: 503, body: 'x'.repeat(5000) } : { status: 200, body: 'ok' }));
    const w = await subscribe(rx.url, ['api_key.created']);
    assert.equal((await call('POST', '/v1/api-keys', root, { project_id: 1, region_id: 1, name: 'retry-me', containers: [] })).status, 201);
    await waitFor('the first attempt', () => rx.received.length === 1);
    const deliveries = async () => (await call('GET', `/v1/webhooks/${w.id}/deliveries`, root)).json().deliveries;
    await waitFor('the attempt to be recorded', () => true);
    assert.ok(await eventually(async () => (await deliveries())[0]?.attempts === 1, 5000));
    let [d] = await deliveries();
    assert.deepEqual([d.status, d.attempts, d.response_status, d.delivered_at], ['pending', 1, 503, null]);
    assert.equal(d.response_body.length, 1024, 'at most 1 KB of the answer is kept');
    const firstRetry = Date.parse(d.next_attempt_at) - now;
    assert.ok(firstRetry >= 4500 && firstRetry <= 5500, `first retry after about 5 s: ${firstRetry}`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(rx.received.length, 1, 'not before it is due');

    now += 6000;
    await waitFor('the second attempt', () => rx.received.length === 2);
    assert.ok(await eventually(async () => (await deliveries())[0]?.attempts === 2, 5000));
    [d] = await deliveries();
    const secondRetry = Date.parse(d.next_attempt_at) - now;
    assert.ok(secondRetry >= 9000 && secondRetry <= 11_000, `then after about 10 s: ${secondRetry}`);
    now += 12_000;
    await waitFor('the third attempt', () => rx.received.length === 3);
    assert.ok(await eventually(async () => (await deliveries())[0]?.status === 'delivered', 5000));
    [d] = await deliveries();
    assert.deepEqual([d.status, d.attempts, d.response_status, d.response_body, d.event_type], ['delivered', 3, 200, 'ok', 'api_key.created']);
    assert.equal(typeof d.latency_ms, 'number');
    assert.equal(new Set(rx.received.map((m) => m.headers['webhook-id'])).size, 1);
    assert.equal(d.event_id, rx.received[0]!.headers['webhook-id']);
    const verifier = new Webhook(w.secret);
    for (const m of rx.received) verifier.verify(m.body, m.headers as Record<string, string>);

    const again = await call('POST', `/v1/webhooks/${w.id}/deliveries/${d.id}/redeliver`, root);
    assert.equal(again.status, 202, again.text);
    assert.equal(again.json().status, 'pending');
    await waitFor('the redelivery', () => rx.received.length === 4);
    assert.equal(rx.received[3]!.headers['webhook-id'], d.event_id, 'the same message id');
    assert.equal((await call('POST', `/v1/webhooks/${w.id}/deliveries/999999/redeliver`, root)).status, 404);
  });

  it('gives a delivery up after 24 hours, and disables an endpoint that failed for 3 days (webhook.disabled says so)', async () => {
    const down = await receiver(() => ({ status: 500 }));
    const watcher = await receiver();
    const bad = await subscribe(down.url, ['api_key.created']);
    await subscribe(watcher.url, ['webhook.disabled']);
    const t0 = now;
    await call('POST', '/v1/api-keys', root, { project_id: 1, region_id: 1, name: 'never-1', containers: [] });
    await waitFor('the first attempt', () => down.received.length === 1);
    const deliveries = async () => (await call('GET', `/v1/webhooks/${bad.id}/deliveries`, root)).json().deliveries;
    assert.ok(await eventually(async () => (await deliveries())[0]?.attempts === 1, 5000));
    now = t0 + 25 * 3_600_000;
    await waitFor('a late attempt', () => down.received.length === 2);
    assert.ok(await eventually(async () => (await deliveries())[0]?.status === 'failed', 5000), 'failed after 24 hours');
    let hook = (await call('GET', `/v1/webhooks/${bad.id}`, root)).json();
    assert.deepEqual([hook.enabled, hook.failing_since], [true, new Date(t0).toISOString()]);

    await call('POST', '/v1/api-keys', root, { project_id: 1, region_id: 1, name: 'never-2', containers: [] });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(down.received.length, 2, 'the endpoint backs off after failing twice in a row: its new delivery waits too');
    assert.ok(Date.parse((await call('GET', `/v1/webhooks/${bad.id}`, root)).json().backoff_until) > now);
    now += 12_000;
    await waitFor('its attempt', () => down.received.length === 3);
    now = t0 + 3 * 86_400_000 + 60_000;
    await waitFor('the disabling event', () => watcher.received.length === 1);
    hook = (await call('GET', `/v1/webhooks/${bad.id}`, root)).json();
    assert.deepEqual([hook.enabled, hook.disabled_reason], [false, 'every delivery failed for 3 days']);
    const [m] = messages(watcher);
    assert.equal(m!.type, 'webhook.disabled');
    assert.equal(m!.data.webhook.id, bad.id);
    const sent = down.received.length;
    await call('POST', '/v1/api-keys', root, { project_id: 1, region_id: 1, name: 'never-3', containers: [] });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(down.received.length, sent, 'nothing more goes to a disabled endpoint');
  });

  it('redeliver of a pending delivery sends its event once: the manual attempt replaces the scheduled retry', async () => {
    let failing = true;
    const rx = await receiver(() => (failing ? { status: 503 } : { status: 200 }));
    const w = await subscribe(rx.url, ['api_key.created']);
    assert.equal((await call('POST', '/v1/api-keys', root, { project_id: 1, region_id: 1, name: 'redeliver-pending', containers: [] })).status, 201);
    await waitFor('the first attempt', () => rx.received.length === 1);
    const deliveries = async () => (await call('GET', `/v1/webhooks/${w.id}/deliveries`, root)).json().deliveries;
    assert.ok(await eventually(async () => (await deliveries())[0]?.attempts === 1, 5000));
    const [d] = await deliveries();
    assert.equal(d.status, 'pending', 'a retry is scheduled');
    failing = false;

    const again = await call('POST', `/v1/webhooks/${w.id}/deliveries/${d.id}/redeliver`, root);
    assert.equal(again.status, 202, again.text);
    assert.equal(again.json().id, d.id, 'the pending delivery itself is sent now, no second delivery is made');
    await waitFor('the manual attempt', () => rx.received.length === 2);
    assert.ok(await eventually(async () => (await deliveries())[0]?.status === 'delivered', 5000));
    // The retry that was scheduled is gone: hours later nothing more arrives.
    now += 2 * 3_600_000;
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(rx.received.length, 2, 'sent once after the redeliver, not again by the old schedule');
    assert.equal(new Set(rx.received.map((m) => m.headers['webhook-id'])).size, 1);
    const list = await deliveries();
    assert.deepEqual(
      list.map((x: { id: number; status: string; attempts: number }) => [x.id, x.status, x.attempts]),
      [[d.id, 'delivered', 2]],
    );
  });
});
