import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.js';
import { MAX_ID, type Session } from '../domain/types.js';

type Row = Selectable<Database['sessions']>;

const toSession = (r: Row): Session => ({
  id: r.id,
  tokenId: r.token_id,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export function sessionsRepository(db: Kysely<Database>) {
  return {
    async insert(s: { tokenId: number; secretHash: string; createdAt: number; expiresAt: number }): Promise<Session> {
      const row = await db
        .insertInto('sessions')
        .values({ token_id: s.tokenId, secret_hash: s.secretHash, created_at: s.createdAt, last_seen_at: s.createdAt, expires_at: s.expiresAt })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSession(row);
    },
    async findBySecretHash(hash: string): Promise<Session | undefined> {
      const row = await db.selectFrom('sessions').selectAll().where('secret_hash', '=', hash).executeTakeFirst();
      return row && toSession(row);
    },
    async touch(id: number, at: number): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
    },
    async revoke(id: number, at: number): Promise<void> {
      await db.updateTable('sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },
    /** Ends the token's live sessions beyond the newest `keep`. */
    async endOldest(tokenId: number, keep: number, at: number): Promise<void> {
      const older = db
        .selectFrom('sessions')
        .select('id')
        .where('token_id', '=', tokenId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .orderBy('id', 'desc')
        // SQLite takes OFFSET only after a LIMIT; PostgreSQL refuses a negative one.
        .limit(MAX_ID)
        .offset(keep);
      await db.updateTable('sessions').set({ revoked_at: at }).where('id', 'in', older).execute();
    },
    /** Forgets sessions that can no longer be used (ended a day ago), so the table stays small. */
    async prune(before: number): Promise<void> {
      await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
        .execute();
    },
  };
}
export type SessionsRepository = ReturnType<typeof sessionsRepository>;
