import type { Kysely } from 'kysely';
import type { Team } from '../domain/types.js';
import { isUniqueViolation } from '../db/connect.js';
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
    async findById(id: number): Promise<Team | undefined> {
      const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toTeam(row);
    },
  };
}
export type TeamsRepository = ReturnType<typeof teamsRepository>;
