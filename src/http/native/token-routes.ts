import { Type } from 'typebox';
import type { TokensService } from '../../services/tokens.js';
import { actorFor } from '../auth.js';
import { callerOf, defineRoute, type RouteDefinition } from '../route.js';
import { IssuedToken, Token, TokenCreate } from './resource-schemas.js';
import { errorAnswer, Id } from './schemas.js';
import { tokenWire } from './wire.js';

const tags = ['Tokens'];

/** The caller's team's tokens, for `root` tokens. */
export function tokenRoutes(tokens: TokensService, now: () => number): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/tokens',
      ability: 'root',
      operationId: 'list-tokens',
      summary: 'List tokens',
      description: "The team's tokens with their state and last use; never their secrets.",
      tags,
      schema: {},
      responses: { 200: { description: 'The tokens.', schema: Type.Array(Token) } },
      async handler(request) {
        const t = now();
        return (await tokens.listTeam(callerOf(request).teamId)).map((x) => tokenWire(x, t));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/tokens',
      ability: 'root',
      operationId: 'create-token',
      secretInAnswer: true,
      summary: 'Create a token',
      description: 'A token of the caller\'s team, shown in this answer only. It can hold only abilities the calling token holds (403 otherwise).',
      tags,
      schema: { body: TokenCreate },
      bodyRequired: true,
      responses: { 201: { description: 'Created; copy `token` now.', schema: IssuedToken }, 400: errorAnswer('The request is not valid.'), 403: errorAnswer('An ability the caller does not hold, or the caller is not `root`.') },
      async handler(request, reply) {
        const caller = callerOf(request);
        const { name, abilities, expires_in, private_keys, ssh_roles } = request.body;
        const issued = await tokens.issue(actorFor(caller, request), caller, {
          name,
          abilities,
          expiresInMs: expires_in === undefined ? undefined : expires_in * 1000,
          privateKeys: private_keys,
          sshRoles: ssh_roles,
        });
        const token = await tokens.getInTeam(caller.teamId, issued.id);
        return reply.code(201).send({ ...tokenWire(token, now()), token: issued.token });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/tokens/:id',
      ability: 'root',
      operationId: 'revoke-token',
      summary: 'Revoke a token',
      description: 'It stops working at once, in every process (its console sessions end too). It stays listed as revoked.',
      tags,
      schema: { params: Type.Object({ id: Id('Token id') }) },
      responses: { 204: { description: 'Revoked.' }, 404: errorAnswer('No such token in the team.'), 409: errorAnswer('Already revoked.') },
      async handler(request, reply) {
        const caller = callerOf(request);
        await tokens.revokeInTeam(actorFor(caller, request), caller.teamId, request.params.id);
        return reply.code(204).send();
      },
    }),
  ];
}
