import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../domain/errors.js';
import type { Project, Region } from '../domain/types.js';

const toProject = (r: Database['projects']): Project => ({ id: r.id, teamId: r.team_id, name: r.name, createdAt: r.created_at });
const toRegion = (r: Database['regions']): Region => ({ id: r.id, name: r.name, createdAt: r.created_at });

/** Another writer took the next project id first; the caller retries (on PostgreSQL the failed transaction is over). */
export class ProjectIdRace extends AppError {
  constructor() {
    super('conflict', 'could not allocate a project id; try again');
  }
}

/** Projects (owned by teams) and regions: the namespaces of CaaS keys. */
export function projectsRepository(db: Kysely<Database>) {
  return {
    /**
     * Creates a project with the given id, or the next free one. A conflict on an id it chose itself
     * (someone took it between the read and the insert) is `ProjectIdRace`: retry the transaction.
     */
    async createProject(p: { id?: number; teamId: number; name: string; createdAt: number }): Promise<Project> {
      let id = p.id;
      if (id === undefined) {
        const max = await db.selectFrom('projects').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
        id = Number(max?.m ?? 0) + 1;
      }
      try {
        await db.insertInto('projects').values({ id, team_id: p.teamId, name: p.name, created_at: p.createdAt }).execute();
        return { id, teamId: p.teamId, name: p.name, createdAt: p.createdAt };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (p.id !== undefined) throw new AppError('conflict', `project ${p.id} already exists`);
        throw new ProjectIdRace();
      }
    },
    async findProject(id: number): Promise<Project | undefined> {
      const r = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toProject(r);
    },
    async listProjects(teamId?: number): Promise<Project[]> {
      let q = db.selectFrom('projects').selectAll().orderBy('id');
      if (teamId !== undefined) q = q.where('team_id', '=', teamId);
      return (await q.execute()).map(toProject);
    },
    /** CaaS keys in the project (any region). */
    async countKeys(id: number): Promise<number> {
      const r = await db.selectFrom('caas_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', id).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async deleteProject(id: number): Promise<boolean> {
      const res = await db.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    async createRegion(r: { id: number; name: string; createdAt: number }): Promise<Region> {
      try {
        await db.insertInto('regions').values({ id: r.id, name: r.name, created_at: r.createdAt }).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', `region ${r.id} already exists`);
        throw err;
      }
      return { ...r };
    },
    async findRegion(id: number): Promise<Region | undefined> {
      const r = await db.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRegion(r);
    },
    async listRegions(): Promise<Region[]> {
      return (await db.selectFrom('regions').selectAll().orderBy('id').execute()).map(toRegion);
    },
  };
}
export type ProjectsRepository = ReturnType<typeof projectsRepository>;
