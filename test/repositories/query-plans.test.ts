import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { leaseStatement } from '../../src/repositories/webhook-deliveries.js';
import { createRuntime } from '../../src/runtime.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/server.js';

/**
 * Pages read newest or oldest first must come straight off an index: a sort of the whole table per
 * page grows with the table (the audit page went from 1 to 13 ms in a 10-minute soak before its index).
 * SQLite's plans are deterministic without statistics, so they are checked there.
 */
describe('query plans of paged reads (SQLite)', { skip: dialectUnderTest !== 'sqlite' && 'SQLite only' }, () => {
  let tdb: TestDatabase;
  let sqlite: SQLite.Database;
  let db: Kysely<any>;

  before(async () => {
    tdb = await freshDatabase();
    const rt = await createRuntime(testConfig(tdb.config), { serving: false });
    await rt.close();
    sqlite = new SQLite(tdb.file, { readonly: true });
    db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  });
  after(async () => {
    await db.destroy();
    await tdb.drop();
  });

  const plan = (q: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
    const { sql, parameters } = q.compile();
    return (sqlite.prepare(`explain query plan ${sql}`).all(...parameters) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
  };

  it("reads a team's audit trail newest first from an index, without sorting", () => {
    const p = plan(db.selectFrom('audit_events').selectAll().where('team_id', '=', 1).orderBy('id', 'desc').limit(50));
    assert.match(p, /USING INDEX audit_events_team_id/);
    assert.doesNotMatch(p, /TEMP B-TREE/);
  });

  it('leases webhook deliveries from each endpoint\'s own index range, however long the backlog', () => {
    const p = plan({ compile: () => leaseStatement('sqlite', 'owner', 1, 15_000, 16, 2).compile(db) });
    if (process.env.KEYHOLD_SHOW_PLANS) console.log(p);
    assert.match(p, /webhook_deliveries_endpoint_due/, 'the oldest due deliveries of one endpoint: an index range');
    assert.match(p, /webhook_deliveries_leased/, 'attempts in flight: the partial index of leased rows');
    assert.doesNotMatch(p, /SCAN (webhook_deliveries|x|y|d)( |;|$)/, `no scan of the deliveries table: ${p}`);
  });

  it('finds rows past retention from created_at indexes, and an event\'s deliveries from event_id', () => {
    const deliveries = plan(db.selectFrom('webhook_deliveries').select('id').where('created_at', '<', 1).where('status', '<>', 'pending').orderBy('created_at').limit(500));
    assert.match(deliveries, /USING INDEX webhook_deliveries_created/);
    const events = plan(
      db
        .selectFrom('events as e')
        .select('e.id')
        .where('e.created_at', '<', 1)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id'))))
        .orderBy('e.created_at')
        .limit(500),
    );
    assert.match(events, /SEARCH e USING (COVERING )?INDEX events_created/);
    assert.match(events, /SEARCH d USING (COVERING )?INDEX webhook_deliveries_event/);
    const team = plan(db.selectFrom('audit_events').select((eb) => eb.fn.min('team_id').as('t')).where('team_id', '>', 0));
    assert.match(team, /SEARCH audit_events USING COVERING INDEX audit_events_team/);
    for (const p of [deliveries, events]) assert.doesNotMatch(p, /TEMP B-TREE/);
  });

  it("reads a webhook's deliveries and a team's events in id order without sorting", () => {
    for (const q of [
      db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', 1).orderBy('id', 'desc').limit(20),
      db.selectFrom('events').selectAll().where('team_id', '=', 1).orderBy('id').limit(50),
    ]) assert.doesNotMatch(plan(q), /TEMP B-TREE/);
  });
});
