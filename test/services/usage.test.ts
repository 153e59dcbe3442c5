import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { pruner } from '../../src/services/pruner.js';
import { REFUSALS_PER_KEY } from '../../src/services/usage-counter.js';
import { usageWindow } from '../../src/services/usage.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/server.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const actor = { teamId: 1, tokenId: null, label: 'test', ip: null, requestId: null };
const web = { name: 'web', namespace: 'default' };

const sum = (series: Array<{ counts: Record<string, number> }>, code: string) => series.reduce((n, p) => n + (p.counts[code] ?? 0), 0);

describe(`verification usage: counting, flushing, rollup, refusals (${dialectUnderTest})`, () => {
  let tdb: TestDatabase;
  let rt: Runtime;
  let secret: string;
  let keyId: number;
  // A clock the test moves: on a minute boundary, so the arithmetic below is exact.
  let now = Date.parse('2026-03-01T10:00:00Z');
  const clock = () => now;
  const verify = (container = web, key = secret, extra: { teamId?: number; ip?: string; requestId?: string } = {}) =>
    rt.services.verify.verify({ key, container, ...extra });

  before(async () => {
    tdb = await freshDatabase();
    rt = await createRuntime(testConfig(tdb.config), { serving: false, clock });
    await rt.services.teams.create('acme');
    await rt.services.teams.create('other');
    await rt.services.projects.createProject({ team: 'acme', id: 1 });
    const created = await rt.services.caasKeys.create(actor, 1, 1, { name: 'counted', description: '', containers: [web], expire: null, isDisabled: false });
    secret = created.secret;
    keyId = created.key.id;
  });
  after(async () => {
    await rt.close();
    await tdb.drop();
  });

  it('counts answers per minute and code, unflushed ones included, and writes them as one row per minute and code', async () => {
    const t0 = now;
    for (let i = 0; i < 3; i++) await verify();
    await verify({ name: 'db', namespace: 'default' });
    now += MINUTE;
    await verify();
    // Read before the flush: this process's counts are added to what is stored.
    const before = await rt.services.usage.keySeries(1, keyId, { granularity: 'minute', from: t0, to: now + MINUTE });
    assert.deepEqual(before.series.map((p) => [p.counts.VALID, p.counts.FORBIDDEN_CONTAINER]), [[3, 1], [1, 0]]);
    await rt.services.verify.flushUsage();
    const rows = await rt.db.db.selectFrom('usage_minutes').select(['team_id', 'key_id', 'minute', 'code', 'count']).where('key_id', '=', keyId).orderBy('minute').orderBy('code').execute();
    assert.deepEqual(
      rows.map((r) => [r.team_id, r.key_id, Number(r.minute), r.code, Number(r.count)]),
      [
        [1, keyId, t0, 'FORBIDDEN_CONTAINER', 1],
        [1, keyId, t0, 'VALID', 3],
        [1, keyId, t0 + MINUTE, 'VALID', 1],
      ],
    );
    const after = await rt.services.usage.keySeries(1, keyId, { granularity: 'minute', from: t0, to: now + MINUTE });
    assert.deepEqual(after, before, 'the same once flushed: nothing counted twice');
    // A second flush adds to the stored rows rather than replacing them.
    await verify();
    await rt.services.verify.flushUsage();
    const again = await rt.services.usage.keySeries(1, keyId, { granularity: 'minute', from: t0, to: now + MINUTE });
    assert.equal(again.series[1]!.counts.VALID, 2);
  });

  it("counts unknown and malformed keys for the asking team with no key, and forward-auth's (no team) for no team", async () => {
    const from = now;
    await verify(web, 'not-a-key', { teamId: 1 });
    await verify(web, 'not-a-key');
    await verify(web, 'not-a-key', { teamId: 2 });
    await rt.services.verify.flushUsage();
    const team = await rt.services.usage.teamSeries(1, { granularity: 'minute', from, to: now + MINUTE });
    assert.equal(sum(team.series, 'MALFORMED'), 1);
    const rows = await rt.db.db.selectFrom('usage_minutes').select(['team_id', 'key_id', 'count']).where('code', '=', 'MALFORMED').orderBy('team_id').execute();
    assert.deepEqual(rows.map((r) => [r.team_id, r.key_id, Number(r.count)]), [[0, 0, 1], [1, 0, 1], [2, 0, 1]]);
  });

  it('keeps the newest refusals per key, with code, container, address and request id, and never the key', async () => {
    const total = REFUSALS_PER_KEY + 30;
    for (let i = 0; i < total; i++) await verify({ name: `c-${i}`, namespace: 'ns' }, secret, { ip: '192.0.2.7', requestId: `req-${i}` });
    await rt.services.verify.flushUsage();
    const stored = await rt.db.db.selectFrom('key_refusals').selectAll().where('key_id', '=', keyId).orderBy('id').execute();
    // The earlier test's refusal and the first 30 of these were trimmed.
    assert.equal(stored.length, REFUSALS_PER_KEY);
    assert.deepEqual(stored.map((r) => r.request_id), Array.from({ length: REFUSALS_PER_KEY }, (_, i) => `req-${i + 30}`));
    const log = await rt.services.usage.refusals(1, keyId, 5);
    assert.deepEqual(
      log.map((r) => [r.code, r.container, r.namespace, r.ip, r.requestId]),
      [4, 3, 2, 1, 0].map((i) => ['FORBIDDEN_CONTAINER', `c-${total - 5 + i}`, 'ns', '192.0.2.7', `req-${total - 5 + i}`]),
    );
    assert.ok(!JSON.stringify(stored).includes(secret), 'the secret is not in the log');
    assert.deepEqual(await rt.services.usage.refusals(2, keyId, 5), [], "another team's view of the key has none");
  });

  it('keeps the counts and refusals of a failed flush for the next one', async () => {
    now += MINUTE;
    const from = now;
    const counted = async () => sum((await rt.services.usage.keySeries(1, keyId, { granularity: 'minute', from, to: now + MINUTE })).series, 'FORBIDDEN_CONTAINER');
    const stored = async () => (await rt.db.db.selectFrom('key_refusals').select('request_id').where('request_id', '=', 'req-failed').execute()).length;
    await verify({ name: 'db', namespace: 'default' }, secret, { requestId: 'req-failed' });
    await sql`alter table usage_minutes rename to usage_minutes_away`.execute(rt.db.db);
    try {
      await assert.rejects(rt.services.verify.flushUsage());
    } finally {
      await sql`alter table usage_minutes_away rename to usage_minutes`.execute(rt.db.db);
    }
    assert.equal(await counted(), 1, 'still pending');
    assert.equal(await stored(), 0);
    await rt.services.verify.flushUsage();
    assert.equal(await counted(), 1, 'written once');
    assert.equal(await stored(), 1);
  });

  it('rolls minutes past their retention into hours with the same totals, and deletes hours past theirs', async () => {
    await rt.db.db.deleteFrom('usage_minutes').execute();
    const t0 = Date.parse('2026-03-10T08:58:00Z');
    now = t0;
    // 08:58, 08:59 and 09:00 through 09:02: two hours, five minutes.
    for (let m = 0; m < 5; m++) {
      for (let i = 0; i <= m; i++) await verify();
      await verify({ name: 'db', namespace: 'default' });
      now += MINUTE;
    }
    await rt.services.verify.flushUsage();
    const window = { granularity: 'hour' as const, from: t0 - HOUR, to: t0 + 2 * HOUR };
    const byHour = await rt.services.usage.keySeries(1, keyId, window);
    assert.deepEqual(byHour.series.map((p) => [p.counts.VALID, p.counts.FORBIDDEN_CONTAINER]), [[0, 0], [1 + 2, 2], [3 + 4 + 5, 3], [0, 0]]);

    const prune = pruner(rt.store, clock, { eventsMs: 30 * DAY, deliveriesMs: 30 * DAY, auditMs: 365 * DAY, usageMinutesMs: 2 * DAY, usageHoursMs: 90 * DAY, intervalMs: HOUR, batchSize: 3, pauseMs: 0 });
    now = t0 + 2 * DAY + 90_000; // 08:58 and 08:59 are past the cut-off, 09:00 onwards not yet
    const first = await prune.run();
    assert.equal(first.usage_minutes, 4, 'the rows of 08:58 and 08:59 (VALID and FORBIDDEN_CONTAINER each), in batches of 3');
    assert.deepEqual(await rt.services.usage.keySeries(1, keyId, window), byHour, 'an hour half rolled up adds up the same');
    const minutes = await rt.services.usage.keySeries(1, keyId, { granularity: 'minute', from: t0, to: t0 + 5 * MINUTE });
    assert.deepEqual(minutes.series.map((p) => p.counts.VALID), [0, 0, 3, 4, 5], 'rolled-up minutes are no longer minutes');

    now = t0 + 3 * DAY;
    assert.equal((await prune.run()).usage_minutes, 6);
    assert.equal(Number((await rt.db.db.selectFrom('usage_minutes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 0);
    const hours = await rt.db.db.selectFrom('usage_hours').select(['hour', 'code', 'count']).where('key_id', '=', keyId).orderBy('hour').orderBy('code').execute();
    assert.deepEqual(
      hours.map((h) => [Number(h.hour), h.code, Number(h.count)]),
      [
        [t0 - 58 * MINUTE, 'FORBIDDEN_CONTAINER', 2],
        [t0 - 58 * MINUTE, 'VALID', 3],
        [t0 + 2 * MINUTE, 'FORBIDDEN_CONTAINER', 3],
        [t0 + 2 * MINUTE, 'VALID', 12],
      ],
    );
    assert.deepEqual(await rt.services.usage.keySeries(1, keyId, window), byHour, 'fully rolled up: the same totals');
    const byDay = await rt.services.usage.keySeries(1, keyId, { granularity: 'day', from: t0 - DAY, to: t0 + DAY });
    assert.equal(sum(byDay.series, 'VALID'), 15);

    now = t0 + 91 * DAY;
    assert.ok((await prune.run()).usage_hours >= 4);
    assert.equal(sum((await rt.services.usage.keySeries(1, keyId, window)).series, 'VALID'), 0);
  });

  it('refuses windows that are empty, backwards or too fine for their length', () => {
    const at = Date.parse('2026-03-01T10:30:00Z');
    assert.deepEqual(usageWindow({}, at), { granularity: 'hour', from: at + 30 * MINUTE - DAY, to: at + 30 * MINUTE }, 'the last 24 hours, this one included');
    assert.deepEqual(usageWindow({ granularity: 'minute' }, at), { granularity: 'minute', from: at + MINUTE - HOUR, to: at + MINUTE });
    assert.deepEqual(usageWindow({ granularity: 'day', from: at - DAY, to: at }, at), { granularity: 'day', from: at - 10.5 * HOUR - DAY, to: at + 13.5 * HOUR });
    assert.throws(() => usageWindow({ from: at, to: at - 1 }, at), /from must be before to/);
    assert.throws(() => usageWindow({ from: at + DAY }, at), /from must be before to/);
    assert.throws(() => usageWindow({ granularity: 'minute', from: at - 2 * DAY, to: at }, at), /at most 1440 points/);
  });
});
