import { AppError } from '../domain/errors.js';
import type { Actor, Clock, Team } from '../domain/types.js';
import type { Repos, Store } from '../repositories/index.js';
import { auditEvent } from './audit.js';

const TEAM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Teams own tokens, private keys and projects. */
export function teamsService(store: Store, clock: Clock) {
  const removeListeners: Array<() => Promise<void> | void> = [];
  async function requireTeam(name: string): Promise<Team> {
    const team = await store.teams.findByName(name.trim());
    if (!team) throw new AppError('not_found', `no team named ${JSON.stringify(name)} (see: keyhold teams list)`);
    return team;
  }
  async function createWith(repos: Repos, name: string, actor?: Actor): Promise<Team> {
    const clean = name.trim();
    if (!TEAM_NAME.test(clean)) {
      throw new AppError('bad_request', 'a team name is 1 to 64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit');
    }
    const now = clock();
    const team = await repos.teams.create(clean, now);
    if (actor) await repos.audit.insert(auditEvent(actor, 'team.create', 'team', team.name, ['name'], now));
    return team;
  }
  return {
    /** Told when a team (and so every token of it) is deleted: authentication caches must forget. */
    onRemove(l: () => Promise<void> | void): void {
      removeListeners.push(l);
    },
    /** Creates a team; with an actor, the audit row lands in the actor's team in the same transaction. */
    create: (name: string, actor?: Actor): Promise<Team> => store.transaction((repos) => createWith(repos, name, actor)),
    /** Creates a team inside a transaction the caller holds (first-run setup). */
    createWith,
    list: () => store.teams.list(),
    /** Finds a team by name, or fails with a message that names it. */
    require: requireTeam,
    /** The team with this id (a token's): it exists while any of its tokens does. */
    async byId(id: number): Promise<Team> {
      const team = await store.teams.findById(id);
      if (!team) throw new AppError('not_found', `no team with id ${id}`);
      return team;
    },
    /**
     * Deletes a team that owns nothing: its tokens (and their console sessions) go with it; its
     * private keys and projects must be deleted first. The actor's own team cannot be deleted.
     */
    async remove(actor: Actor, name: string): Promise<void> {
      const team = await requireTeam(name);
      if (team.id === actor.teamId) throw new AppError('conflict', 'a token cannot delete its own team');
      const held = await store.teams.holdings(team.id);
      if (held.privateKeys || held.projects) {
        throw new AppError('conflict', `team ${team.name} still owns ${held.privateKeys} private key(s) and ${held.projects} project(s): delete them first`);
      }
      const now = clock();
      await store.transaction(async (repos) => {
        if (!(await repos.teams.delete(team.id))) throw new AppError('not_found', `no team named ${JSON.stringify(name)}`);
        await repos.audit.insert(auditEvent(actor, 'team.delete', 'team', team.name, [], now));
      });
      await Promise.all(removeListeners.map(async (l) => l()));
    },
  };
}
export type TeamsService = ReturnType<typeof teamsService>;
