import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Config } from '../../src/config.js';
import { backupSqlite, restoreSqlite } from '../../src/db/backup.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { pruner, type PrunedTable } from '../../src/services/pruner.js';
import { webhookWorker } from '../../src/services/webhook-worker.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/server.js';

const DAY = 86_400_000;
const actor = { teamId: 1, tokenId: null, label: 'test', ip: null, requestId: null };
const retention = { eventsMs: 30 * DAY, deliveriesMs: 30 * DAY, auditMs: 365 * DAY };

/** A runtime on a clock the test moves, with team acme (id 1), project 1 and two endpoints: /ok answers 200, /down 500. */
async function setUp(tdb: TestDatabase, clock: () => number, config?: Config): Promise<{ rt: Runtime; config: Config }> {
  const cfg = config ?? testConfig(tdb.config);
  const rt = await createRuntime(cfg, { serving: false, clock });
  if (!config) {
    await rt.services.teams.create('acme');
    await rt.services.projects.createProject({ team: 'acme', id: 1 });
    for (const p of ['ok', 'down']) await rt.services.webhooks.create(actor, { url: `http://127.0.0.1:9/${p}`, events: ['api_key.created'] });
  }
  return { rt, config: cfg };
}

/** Sends everything due: /ok is delivered, /down fails. */
async function deliver(rt: Runtime, clock: () => number): Promise<void> {
  const worker = webhookWorker(rt.store, rt.keys, clock, {
    owner: 'test',
    pollMs: 60_000,
    send: async (req) => (req.url.endsWith('/ok') ? { ok: true, status: 200, body: '', error: null, latencyMs: 1 } : { ok: false, status: 500, body: '', error: null, latencyMs: 1 }),
  });
  await worker.drain();
  await worker.close();
}

const newKey = (rt: Runtime, name: string) => rt.services.caasKeys.create(actor, 1, 1, { name, description: '', containers: [], expire: null, isDisabled: false });

async function counts(rt: Runtime) {
  const n = async (table: 'events' | 'webhook_deliveries' | 'audit_events') => Number((await rt.db.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { events: await n('events'), webhook_deliveries: await n('webhook_deliveries'), audit_events: await n('audit_events') };
}

/** Deliveries whose event is gone: a broken foreign key (there must be none). */
async function orphans(rt: Runtime): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from webhook_deliveries d left join events e on e.id = d.event_id where e.id is null`.execute(rt.db.db);
  return Number(rows[0]!.n);
}

describe(`retention: pruning events, deliveries and the audit trail (${dialectUnderTest})`, () => {
  let tdb: TestDatabase;
  let rt: Runtime;
  let config: Config;
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = () => now;
  const pruned: Record<PrunedTable, number> = { webhook_deliveries: 0, events: 0, audit_events: 0, usage_minutes: 0, usage_hours: 0 };
  const prunerFor = (o: { batchSize?: number } = {}) =>
    pruner(rt.store, clock, { ...retention, intervalMs: 3_600_000, batchSize: o.batchSize ?? 2, pauseMs: 0, onPruned: (t, n) => (pruned[t] += n) });

  before(async () => {
    tdb = await freshDatabase();
    ({ rt, config } = await setUp(tdb, clock));
  });
  after(async () => {
    await rt.close();
    await tdb.drop();
  });

  it('deletes finished deliveries and the events no delivery needs; never a pending delivery or its event', async () => {
    const t0 = now;
    for (const name of ['e1', 'e2', 'e3']) await newKey(rt, name);
    await rt.services.caasKeys.update(actor, 1, 1, 'e1', { description: 'no endpoint subscribes to updates' });
    await deliver(rt, clock);
    // e1's failing delivery has given up; e2's and e3's are still being retried.
    const down = (await rt.store.webhooks.list(1)).find((w) => w.url.endsWith('/down'))!;
    const [e1] = await rt.store.events.list({ type: 'api_key.created' });
    await rt.db.db.updateTable('webhook_deliveries').set({ status: 'failed' }).where('webhook_id', '=', down.id).where('event_id', '=', e1!.id).execute();
    const beforePrune = await counts(rt);
    assert.deepEqual([beforePrune.events, beforePrune.webhook_deliveries], [4, 6]);

    now = t0 + 31 * DAY;
    await newKey(rt, 'recent');
    const result = await prunerFor().run();
    assert.deepEqual(result, { webhook_deliveries: 4, events: 2, audit_events: 0, usage_minutes: 0, usage_hours: 0 }, 'e1×2 and e2, e3 to /ok; then e1 and the update event');
    assert.deepEqual(pruned, result, 'counted per table, batch by batch');
    const left = await rt.db.db.selectFrom('webhook_deliveries').select(['status', 'event_id', 'created_at']).execute();
    assert.equal(left.filter((d) => d.created_at === t0).length, 2);
    assert.ok(left.filter((d) => d.created_at === t0).every((d) => d.status === 'pending'), 'only the two pending old deliveries are left of the old ones');
    const events = (await rt.store.events.list()).map((e) => JSON.parse(e.payload).data.key.name);
    assert.deepEqual(events, ['e2', 'e3', 'recent'], 'a pending delivery keeps its event');
    assert.equal(await orphans(rt), 0);
    assert.deepEqual(await prunerFor().run(), { webhook_deliveries: 0, events: 0, audit_events: 0, usage_minutes: 0, usage_hours: 0 }, 'a second pass finds nothing');
  });

  it("deletes each team's oldest audit entries strictly in id order and records where each team's kept trail starts", async () => {
    await rt.db.db.deleteFrom('audit_events').execute();
    const at = (teamId: number | null, createdAt: number) =>
      rt.store.audit.insert({ teamId, actor: 'test', tokenId: null, action: 'x.y', resourceType: 'x', resourceId: '1', changed: [], ip: null, requestId: null, createdAt });
    const old = now - 400 * DAY;
    const recent = now - DAY;
    await at(1, old);
    await at(1, old);
    await at(1, recent);
    await at(1, old); // written while the clock was wrong: kept, since an entry before it is kept
    await at(1, recent);
    for (let i = 0; i < 7; i++) await at(2, old);
    await at(null, old);
    const ids = async (teamId: number | null) =>
      (await rt.store.audit.list(teamId === null ? {} : { teamId })).filter((e) => e.teamId === teamId).map((e) => e.id);
    const team1 = await ids(1);
    const team2 = await ids(2);
    const instance = await ids(null);

    const result = await prunerFor({ batchSize: 3 }).run();
    assert.equal(result.audit_events, 2 + 7 + 1);
    assert.deepEqual(await ids(1), team1.slice(2), 'team 1 keeps everything from its first recent entry on');
    assert.deepEqual(await ids(2), []);
    assert.deepEqual(await ids(null), []);
    const points = await rt.store.audit.prunePoints();
    assert.deepEqual(
      points.map((p) => [p.teamId, p.lastPrunedId, p.prunedAt]),
      [
        [null, instance.at(-1), now],
        [1, team1[1], now],
        [2, team2.at(-1), now],
      ],
    );

    now += 400 * DAY;
    await prunerFor({ batchSize: 3 }).run();
    assert.deepEqual(await ids(1), []);
    assert.equal((await rt.store.audit.prunePoints()).find((p) => p.teamId === 1)!.lastPrunedId, team1.at(-1));
  });

  it('two servers pruning at once delete every row once, with no error', async () => {
    const t0 = now;
    for (let i = 0; i < 12; i++) await newKey(rt, `bulk-${i}`);
    await deliver(rt, clock);
    await rt.db.db.updateTable('webhook_deliveries').set({ status: 'delivered' }).execute(); // every one done, earlier tests' too
    const old = await counts(rt);
    now = t0 + 400 * DAY;
    const other = await createRuntime(config, { serving: false, clock });
    try {
      const a = pruner(rt.store, clock, { ...retention, intervalMs: 3_600_000, batchSize: 3, pauseMs: 0 });
      const b = pruner(other.store, clock, { ...retention, intervalMs: 3_600_000, batchSize: 3, pauseMs: 0 });
      const [ra, rb] = await Promise.all([a.run(), b.run()]);
      // Anything one pass skipped (held by the other) goes at the next.
      const rc = await a.run();
      const total = (t: PrunedTable) => ra[t] + rb[t] + rc[t];
      assert.deepEqual(await counts(rt), { events: 0, webhook_deliveries: 0, audit_events: 0 });
      assert.deepEqual([total('events'), total('webhook_deliveries'), total('audit_events')], [old.events, old.webhook_deliveries, old.audit_events]);
    } finally {
      await other.close();
    }
  });
});

describe('retention on SQLite: file size and backups', { skip: dialectUnderTest !== 'sqlite' && 'SQLite only' }, () => {
  it('after pruning, a steady create/update/delete cycle reuses freed pages: the file stops growing', async () => {
    const tdb = await freshDatabase();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = () => now;
    const { rt } = await setUp(tdb, clock);
    const short = { eventsMs: 2 * DAY, deliveriesMs: 2 * DAY, auditMs: 2 * DAY, intervalMs: 3_600_000, pauseMs: 0 };
    const p = pruner(rt.store, clock, short);
    const reader = new SQLite(tdb.file, { readonly: true });
    const pages: number[] = [];
    try {
      for (let day = 0; day < 12; day++) {
        now += DAY;
        for (let i = 0; i < 25; i++) {
          await newKey(rt, `c-${i}`);
          await rt.services.caasKeys.update(actor, 1, 1, `c-${i}`, { description: `day ${day}` });
          await rt.services.caasKeys.remove(actor, 1, 1, `c-${i}`);
        }
        await deliver(rt, clock);
        // Give up on /down's deliveries: they would otherwise stay pending (and kept) for 24 hours.
        await rt.db.db.updateTable('webhook_deliveries').set({ status: 'failed' }).where('status', '=', 'pending').execute();
        await p.run();
        pages.push(Number(reader.pragma('page_count', { simple: true })));
      }
      const wal = fs.statSync(`${tdb.file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
      console.log(`# pages after each day: ${pages.join(' ')}; file ${fs.statSync(tdb.file!).size} B, WAL ${wal} B`);
      // Rows live 2 days: from day 3 on, each day's new rows take the pages the pruned ones freed.
      assert.ok(pages[11]! <= pages[5]! + 2, `the file stopped growing: ${pages.join(' ')}`);
    } finally {
      reader.close();
      await rt.close();
      await tdb.drop();
    }
  });

  it('a backup taken before pruning restores with everything in it, and the next pass prunes the restored old rows cleanly', async () => {
    const tdb = await freshDatabase();
    const dir = path.dirname(tdb.file!);
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = () => now;
    const opened = await setUp(tdb, clock);
    const config = opened.config;
    let rt = opened.rt;
    const masterKey = Buffer.from((config.masterKey as { value: string }).value, 'base64');
    const run = () => pruner(rt.store, clock, { ...retention, auditMs: 30 * DAY, intervalMs: 3_600_000, pauseMs: 0 }).run();
    try {
      for (let i = 0; i < 5; i++) await newKey(rt, `old-${i}`);
      await deliver(rt, clock);
      await rt.db.db.updateTable('webhook_deliveries').set({ status: 'failed' }).where('status', '=', 'pending').execute();
      const full = await counts(rt);
      const backup = path.join(dir, 'before-pruning.db');
      await backupSqlite(tdb.file!, backup, masterKey);

      now += 31 * DAY;
      await newKey(rt, 'new');
      const first = await run();
      assert.deepEqual(first, { webhook_deliveries: full.webhook_deliveries, events: full.events, audit_events: full.audit_events, usage_minutes: 0, usage_hours: 0 });
      const teamPoint = (await rt.store.audit.prunePoints()).find((p) => p.teamId === 1)!;
      // A backup after pruning is a sound database too.
      await backupSqlite(tdb.file!, path.join(dir, 'after-pruning.db'), masterKey);

      // Restore the backup taken before pruning: every old row is back, and the prune points are as they were then (none).
      await rt.close();
      restoreSqlite(backup, tdb.file!, masterKey);
      ({ rt } = await setUp(tdb, clock, config));
      assert.deepEqual(await counts(rt), full, 'the backup holds what it held');
      assert.deepEqual(await rt.store.audit.prunePoints(), []);

      const second = await run();
      assert.deepEqual(second, first, 'the next pass prunes the restored old rows as it did the first time');
      assert.deepEqual(await counts(rt), { events: 0, webhook_deliveries: 0, audit_events: 0 });
      assert.equal(await orphans(rt), 0);
      assert.deepEqual((await rt.store.audit.prunePoints()).find((p) => p.teamId === 1)!.lastPrunedId, teamPoint.lastPrunedId);
    } finally {
      await rt.close();
      await tdb.drop();
    }
  });
});
