import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/connect.js';
import type { Database } from '../db/schema.js';

export function dataKeysRepository(db: Kysely<Database>) {
  return {
    async list(): Promise<Array<{ version: number; wrapped: Buffer; createdAt: number }>> {
      const rows = await db.selectFrom('data_keys').selectAll().orderBy('version').execute();
      return rows.map((r) => ({ version: r.version, wrapped: Buffer.from(r.wrapped), createdAt: r.created_at }));
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
    /** How many private keys each data-key version protects. */
    async usage(): Promise<Map<number, number>> {
      const rows = await db
        .selectFrom('private_keys')
        .select(['key_version', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('key_version')
        .execute();
      return new Map(rows.map((r) => [r.key_version, Number(r.n)]));
    },
  };
}
export type DataKeysRepository = ReturnType<typeof dataKeysRepository>;
