import { VERIFY_CODES } from '../../services/verify.js';
import type { OverviewService } from '../../services/overview.js';
import { formatDateTime } from '../../domain/time.js';
import { callerOf, defineRoute, type RouteDefinition } from '../route.js';
import { Overview } from './resource-schemas.js';

/** `GET /v1/overview`: the console's first page. */
export function overviewRoutes(overview: OverviewService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/overview',
      ability: 'read',
      operationId: 'get-overview',
      summary: 'Overview',
      description: "What the team has, and its verification answers per minute over the last hour, from the persisted usage of every process (see GET /v1/usage for longer windows).",
      tags: ['Overview'],
      schema: {},
      responses: { 200: { description: 'Counts and the last hour.', schema: Overview } },
      async handler(request) {
        const o = await overview.forTeam(callerOf(request).teamId);
        return {
          private_keys: o.privateKeys,
          api_keys: { active: o.apiKeys.Active, disabled: o.apiKeys.Disabled, expired: o.apiKeys.Expired },
          tokens: o.tokens,
          projects: o.projects,
          verifications: o.verifications.map((m) => ({ at: formatDateTime(m.at), counts: Object.fromEntries(VERIFY_CODES.map((c) => [c, m.counts[c] ?? 0])) })),
        };
      },
    }),
  ];
}
