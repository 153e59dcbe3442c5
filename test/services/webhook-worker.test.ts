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

  it('backs off exponentially from 5 s to an hour, with a little jitter', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n, () => 0.5)), [5000, 10_000, 20_000, 40_000]);
    assert.equal(backoffMs(30, () => 0.5), 3_600_000);
    assert.equal(backoffMs(1, () => 0), 4500);
    assert.equal(backoffMs(1, () => 1), 5500);
  });
});
