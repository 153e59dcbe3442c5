import { AppError } from '../domain/errors.js';
import { type Clock, MAX_ID, type Project, type Region } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import type { TeamsService } from './teams.js';

function checkId(id: number | undefined, what: string): void {
  if (id !== undefined && (!Number.isInteger(id) || id < 1 || id > MAX_ID)) {
    throw new AppError('bad_request', `${what} id must be an integer from 1 to ${MAX_ID}`);
  }
}

/** Projects and regions, the namespaces Gcore's CaaS routes are scoped by. */
export function projectsService(store: Store, teams: TeamsService, clock: Clock) {
  return {
    async createProject(input: { team: string; id?: number; name?: string }): Promise<Project & { team: string }> {
      checkId(input.id, 'project');
      const team = await teams.require(input.team);
      const p = await store.projects.createProject({ id: input.id, teamId: team.id, name: input.name?.trim() || 'default', createdAt: clock() });
      return { ...p, team: team.name };
    },
    async listProjects(teamName?: string): Promise<Array<Project & { team: string }>> {
      const names = new Map((await store.teams.list()).map((t) => [t.id, t.name]));
      const teamId = teamName === undefined ? undefined : (await teams.require(teamName)).id;
      return (await store.projects.listProjects(teamId)).map((p) => ({ ...p, team: names.get(p.teamId) ?? String(p.teamId) }));
    },
    async createRegion(input: { id: number; name: string }): Promise<Region> {
      checkId(input.id, 'region');
      const name = input.name.trim();
      if (!name) throw new AppError('bad_request', 'a region needs a name');
      return store.projects.createRegion({ id: input.id, name, createdAt: clock() });
    },
    listRegions: () => store.projects.listRegions(),
  };
}
export type ProjectsService = ReturnType<typeof projectsService>;
