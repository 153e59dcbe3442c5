import { AppError } from '../domain/errors.js';
import type { Clock, Team } from '../domain/types.js';
import type { Store } from '../repositories/index.js';

export function teamsService(store: Store, clock: Clock) {
  return {
    async create(name: string): Promise<Team> {
      const clean = name.trim();
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(clean)) {
        throw new AppError('bad_request', 'a team name is 1 to 64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit');
      }
      return store.teams.create(clean, clock());
    },
    list: () => store.teams.list(),
    /** Finds a team by name, or fails with a message that names it. */
    async require(name: string): Promise<Team> {
      const team = await store.teams.findByName(name.trim());
      if (!team) throw new AppError('not_found', `no team named ${JSON.stringify(name)} (see: keyhold teams list)`);
      return team;
    },
  };
}
export type TeamsService = ReturnType<typeof teamsService>;
