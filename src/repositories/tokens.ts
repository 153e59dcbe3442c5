import type { Kysely, Selectable } from 'kysely';
import { type Ability, type ApiToken, MAX_ID } from '../domain/types.js';
import type { Database } from '../db/schema.js';

type Row = Selectable<Database['api_tokens']>;

export interface StoredToken extends ApiToken {
  tokenHash: string;
}

const toToken = (r: Row): StoredToken => ({
  id: r.id,
  teamId: r.team_id,
  name: r.name,
  abilities: JSON.parse(r.abilities) as Ability[],
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
  privateKeys: r.private_keys === null ? null : (JSON.parse(r.private_keys) as string[]),
  sshRoles: r.ssh_roles === null ? null : (JSON.parse(r.ssh_roles) as string[]),
  tokenHash: r.token_hash,
});

export function tokensRepository(db: Kysely<Database>) {
  return {
    async create(t: {
      teamId: number;
      name: string;
      tokenHash: string;
      abilities: Ability[];
      createdAt: number;
      expiresAt: number | null;
      privateKeys?: string[] | null;
      sshRoles?: string[] | null;
    }): Promise<number> {
      const row = await db
        .insertInto('api_tokens')
        .values({
          team_id: t.teamId,
          name: t.name,
          token_hash: t.tokenHash,
          abilities: JSON.stringify(t.abilities),
          created_at: t.createdAt,
          expires_at: t.expiresAt,
          private_keys: t.privateKeys ? JSON.stringify(t.privateKeys) : null,
          ssh_roles: t.sshRoles ? JSON.stringify(t.sshRoles) : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async findById(id: number): Promise<StoredToken | undefined> {
      // The id column is a 32-bit integer: PostgreSQL rejects a larger literal with an error, not an empty result.
      if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ID) return undefined;
      const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toToken(row);
    },
    async findByHash(hash: string): Promise<StoredToken | undefined> {
      const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return row && toToken(row);
    },
    async list(teamId?: number): Promise<StoredToken[]> {
      let q = db.selectFrom('api_tokens').selectAll().orderBy('id');
      if (teamId !== undefined) q = q.where('team_id', '=', teamId);
      return (await q.execute()).map(toToken);
    },
    /** Marks a token revoked; false when there is no such live token. */
    async revoke(id: number, now: number): Promise<boolean> {
      const res = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async touch(id: number, now: number): Promise<void> {
      await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
    },
  };
}
export type TokensRepository = ReturnType<typeof tokensRepository>;
