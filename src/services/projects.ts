import { AppError } from '../domain/errors.js';
import { type Actor, type Clock, MAX_ID, type Project, type Region } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import { ProjectIdRace } from '../repositories/projects.js';
import { auditEvent } from './audit.js';
import type { TeamsService } from './teams.js';

function checkId(id: number | undefined, what: string): void {
  if (id !== undefined && (!Number.isInteger(id) || id < 1 || id > MAX_ID)) {
    throw new AppError('bad_request', `${what} id must be an integer from 1 to ${MAX_ID}`);
  }
}

const projectNotFound = (id: number) => new AppError('not_found', `Project ${id} could not be found`);

/** Projects and regions, the namespaces Gcore's CaaS routes are scoped by. */
export function projectsService(store: Store, teams: TeamsService, clock: Clock) {
  return {
    /** A project for the team (the given id or the next free one); audited when an actor is given. */
    async createProject(input: { team: string; id?: number; name?: string }, actor?: Actor): Promise<Project & { team: string }> {
      checkId(input.id, 'project');
      const team = await teams.require(input.team);
      const now = clock();
      const attempt = () =>
        store.transaction(async (repos) => {
          const created = await repos.projects.createProject({ id: input.id, teamId: team.id, name: input.name?.trim() || 'default', createdAt: now });
          if (actor) await repos.audit.insert(auditEvent(actor, 'project.create', 'project', String(created.id), ['name'], now));
          return created;
        });
      // Writers choosing the next id at once collide; each collision is a whole transaction to retry.
      for (let tries = 1; ; tries++) {
        try {
          return { ...(await attempt()), team: team.name };
        } catch (err) {
          if (!(err instanceof ProjectIdRace) || tries >= 10) throw err;
        }
      }
    },
    async listProjects(teamName?: string): Promise<Array<Project & { team: string }>> {
      const names = new Map((await store.teams.list()).map((t) => [t.id, t.name]));
      const teamId = teamName === undefined ? undefined : (await teams.require(teamName)).id;
      return (await store.projects.listProjects(teamId)).map((p) => ({ ...p, team: names.get(p.teamId) ?? String(p.teamId) }));
    },
    /** The team's projects, each with how many CaaS keys it holds. */
    async listForTeam(teamId: number): Promise<Array<Project & { keys: number }>> {
      const projects = await store.projects.listProjects(teamId);
      return Promise.all(projects.map(async (p) => ({ ...p, keys: await store.projects.countKeys(p.id) })));
    },
    /** Deletes one of the actor's team's projects; refused while it holds keys. */
    async removeProject(actor: Actor, id: number): Promise<void> {
      const project = await store.projects.findProject(id);
      if (!project || project.teamId !== actor.teamId) throw projectNotFound(id);
      const keys = await store.projects.countKeys(id);
      if (keys > 0) throw new AppError('conflict', `project ${id} still holds ${keys} API key(s): delete them first`);
      const now = clock();
      await store.transaction(async (repos) => {
        if (!(await repos.projects.deleteProject(id))) throw projectNotFound(id);
        await repos.audit.insert(auditEvent(actor, 'project.delete', 'project', String(id), [], now));
      });
    },
    async createRegion(input: { id: number; name: string }, actor?: Actor): Promise<Region> {
      checkId(input.id, 'region');
      const name = input.name.trim();
      if (!name) throw new AppError('bad_request', 'a region needs a name');
      const same = (await store.projects.listRegions()).find((r) => r.name.toLowerCase() === name.toLowerCase());
      if (same && same.id !== input.id) throw new AppError('conflict', `region ${same.id} is already named ${JSON.stringify(same.name)}: give region ${input.id} another name`);
      const now = clock();
      return store.transaction(async (repos) => {
        const region = await repos.projects.createRegion({ id: input.id, name, createdAt: now });
        if (actor) await repos.audit.insert(auditEvent(actor, 'region.create', 'region', String(region.id), ['name'], now));
        return region;
      });
    },
    listRegions: () => store.projects.listRegions(),
  };
}
export type ProjectsService = ReturnType<typeof projectsService>;
