import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { dialectUnderTest } from '../helpers/db.js';
import { messages, startReceiver, type Received, type Receiver } from '../helpers/receiver.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/tcp-proxy.js';

/**
 * Issue 21: a test event on demand, and rotating an endpoint's signing secret with a grace period in
 * which the old secret keeps signing beside the new one. Receivers check with the standardwebhooks
 * package's own verifier, holding one secret or the other, as a real receiver mid-switch does.
 */
describe(`webhook test events and signing-secret rotation (${dialectUnderTest})`, () => {
  let s: TestServer;
  let now = Date.parse('2026-03-01T12:00:00Z');
  const clock = () => now;
  let root: string;
  let other: string;
  let receiver: Receiver;
  let everything: Receiver;
  /** The endpoint the first test makes: the rotation tests rotate its secret. */
  let hook: { id: string; secret: string };
  const call = (method: string, path: string, token: string, body?: unknown) => s.request(method, path, { token, body });
  const waitFor = async (what: string, check: () => boolean) => assert.ok(await eventually(async () => check(), 10_000, 20), `timed out waiting for ${what}`);
  const verifies = (secret: string, m: Received) => {
    try {
      new Webhook(secret).verify(m.body, m.headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  };
  const subscribe = async (url: string, events: string[]) => {
    const r = await call('POST', '/v1/webhooks', root, { url, events });
    assert.equal(r.status, 201, r.text);
    return r.json() as { id: string; secret: string };
  };
  let keyNumber = 0;
  /** Makes an event the endpoint subscribes to, and answers what the receiver got for it. */
  const nextEvent = async (): Promise<Received> => {
    const before = receiver.received.length;
    assert.equal((await call('POST', '/v1/api-keys', root, { project_id: 1, region_id: 1, name: `k${++keyNumber}`, containers: [] })).status, 201);
    await waitFor('the api_key.created delivery', () => receiver.received.length > before);
    return receiver.received[receiver.received.length - 1]!;
  };

  before(async () => {
    s = await startTestServer({ clock });
    root = await s.token('root');
    other = await s.token('root', 'other');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    receiver = await startReceiver();
    everything = await startReceiver();
  });
  after(async () => {
    await s.close();
    await receiver.close();
    await everything.close();
  });

  it('a test event goes to that endpoint only, whatever it subscribes to, signed, audited; 409 when disabled, 404 for another team', async () => {
    hook = await subscribe(receiver.url, ['api_key.deleted']);
    await subscribe(everything.url, ['*']);
    const r = await call('POST', `/v1/webhooks/${hook.id}/test`, root);
    assert.equal(r.status, 202, r.text);
    const delivery = r.json() as { id: number; event_type: string; status: string };
    assert.equal(delivery.event_type, 'webhook.test');
    assert.equal(delivery.status, 'pending');

    await waitFor('the test delivery', () => receiver.received.length === 1);
    const [m] = messages(receiver);
    assert.equal(m!.type, 'webhook.test');
    assert.deepEqual(m!.data.webhook, { id: hook.id, url: receiver.url });
    assert.ok(verifies(hook.secret, receiver.received[0]!), 'signed with the endpoint secret');
    const log = (await call('GET', `/v1/webhooks/${hook.id}/deliveries`, root)).json() as { deliveries: Array<{ id: number; status: string }> };
    assert.equal(log.deliveries[0]!.id, delivery.id);
    assert.ok(await eventually(async () => ((await call('GET', `/v1/webhooks/${hook.id}/deliveries`, root)).json() as typeof log).deliveries[0]!.status === 'delivered', 10_000, 20));
    // The '*' endpoint never hears of another endpoint's test.
    assert.equal(everything.received.filter((x) => x.body.includes('webhook.test')).length, 0);
    const audit = (await call('GET', `/v1/audit?resource=${hook.id}`, root)).json() as { events: Array<{ action: string }> };
    assert.ok(audit.events.some((e) => e.action === 'webhook.test'), JSON.stringify(audit.events));

    assert.equal((await call('POST', `/v1/webhooks/${hook.id}/test`, other)).status, 404);
    assert.equal((await call('PATCH', `/v1/webhooks/${hook.id}`, root, { enabled: false })).status, 200);
    const disabled = await call('POST', `/v1/webhooks/${hook.id}/test`, root);
    assert.equal(disabled.status, 409, disabled.text);
    assert.match(disabled.json().error.message, /is disabled: enable it/);
    assert.equal((await call('PATCH', `/v1/webhooks/${hook.id}`, root, { enabled: true, events: ['api_key.created'] })).status, 200);
    receiver.received.length = 0;
  });

  it('rotating with a grace period: the new secret once, both secrets verify during the grace period, only the new one after', async () => {
    const r = await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, root, { grace_seconds: 3600 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const rotated = r.json() as { secret: string; previous_secret_until: string };
    assert.match(rotated.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(rotated.secret, hook.secret);
    assert.equal(rotated.previous_secret_until, new Date(now + 3_600_000).toISOString());
    const shown = (await call('GET', `/v1/webhooks/${hook.id}`, root)).json() as Record<string, unknown>;
    assert.equal(shown.secret, undefined, 'the secret is shown once');
    assert.equal(shown.previous_secret_until, rotated.previous_secret_until);

    const during = await nextEvent();
    assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2, 'two signatures in the grace period');
    assert.ok(verifies(hook.secret, during), 'a receiver still holding the old secret accepts it');
    assert.ok(verifies(rotated.secret, during), 'a receiver holding the new secret accepts it');

    // A master-key rotation in the grace period moves both secrets: both keep verifying.
    assert.equal((await s.runtime.services.rotation.rotate()).webhookSecrets, 2);
    const afterRewrap = await nextEvent();
    assert.ok(verifies(hook.secret, afterRewrap) && verifies(rotated.secret, afterRewrap), 'both verify after a data-key rotation');

    now += 3_600_000;
    const after = await nextEvent();
    assert.equal(String(after.headers['webhook-signature']).split(' ').length, 1);
    assert.ok(verifies(rotated.secret, after));
    assert.equal(verifies(hook.secret, after), false, 'the old secret stops once the grace period ends');

    const audit = (await call('GET', `/v1/audit?resource=${hook.id}`, root)).json() as { events: Array<{ action: string; fields?: string[] }> };
    const entry = audit.events.find((e) => e.action === 'webhook.rotate_secret');
    assert.ok(entry, 'audited');
    assert.doesNotMatch(JSON.stringify(audit.events), /whsec_/, 'no secret in the audit trail');
  });

  it('grace_seconds 0 switches at once; out-of-range grace is a 400; another team gets 404', async () => {
    const r = await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, root, { grace_seconds: 0 });
    assert.equal(r.status, 200, r.text);
    const fresh = r.json() as { secret: string; previous_secret_until: string | null };
    assert.equal(fresh.previous_secret_until, null);
    const m = await nextEvent();
    assert.equal(String(m.headers['webhook-signature']).split(' ').length, 1);
    assert.ok(verifies(fresh.secret, m));

    const tooLong = await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, root, { grace_seconds: 8 * 86_400 });
    assert.equal(tooLong.status, 400, tooLong.text);
    assert.match(tooLong.json().error.message, /grace_seconds/);
    assert.equal((await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, other, {})).status, 404);
  });
});
