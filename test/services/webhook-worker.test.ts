import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { backoffMs, webhookWorker, type OutboundRequest } from '../../src/services/webhook-worker.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/server.js';

const actor = { teamId: 1, tokenId: null, label: 'test', ip: null, requestId: null };

describe(`webhook worker (${dialectUnderTest})`, () => {
  let tdb: TestDatabase;
  let rt: Runtime;
  before(async () => {
    tdb = await freshDatabase();
    rt = await createRuntime(testConfig(tdb.config), { serving: false });
    await rt.services.teams.create('acme');
    await rt.services.projects.createProject({ team: 'acme', id: 1 });
  });
  after(async () => {
    await rt.close();
    await tdb.drop();
  });

  it('signs with one reading of the clock, so the signature matches webhook-timestamp even across a second boundary', async () => {
    const { secret } = await rt.services.webhooks.create(actor, { url: 'http://127.0.0.1:9/', events: ['*'] });
    for (let i = 0; i < 5; i++) await rt.services.caasKeys.create(actor, 1, 1, { name: `k-${i}`, description: '', containers: [], expire: null, isDisabled: false });
    const sent: OutboundRequest[] = [];
    // A wall clock that moves 600 ms every time it is read: two readings per message would straddle seconds.
    let wall = Math.floor(Date.now() / 1000) * 1000 + 500;
    const worker = webhookWorker(rt.store, rt.keys, rt.clock, {
      owner: 'test',
      pollMs: 60_000,
      wallClock: () => (wall += 600),
      send: async (req) => (sent.push(req), { ok: true, status: 204, body: '', error: null, latencyMs: 1 }),
    });
    assert.equal(await worker.drain(), 5);
    await worker.close();
    assert.equal(sent.length, 5);
    const verifier = new Webhook(secret);
    for (const req of sent) assert.equal((verifier.verify(req.body, req.headers) as { type: string }).type, 'api_key.created');
    assert.equal(await worker.drain(), 0, 'delivered ones are not leased again');
  });

  it('close() waits briefly for attempts in flight, then aborts them and gives the leases back for another process', async () => {
    await rt.services.caasKeys.create(actor, 1, 1, { name: 'in-flight', description: '', containers: [], expire: null, isDisabled: false });
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    const stuck = webhookWorker(rt.store, rt.keys, rt.clock, {
      owner: 'stuck',
      pollMs: 60_000,
      // A receiver that never answers: the attempt ends only when the worker aborts it.
      send: (req) =>
        new Promise((resolve) => {
          started();
          req.signal!.addEventListener('abort', () => resolve({ ok: false, status: null, body: null, error: 'aborted', latencyMs: 0 }));
        }),
    });
    stuck.start();
    await inFlight;
    const t0 = Date.now();
    await stuck.close(200);
    assert.ok(Date.now() - t0 < 2000, 'closing does not wait for the receiver');
    const sent: string[] = [];
    const next = webhookWorker(rt.store, rt.keys, rt.clock, { owner: 'next', pollMs: 60_000, send: async (req) => (sent.push(req.body), { ok: true, status: 200, body: '', error: null, latencyMs: 1 }) });
    assert.equal(await next.drain(), 1, 'the lease was given back: another worker takes it at once');
    await next.close();
    assert.match(sent[0]!, /"name":"in-flight"/);
    const [d] = await rt.store.deliveries.list((await rt.store.webhooks.list(1))[0]!.id, 1);
    assert.deepEqual([d!.status, d!.attempts], ['delivered', 1], 'the aborted attempt did not count');
  });

  it('redeliver of a delivery whose attempt is in flight answers 409, and the event is sent once', async () => {
    const { webhook } = await rt.services.webhooks.create(actor, { url: 'http://127.0.0.1:9/leased', events: ['api_key.created'] });
    await rt.services.caasKeys.create(actor, 1, 1, { name: 'leased', description: '', containers: [], expire: null, isDisabled: false });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const sent: string[] = [];
    const worker = webhookWorker(rt.store, rt.keys, rt.clock, {
      owner: 'holder',
      pollMs: 60_000,
      send: async (req) => {
        if (req.url.endsWith('/leased')) {
          sent.push(req.headers['webhook-id']!);
          await held;
        }
        return { ok: true, status: 200, body: '', error: null, latencyMs: 1 };
      },
    });
    const drained = worker.drain();
    const mine = async () => (await rt.store.deliveries.list(webhook.id, 10))[0]!;
    while (sent.length === 0) await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(rt.services.webhooks.redeliver(actor, webhook.id, (await mine()).id), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'conflict');
      assert.match(err.message, /being attempted right now/);
      return true;
    });
    release();
    await drained;
    await worker.close();
    assert.equal(sent.length, 1);
    const d = await mine();
    assert.deepEqual([d.status, d.attempts], ['delivered', 1]);
    assert.equal((await rt.store.deliveries.list(webhook.id, 10)).length, 1, 'no second delivery was added');
    // Once delivered, a redeliver adds one new delivery; a second redeliver while that one is pending reuses it.
    const first = await rt.services.webhooks.redeliver(actor, webhook.id, d.id);
    const second = await rt.services.webhooks.redeliver(actor, webhook.id, d.id);
    assert.notEqual(first.id, d.id);
    assert.equal(second.id, first.id, 'at most one pending delivery of an event per endpoint');
    await rt.store.webhooks.delete(webhook.id);
  });

  it('backs off exponentially from 5 s to an hour, with a little jitter', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n, () => 0.5)), [5000, 10_000, 20_000, 40_000]);
    assert.equal(backoffMs(30, () => 0.5), 3_600_000);
    assert.equal(backoffMs(1, () => 0), 4500);
    assert.equal(backoffMs(1, () => 1), 5500);
  });
});
