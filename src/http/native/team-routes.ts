import { Type } from 'typebox';
import type { TeamsService } from '../../services/teams.js';
import type { TokensService } from '../../services/tokens.js';
import { actorOf } from '../auth.js';
import { defineRoute, type RouteDefinition } from '../route.js';
import { Team, TeamCreate, TeamCreated } from './resource-schemas.js';
import { errorAnswer } from './schemas.js';
import { teamWire, tokenWire } from './wire.js';

const tags = ['Teams'];

/** Teams of the instance, for administrators (`admin`). */
export function teamRoutes(teams: TeamsService, tokens: TokensService, now: () => number): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/teams',
      ability: 'admin',
      operationId: 'list-teams',
      summary: 'List teams',
      tags,
      schema: {},
      responses: { 200: { description: 'Every team.', schema: Type.Array(Team) } },
      handler: async () => (await teams.list()).map(teamWire),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/teams',
      ability: 'admin',
      operationId: 'create-team',
      secretInAnswer: true,
      summary: 'Create a team',
      description: 'A new team and its first `root` token, shown in this answer only: hand it to the team.',
      tags,
      schema: { body: TeamCreate },
      bodyRequired: true,
      responses: { 201: { description: 'Created.', schema: TeamCreated }, 400: errorAnswer('The name is not valid.'), 409: errorAnswer('A team of that name exists.') },
      async handler(request, reply) {
        const actor = actorOf(request);
        const team = await teams.create(request.body.name, actor);
        const issued = await tokens.create({ team: team.name, abilities: ['root'], name: 'first root token' }, actor);
        const token = await tokens.getInTeam(team.id, issued.id);
        return reply.code(201).send({ team: teamWire(team), token: { ...tokenWire(token, now()), token: issued.token } });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/teams/:name',
      ability: 'admin',
      operationId: 'delete-team',
      summary: 'Delete a team',
      description: 'Refused (409) while the team owns private keys or projects, and for the caller\'s own team. Its tokens are deleted with it.',
      tags,
      schema: { params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }) },
      responses: { 204: { description: 'Deleted.' }, 404: errorAnswer('No such team.'), 409: errorAnswer('The team still owns something, or is the caller\'s.') },
      async handler(request, reply) {
        await teams.remove(actorOf(request), request.params.name);
        return reply.code(204).send();
      },
    }),
  ];
}
