import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { backoffMs, webhookWorker, type OutboundRequest } from '../../src/services/webhook-worker.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/server.js';
import { eventually } from '../helpers/tcp-proxy.js';

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

  /** Removes the endpoints earlier tests made, so each test below counts only its own deliveries. */
  const clean = async () => {
    for (const w of await rt.store.webhooks.list(1)) await rt.store.webhooks.delete(w.id);
  };
  const endpoint = async (path: string) => (await rt.services.webhooks.create(actor, { url: `http://127.0.0.1:9/${path}`, events: ['api_key.created'] })).webhook;
  let keyNo = 0;
  const keys = async (n: number) => {
    for (let i = 0; i < n; i++) await rt.services.caasKeys.create(actor, 1, 1, { name: `fair-${keyNo++}`, description: '', containers: [], expire: null, isDisabled: false });
  };
  const ok = { ok: true, status: 200, body: '', error: null, latencyMs: 1 };
  const pathOf = (url: string) => new URL(url).pathname.slice(1);

  it('a slow endpoint does not hold up the others: a finished attempt frees its slot at once, at most 2 in flight per endpoint', async () => {
    await clean();
    await endpoint('slow');
    await endpoint('fast');
    let slowInFlight = 0;
    let slowMax = 0;
    let fastSent = 0;
    const waiting: Array<() => void> = [];
    const worker = webhookWorker(rt.store, rt.keys, rt.clock, {
      owner: 'continuous',
      pollMs: 50,
      send: (req) => {
        if (pathOf(req.url) === 'fast') return Promise.resolve((fastSent++, ok));
        slowInFlight++;
        slowMax = Math.max(slowMax, slowInFlight);
        return new Promise((resolve) => {
          const done = () => (slowInFlight--, resolve(ok));
          waiting.push(done);
          req.signal?.addEventListener('abort', done);
        });
      },
    });
    await keys(1);
    worker.start();
    assert.ok(await eventually(async () => fastSent === 1 && slowInFlight === 1, 5000), 'both endpoints got the first event');
    await keys(5);
    assert.ok(await eventually(async () => fastSent === 6, 5000), `the fast endpoint got every event while the slow one hangs (${fastSent})`);
    assert.equal(slowInFlight, 2, 'the slow endpoint has 2 attempts in flight, its other deliveries wait');
    // Each finished slow attempt lets the next one start, until all six are delivered.
    while (waiting.length > 0 || slowInFlight > 0) {
      waiting.shift()?.();
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(await eventually(async () => (await rt.store.deliveries.list((await rt.store.webhooks.list(1)).find((w) => w.url.endsWith('/slow'))!.id, 10)).every((d) => d.status === 'delivered'), 5000));
    assert.equal(slowMax, 2);
    await worker.close(100);
  });

  it('an endpoint that keeps failing is backed off on its own: its other deliveries wait, other endpoints go on', async () => {
    await clean();
    const bad = await endpoint('bad');
    await endpoint('good');
    await keys(6);
    let offset = 0;
    const clock = () => Date.now() + offset;
    const sent = { bad: 0, good: 0 };
    let badRecovered = false;
    const worker = webhookWorker(rt.store, rt.keys, clock, {
      owner: 'backoff',
      pollMs: 60_000,
      send: async (req) => {
        const which = pathOf(req.url) as 'bad' | 'good';
        sent[which]++;
        return which === 'good' || badRecovered ? ok : { ok: false, status: 500, body: '', error: null, latencyMs: 1 };
      },
    });
    await worker.drain();
    assert.deepEqual(sent, { bad: 2, good: 6 }, 'the two attempts in flight failed; the endpoint backs off and its four other deliveries wait');
    const untried = async () => (await rt.store.deliveries.list(bad.id, 10)).filter((d) => d.attempts === 0).length;
    assert.equal(await untried(), 4);
    let hook = (await rt.store.webhooks.find(bad.id))!;
    assert.equal(hook.consecutiveFailures, 2);
    assert.ok(hook.backoffUntil !== null && hook.backoffUntil - clock() > 8000, 'backed off about 10 s after two failures');
    await worker.drain();
    assert.equal(sent.bad, 2, 'nothing while the endpoint backs off');

    offset += 12_000; // past the endpoint's backoff: two deliveries probe it again
    await worker.drain();
    assert.equal(sent.bad, 4);
    assert.equal(await untried(), 2);
    hook = (await rt.store.webhooks.find(bad.id))!;
    assert.equal(hook.consecutiveFailures, 4);

    badRecovered = true;
    offset += 3_600_000;
    await worker.drain();
    assert.equal(sent.bad, 10, 'once it answers, the backlog drains: 6 deliveries, 4 of them for the second time');
    assert.ok((await rt.store.deliveries.list(bad.id, 10)).every((d) => d.status === 'delivered'));
    hook = (await rt.store.webhooks.find(bad.id))!;
    assert.deepEqual([hook.consecutiveFailures, hook.backoffUntil, hook.failingSince], [0, null, null], 'a success ends the backoff');
    await worker.close();
  });

  it('at most 2 attempts per endpoint are in flight across processes, and at most `concurrency` per process', async () => {
    await clean();
    for (const p of ['e1', 'e2', 'e3']) await endpoint(p);
    await keys(4);
    const inFlight = new Map<string, number>();
    let most = 0;
    const perWorker = { p1: 0, p2: 0 };
    const perWorkerMost = { p1: 0, p2: 0 };
    const hanging = (owner: 'p1' | 'p2') => (req: OutboundRequest) => {
      const p = pathOf(req.url);
      inFlight.set(p, (inFlight.get(p) ?? 0) + 1);
      most = Math.max(most, ...inFlight.values());
      perWorker[owner]++;
      perWorkerMost[owner] = Math.max(perWorkerMost[owner], perWorker[owner]);
      return new Promise<typeof ok>((resolve) =>
        req.signal?.addEventListener('abort', () => {
          inFlight.set(p, inFlight.get(p)! - 1);
          perWorker[owner]--;
          resolve({ ...ok, ok: false });
        }),
      );
    };
    const workers = (['p1', 'p2'] as const).map((owner) => webhookWorker(rt.store, rt.keys, rt.clock, { owner, pollMs: 30, concurrency: 3, perEndpoint: 2, send: hanging(owner) }));
    for (const w of workers) w.start();
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(most, 2, `never more than 2 in flight to one endpoint (${JSON.stringify([...inFlight])})`);
    assert.deepEqual(perWorkerMost, { p1: 3, p2: 3 }, 'each process keeps to its own bound');
    assert.equal([...inFlight.values()].reduce((a, b) => a + b, 0), 6);
    await Promise.all(workers.map((w) => w.close(50)));
  });

  it('backs off exponentially from 5 s to an hour, with a little jitter', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n, () => 0.5)), [5000, 10_000, 20_000, 40_000]);
    assert.equal(backoffMs(30, () => 0.5), 3_600_000);
    assert.equal(backoffMs(1, () => 0), 4500);
    assert.equal(backoffMs(1, () => 1), 5500);
  });
});
