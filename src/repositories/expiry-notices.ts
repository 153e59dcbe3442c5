import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export function expiryNoticesRepository(db: Kysely<Database>) {
  return {
    /**
     * Claims the notice `kind` for a key's expiry `expire`; true for the one caller that claimed it, in
     * whichever process, false for every other (the primary key decides). Use it in the transaction
     * that writes the notice's event, so a claim and its event commit together.
     */
    async claim(keyId: number, kind: string, expire: number, at: number): Promise<boolean> {
      const row = await db
        .insertInto('expiry_notices')
        .values({ key_id: keyId, kind, expire, created_at: at })
        .onConflict((oc) => oc.columns(['key_id', 'kind', 'expire']).doNothing())
        .returning('key_id')
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
