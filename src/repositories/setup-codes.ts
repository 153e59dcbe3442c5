import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

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
  };
}
export type SetupCodesRepository = ReturnType<typeof setupCodesRepository>;
