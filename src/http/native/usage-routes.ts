import { Type } from 'typebox';
import { formatDateTime, parseDateTime } from '../../domain/time.js';
import type { CaasKeysService } from '../../services/caas-keys.js';
import type { RefusalCode } from '../../services/usage-counter.js';
import type { UsageSeries, UsageService, TopKey, WindowQuery } from '../../services/usage.js';
import { callerOf, defineRoute, type RouteDefinition } from '../route.js';
import { errorAnswer, Id } from './schemas.js';
import { KeyRefusals, KeyUsage, RefusalsQuery, TeamUsage, UsageQuery } from './usage-schemas.js';

const tags = ['Usage'];
const KeyPath = Type.Object({
  project_id: Id('Project id'),
  region_id: Id('Region id'),
  name: Type.String({ minLength: 1, maxLength: 64, description: 'Key name' }),
});

/** The query's window as the service takes it (the schema has checked the date-times). */
const windowOf = (q: { from?: string; to?: string; granularity?: WindowQuery['granularity'] }): WindowQuery => ({
  from: q.from === undefined ? undefined : parseDateTime(q.from),
  to: q.to === undefined ? undefined : parseDateTime(q.to),
  granularity: q.granularity,
});

const seriesWire = (s: UsageSeries) => ({
  granularity: s.granularity,
  from: formatDateTime(s.from),
  to: formatDateTime(s.to),
  series: s.series.map((p) => ({ start: formatDateTime(p.start), counts: p.counts })),
});

const topWire = (k: TopKey) => ({ project_id: k.projectId, region_id: k.regionId, name: k.name, total: k.total, refused: k.refused, counts: k.counts });

/** Verification usage, persisted by every process: per key, per team, and a key's recent refusals. */
export function usageRoutes(usage: UsageService, caasKeys: CaasKeysService): RouteDefinition[] {
  const keyOf = async (teamId: number, p: { project_id: number; region_id: number; name: string }) => caasKeys.get(teamId, p.project_id, p.region_id, p.name);
  const windowErrors = { 400: errorAnswer('A bad window: from not before to, too many points for the granularity, or a malformed parameter.') };
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/api-keys/:project_id/:region_id/:name/usage',
      ability: 'read',
      operationId: 'get-api-key-usage',
      summary: "An API key's usage",
      description:
        "The key's verification answers per minute, hour or day, by outcome code, from every process (as flushed every KEYHOLD_USAGE_FLUSH_MS, plus this process's unflushed counts).",
      tags,
      schema: { params: KeyPath, querystring: UsageQuery },
      responses: { 200: { description: 'The series.', schema: KeyUsage }, ...windowErrors, 404: errorAnswer('No such key in the team.') },
      async handler(request) {
        const teamId = callerOf(request).teamId;
        const key = await keyOf(teamId, request.params);
        return seriesWire(await usage.keySeries(teamId, key.id, windowOf(request.query)));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/usage',
      ability: 'read',
      operationId: 'get-team-usage',
      summary: "The team's usage",
      description:
        "The team's verification answers per minute, hour or day, by outcome code (unknown and malformed keys presented with the team's `verify` tokens included, under no key), and its top keys by answers and by refusals over the window.",
      tags,
      schema: { querystring: UsageQuery },
      responses: { 200: { description: 'The series and top keys.', schema: TeamUsage }, ...windowErrors },
      async handler(request) {
        const teamId = callerOf(request).teamId;
        const w = windowOf(request.query);
        const [series, top] = await Promise.all([usage.teamSeries(teamId, w), usage.topKeys(teamId, w)]);
        return { ...seriesWire(series), top_keys: top.byTotal.map(topWire), top_refused_keys: top.byRefused.map(topWire) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/api-keys/:project_id/:region_id/:name/refusals',
      ability: 'read',
      operationId: 'list-api-key-refusals',
      summary: "An API key's recent refusals",
      description: 'The newest refusals of the key (DISABLED, EXPIRED, FORBIDDEN_CONTAINER, RATE_LIMITED), newest first: when, the container asked for, the client address and the request id. Never the key.',
      tags,
      schema: { params: KeyPath, querystring: RefusalsQuery },
      responses: { 200: { description: 'The refusals.', schema: KeyRefusals }, 400: errorAnswer('A malformed limit.'), 404: errorAnswer('No such key in the team.') },
      async handler(request) {
        const teamId = callerOf(request).teamId;
        const key = await keyOf(teamId, request.params);
        const rows = await usage.refusals(teamId, key.id, request.query.limit ?? 100);
        return {
          refusals: rows.map((r) => ({
            at: formatDateTime(r.at),
            code: r.code as RefusalCode,
            container: { name: r.container, namespace: r.namespace },
            ip: r.ip,
            request_id: r.requestId,
          })),
        };
      },
    }),
  ];
}
