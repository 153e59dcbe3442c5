import type { Kysely } from 'kysely';
import type { Team } from '../domain/types.js';
import { dialectOf, isUniqueViolation } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../domain/errors.js';

const toTeam = (r: { id: number; name: string; created_at: number }): Team => ({ id: r.id, name: r.name, createdAt: r.created_at });

export function teamsRepository(db: Kysely<Database>) {
  return {
    async create(name: string, now: number): Promise<Team> {
      try {
        const row = await db.insertInto('teams').values({ name, created_at: now }).returningAll().executeTakeFirstOrThrow();
        return toTeam(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', `team ${name} already exists`);
        throw err;
      }
    },
    async list(): Promise<Team[]> {
      return (await db.selectFrom('teams').selectAll().orderBy('id').execute()).map(toTeam);
    },
    async findByName(name: string): Promise<Team | undefined> {
      const row = await db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
      return row && toTeam(row);
    },
    /** What the team owns that a deletion would destroy: private keys and projects (which hold its CaaS keys). */
    async holdings(id: number): Promise<{ privateKeys: number; projects: number }> {
      const count = async (table: 'private_keys' | 'projects') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('team_id', '=', id).executeTakeFirst())?.n ?? 0);
      return { privateKeys: await count('private_keys'), projects: await count('projects') };
    },
    /** Deletes the team; its tokens (and their sessions) go with it. False when it was already gone. */
    async delete(id: number): Promise<boolean> {
      const res = await db.deleteFrom('teams').where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    /**
     * Inside a transaction, holds the team's row until commit (PostgreSQL's FOR UPDATE), so that
     * checks of a per-team cap and the insert after them cannot interleave with another process's.
     * SQLite needs nothing: its writers already take turns.
     */
    async lock(id: number): Promise<void> {
      if (dialectOf(db) === 'postgres') await db.selectFrom('teams').select('id').where('id', '=', id).forUpdate().execute();
    },
    async findById(id: number): Promise<Team | undefined> {
      const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toTeam(row);
    },
  };
}
export type TeamsRepository = ReturnType<typeof teamsRepository>;
