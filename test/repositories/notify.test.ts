import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/db/connect.js';
import { INVALIDATION_CHANNEL, notify, subscribe } from '../../src/db/notify.js';
import { TEST_PG_URL, dialectUnderTest, freshDatabase } from '../helpers/db.js';

const waitFor = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe(`invalidation notifications (${dialectUnderTest})`, { skip: dialectUnderTest !== 'postgres' && 'PostgreSQL only' }, () => {
  it('reach every listener, only after commit, and survive a dropped connection', async () => {
    const tdb = await freshDatabase();
    const db = openDatabase(tdb.config);
    const a: string[] = [];
    const b: string[] = [];
    const subA = subscribe(tdb.config, (p) => a.push(p));
    const subB = subscribe(tdb.config, (p) => b.push(p));
    try {
      await Promise.all([subA.ready, subB.ready]);
      a.length = 0;
      b.length = 0;
      await notify(db.db, db.dialect, 'digest-1');
      await waitFor(() => a.includes('digest-1') && b.includes('digest-1'));

      await db.db.transaction().execute(async (trx) => {
        await notify(trx, 'postgres', 'digest-2');
        await new Promise((r) => setTimeout(r, 100));
        assert.ok(!a.includes('digest-2'), 'not delivered before commit');
      });
      await waitFor(() => a.includes('digest-2'));

      // Kill A's listening connection: once it is back, A hears '*' (it may have missed something).
      // (Not at the drop itself: caches keep their entries to their lifetimes through an outage.)
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      a.length = 0;
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where query = 'LISTEN ${INVALIDATION_CHANNEL}' and pid <> pg_backend_pid()`);
      await admin.end();
      await waitFor(() => a.includes('*'), 8000);
      // After reconnecting, deliveries resume.
      await notify(db.db, db.dialect, 'digest-3');
      await waitFor(() => a.includes('digest-3'));
    } finally {
      await subA.close();
      await subB.close();
      await db.close();
      await tdb.drop();
    }
  });
});
