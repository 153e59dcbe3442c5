import { Type } from 'typebox';
import type { ProjectsService } from '../../services/projects.js';
import type { TeamsService } from '../../services/teams.js';
import { actorFor, actorOf } from '../auth.js';
import { callerOf, defineRoute, type RouteDefinition } from '../route.js';
import { Project, ProjectCreate, Region, RegionCreate } from './resource-schemas.js';
import { errorAnswer, Id } from './schemas.js';
import { projectWire, regionWire } from './wire.js';


/** Projects of the caller's team and the instance's regions: the namespaces of API keys. */
export function projectRoutes(projects: ProjectsService, teams: TeamsService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/projects',
      ability: 'read',
      operationId: 'list-projects',
      summary: 'List projects',
      tags: ['Projects'],
      schema: {},
      responses: { 200: { description: "The team's projects.", schema: Type.Array(Project) } },
      handler: async (request) => (await projects.listForTeam(callerOf(request).teamId)).map(projectWire),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/projects',
      ability: 'write',
      operationId: 'create-project',
      summary: 'Create a project',
      description: 'With the given id (Gcore `project_id`) or the next free one.',
      tags: ['Projects'],
      schema: { body: ProjectCreate },
      responses: { 201: { description: 'Created.', schema: Project }, 409: errorAnswer('That id is taken.') },
      async handler(request, reply) {
        const caller = callerOf(request);
        const team = await teams.byId(caller.teamId);
        const p = await projects.createProject({ team: team.name, id: request.body.id, name: request.body.name }, actorFor(caller, request));
        return reply.code(201).send(projectWire(p));
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/projects/:id',
      ability: 'write',
      operationId: 'delete-project',
      summary: 'Delete a project',
      description: 'Refused (409) while the project holds API keys.',
      tags: ['Projects'],
      schema: { params: Type.Object({ id: Id('Project id') }) },
      responses: { 204: { description: 'Deleted.' }, 404: errorAnswer('No such project in the team.'), 409: errorAnswer('The project holds API keys.') },
      async handler(request, reply) {
        await projects.removeProject(actorOf(request), request.params.id);
        return reply.code(204).send();
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/regions',
      ability: 'read',
      operationId: 'list-regions',
      summary: 'List regions',
      tags: ['Projects'],
      schema: {},
      responses: { 200: { description: 'Every region.', schema: Type.Array(Region) } },
      handler: async () => (await projects.listRegions()).map(regionWire),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/regions',
      ability: 'admin',
      operationId: 'create-region',
      summary: 'Create a region',
      description: 'Regions belong to the instance, so only administrators add them.',
      tags: ['Projects'],
      schema: { body: RegionCreate },
      bodyRequired: true,
      responses: { 201: { description: 'Created.', schema: Region }, 409: errorAnswer('That id is taken.') },
      async handler(request, reply) {
        const r = await projects.createRegion(request.body, actorOf(request));
        return reply.code(201).send(regionWire(r));
      },
    }),
  ];
}
