import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/connect.js';
import type { Database } from '../db/schema.js';

/** The keyhold_meta row whose primary key lets exactly one first-run setup commit. */
const SETUP_DONE = 'setup_completed';

/** One-time codes of the first-run setup link; only their digests are stored. */
export function setupCodesRepository(db: Kysely<Database>) {
  return {
    async insert(c: { codeHash: string; createdAt: number; expiresAt: number }): Promise<void> {
      await db.insertInto('setup_codes').values({ code_hash: c.codeHash, created_at: c.createdAt, expires_at: c.expiresAt }).execute();
    },
    /** Marks the code used if it is live; false when it is unknown, used or expired (single use, also across processes). */
    async consume(codeHash: string, now: number): Promise<boolean> {
      const res = await db
        .updateTable('setup_codes')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /**
     * Claims the first-run setup inside its transaction: true for the one caller that inserts the
     * marker row, false for any other (on PostgreSQL a concurrent claim waits for the first to commit,
     * then fails on the key; the marker stays, so setup never runs twice).
     */
    async claimSetup(now: number): Promise<boolean> {
      try {
        await db.insertInto('keyhold_meta').values({ name: SETUP_DONE, value: String(now) }).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
  };
}
export type SetupCodesRepository = ReturnType<typeof setupCodesRepository>;
