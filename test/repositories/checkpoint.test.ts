import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { WAL_SAFETY_NET_PAGES } from '../../src/db/checkpointer.js';
import { openDatabase } from '../../src/db/connect.js';
import { dialectUnderTest, freshDatabase } from '../helpers/db.js';

describe('SQLite WAL checkpoints on a worker thread', { skip: dialectUnderTest !== 'sqlite' && 'SQLite only' }, () => {
  it('the serving connection leaves checkpoints to the worker below its safety net; the worker copies the WAL back while writes go on', async () => {
    const tdb = await freshDatabase();
    const db = openDatabase(tdb.config, { backgroundCheckpoints: true });
    try {
      const mode = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.db);
      assert.equal(mode.rows[0]!.wal_autocheckpoint, WAL_SAFETY_NET_PAGES);
      await sql`create table filler (id integer primary key, pad blob not null)`.execute(db.db);
      // About 3000 pages in one commit: past the 1000 at which the connection would otherwise checkpoint
      // inside it, below the safety net (one transaction, so no background checkpoint can reset the WAL half-way).
      await db.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 300; i++) await sql`insert into filler (pad) values (randomblob(40000))`.execute(trx);
      });
      await db.checkpointer!.now();
      const last = db.checkpointer!.last()!;
      assert.ok(last.log > 1000, `WAL frames: ${last.log}`);
      assert.equal(last.checkpointed, last.log, 'every frame copied back');
      const rows = await sql<{ n: number }>`select count(*) as n from filler`.execute(db.db);
      assert.equal(rows.rows[0]!.n, 300);
    } finally {
      await db.close();
    }
    // Closed cleanly: the last connection folded the WAL back in and removed it.
    assert.equal(fs.existsSync(`${tdb.file}-wal`), false);
    await tdb.drop();
  });

  it('keeps the WAL small under writes that never pause (the worker alone let it grow without end)', async () => {
    const tdb = await freshDatabase();
    // A small safety net keeps the test short; the server's is WAL_SAFETY_NET_PAGES.
    const db = openDatabase(tdb.config, { backgroundCheckpoints: true, walSafetyNetPages: 500 });
    const wal = () => fs.statSync(`${tdb.file}-wal`).size;
    try {
      await sql`create table filler (id integer primary key, pad blob not null)`.execute(db.db);
      let written = 0;
      let largest = 0;
      // A fixed amount, not a fixed time: on a loaded machine a time box wrote too little to matter.
      while (written < 16 * 2 ** 20) {
        await sql`insert into filler (pad) values (randomblob(3000))`.execute(db.db);
        written += 3000;
        largest = Math.max(largest, wal());
      }
      // 500 pages of 4 KiB is 2 MiB; the worker's checkpoints and the last commits add a little.
      assert.ok(largest < 6 * 2 ** 20, `the WAL reached ${(largest / 2 ** 20).toFixed(1)} MiB for ${(written / 2 ** 20).toFixed(1)} MiB written`);
    } finally {
      await db.close();
      await tdb.drop();
    }
  });

  it('a command-line connection checkpoints by itself, as SQLite does by default', async () => {
    const tdb = await freshDatabase();
    const db = openDatabase(tdb.config);
    try {
      assert.equal(db.checkpointer, undefined);
      const mode = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.db);
      assert.equal(mode.rows[0]!.wal_autocheckpoint, 1000);
    } finally {
      await db.close();
      await tdb.drop();
    }
  });
});
