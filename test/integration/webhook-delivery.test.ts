import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { startReceiver } from '../helpers/receiver.js';
import { startTestServer, testConfig } from '../helpers/server.js';
import { eventually } from '../helpers/tcp-proxy.js';

const actor = { teamId: 1, tokenId: null, label: 'test', ip: null, requestId: null };

/** A store with a team, a project, a root token and a webhook to `url`; opened in-process, not serving. */
async function setUp(tdb: TestDatabase, masterKey: string, url: string): Promise<{ root: string; secret: string; webhookId: string; open: () => Promise<Runtime> }> {
  const open = () => createRuntime(testConfig(tdb.config, { masterKey: { kind: 'env', value: masterKey } }), { serving: false });
  const rt = await open();
  try {
    await rt.services.teams.create('acme');
    await rt.services.projects.createProject({ team: 'acme', id: 1 });
    const root = (await rt.services.tokens.create({ team: 'acme', abilities: ['root'] })).token;
    const { webhook, secret } = await rt.services.webhooks.create(actor, { url, events: ['api_key.created'] });
    return { root, secret, webhookId: webhook.id, open };
  } finally {
    await rt.close();
  }
}

const serverEnv = (tdb: TestDatabase, masterKey: string) => ({ KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: masterKey, KEYHOLD_WEBHOOK_ALLOW_PRIVATE: '1', KEYHOLD_WEBHOOK_POLL_MS: '100' });

describe(`webhook delivery across process deaths (${dialectUnderTest})`, () => {
  it('a delivery in flight when the server is killed (-9) is sent after a restart, under the same webhook-id', async () => {
    const tdb = await freshDatabase();
    const masterKey = randomBytes(32).toString('base64');
    const rx = await startReceiver((_m, n) => (n === 1 ? 'hang' : { status: 200 }));
    const procs: ServeProcess[] = [];
    try {
      const { root, secret, webhookId, open } = await setUp(tdb, masterKey, `${rx.url}/hook`);
      const first = await serve(serverEnv(tdb, masterKey));
      procs.push(first);
      const created = await fetch(`${first.url}/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${root}`, 'content-type': 'application/json' },
        body: JSON.stringify({ project_id: 1, region_id: 1, name: 'survivor', containers: [] }),
      });
      assert.equal(created.status, 201);
      assert.ok(await eventually(async () => rx.received.length === 1, 15_000), 'the first attempt reached the receiver');
      first.child.kill('SIGKILL'); // mid-request: the attempt is never recorded, its lease never given back
      await first.exited;

      const second = await serve(serverEnv(tdb, masterKey));
      procs.push(second);
      // The dead process's lease (15 s) runs out, then the new process sends it.
      assert.ok(await eventually(async () => rx.received.length >= 2, 40_000), 'delivered after the restart');
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(rx.received.length, 2, 'sent once more, not again and again');
      const ids = new Set(rx.received.map((m) => m.headers['webhook-id']));
      assert.equal(ids.size, 1, 'exactly one webhook-id: receivers de-duplicate on it');
      for (const m of rx.received) new Webhook(secret).verify(m.body, m.headers as Record<string, string>);
      assert.equal(JSON.parse(rx.received[1]!.body).data.key.name, 'survivor');

      const rt = await open();
      try {
        const [d] = await rt.store.deliveries.list(webhookId, 10);
        assert.deepEqual([d!.status, d!.attempts, d!.responseStatus], ['delivered', 1, 200]);
      } finally {
        await rt.close();
      }
    } finally {
      for (const p of procs) {
        p.child.kill('SIGTERM');
        await p.exited;
      }
      await rx.close();
      await tdb.drop();
    }
  });

  it('a change committed while no server runs is delivered by the next one to start', async () => {
    const tdb = await freshDatabase();
    const masterKey = randomBytes(32).toString('base64');
    const rx = await startReceiver();
    let srv: ServeProcess | undefined;
    try {
      const { secret, open } = await setUp(tdb, masterKey, rx.url);
      const rt = await open();
      await rt.services.caasKeys.create(actor, 1, 1, { name: 'offline', description: '', containers: [], expire: null, isDisabled: false });
      await rt.close();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(rx.received.length, 0, 'a command-line process writes events but sends none');
      srv = await serve(serverEnv(tdb, masterKey));
      assert.ok(await eventually(async () => rx.received.length === 1, 15_000));
      const m = rx.received[0]!;
      assert.equal((new Webhook(secret).verify(m.body, m.headers as Record<string, string>) as { type: string }).type, 'api_key.created');
    } finally {
      if (srv) {
        srv.child.kill('SIGTERM');
        await srv.exited;
      }
      await rx.close();
      await tdb.drop();
    }
  });
});

describe('webhook delivery by two server processes on one PostgreSQL', { skip: dialectUnderTest !== 'postgres' && 'PostgreSQL only' }, () => {
  it('each event is delivered once, by one of them', async () => {
    const tdb = await freshDatabase();
    const masterKey = randomBytes(32).toString('base64');
    const rx = await startReceiver(() => ({ status: 200 }));
    const procs: ServeProcess[] = [];
    try {
      const { open } = await setUp(tdb, masterKey, rx.url);
      procs.push(await serve(serverEnv(tdb, masterKey)), await serve(serverEnv(tdb, masterKey)));
      const rt = await open();
      const n = 40;
      try {
        for (let i = 0; i < n; i++) await rt.services.caasKeys.create(actor, 1, 1, { name: `k-${i}`, description: '', containers: [], expire: null, isDisabled: false });
      } finally {
        await rt.close();
      }
      assert.ok(await eventually(async () => rx.received.length >= n, 30_000), `all ${n} delivered (${rx.received.length})`);
      await new Promise((r) => setTimeout(r, 1500));
      const ids = rx.received.map((m) => String(m.headers['webhook-id']));
      assert.equal(new Set(ids).size, n);
      assert.equal(ids.length, n, 'no event was sent twice');
    } finally {
      for (const p of procs) {
        p.child.kill('SIGTERM');
        await p.exited;
      }
      await rx.close();
      await tdb.drop();
    }
  });
});

/** A TCP server that accepts connections and never writes a byte: the dead endpoint of a stalled receiver. */
async function blackHole(): Promise<{ url: string; open: () => number; most: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let most = 0;
  const server = net.createServer((sock) => {
    sockets.add(sock);
    most = Math.max(most, sockets.size);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    open: () => sockets.size,
    most: () => most,
    close: () =>
      new Promise<void>((r) => {
        for (const sock of sockets) sock.destroy();
        server.close(() => r());
      }),
  };
}

describe(`fair webhook scheduling (${dialectUnderTest})`, () => {
  it("one team's dead endpoints (120 deliveries into sockets that never answer) do not delay another team's delivery", async () => {
    const holes = [await blackHole(), await blackHole()];
    const rx = await startReceiver();
    const s = await startTestServer();
    try {
      const rt = s.runtime;
      await s.token('root', 'team-a');
      await s.token('root', 'team-b');
      const a = (await rt.store.teams.findByName('team-a'))!;
      const b = (await rt.store.teams.findByName('team-b'))!;
      const actorOf = (teamId: number) => ({ teamId, tokenId: null, label: 'test', ip: null, requestId: null });
      await rt.services.projects.createProject({ team: 'team-a', id: 11 });
      await rt.services.projects.createProject({ team: 'team-b', id: 12 });
      for (const h of holes) await rt.services.webhooks.create(actorOf(a.id), { url: h.url, events: ['api_key.created'] });
      await rt.services.webhooks.create(actorOf(b.id), { url: rx.url, events: ['api_key.created'] });
      // Team A: 60 keys, each event to both dead endpoints: 120 deliveries.
      for (let i = 0; i < 60; i++) await rt.services.caasKeys.create(actorOf(a.id), 11, 1, { name: `a-${i}`, description: '', containers: [], expire: null, isDisabled: false });
      assert.ok(await eventually(async () => holes.every((h) => h.open() > 0), 5000), 'the dead endpoints are being tried');

      const t0 = Date.now();
      await rt.services.caasKeys.create(actorOf(b.id), 12, 1, { name: 'b-0', description: '', containers: [], expire: null, isDisabled: false });
      assert.ok(await eventually(async () => rx.received.length === 1, 5000, 10), "team B's delivery arrives within 5 s");
      const latency = Date.now() - t0;
      console.log(`# team B's delivery arrived ${latency} ms after its event, with 120 of team A's deliveries stuck`);
      assert.equal(JSON.parse(rx.received[0]!.body).data.key.name, 'b-0');
      for (const h of holes) assert.ok(h.most() <= 2, `at most 2 connections to one endpoint at once (${h.most()})`);
    } finally {
      await s.close();
      for (const h of holes) await h.close();
      await rx.close();
    }
  });
});
