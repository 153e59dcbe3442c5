import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/connect.js';
import type { Database } from '../db/schema.js';

export function dataKeysRepository(db: Kysely<Database>) {
  return {
    async list(): Promise<Array<{ version: number; wrapped: Buffer; createdAt: number }>> {
      const rows = await db.selectFrom('data_keys').selectAll().orderBy('version').execute();
      return rows.map((r) => ({ version: r.version, wrapped: Buffer.from(r.wrapped), createdAt: r.created_at }));
    },
    async newestVersion(): Promise<number | undefined> {
      const row = await db.selectFrom('data_keys').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
      return row?.v === null || row?.v === undefined ? undefined : Number(row.v);
    },
    /** Replaces a version's wrapping only if it is still `from` (compare-and-set). */
    async rewrap(version: number, from: Buffer, to: Buffer): Promise<boolean> {
      const res = await db.updateTable('data_keys').set({ wrapped: to }).where('version', '=', version).where('wrapped', '=', from).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /** Inserts a version; false if another process inserted the same version first. */
    async insert(version: number, wrapped: Buffer, now: number): Promise<boolean> {
      try {
        await db.insertInto('data_keys').values({ version, wrapped, created_at: now }).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
  };
}
export type DataKeysRepository = ReturnType<typeof dataKeysRepository>;
