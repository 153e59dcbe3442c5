import { Type } from 'typebox';
import { literalUnion } from '../literal-union.js';
import { REFUSAL_CODES, REFUSALS_PER_KEY, USAGE_CODES } from '../../services/usage-counter.js';
import { MAX_POINTS } from '../../services/usage.js';
import { component } from '../openapi/document.js';

/** Schemas of verification usage (usage-routes.ts). */

const Time = (description: string) => Type.String({ format: 'date-time', description });

export const UsageCounts = component(
  'UsageCounts',
  Type.Object(Object.fromEntries(USAGE_CODES.map((c) => [c, Type.Integer({ minimum: 0 })])), { description: 'Answers by outcome code; every code is present (0 when none)' }),
);

export const UsageQuery = Type.Object(
  {
    from: Type.Optional(Time('Start of the window (inclusive), rounded down to the granularity; default: 1 h (minute), 24 h (hour) or 30 d (day) before `to`')),
    to: Type.Optional(Time('End of the window (exclusive), rounded up to the granularity; default: now')),
    granularity: Type.Optional(
      Type.Union([Type.Literal('minute'), Type.Literal('hour'), Type.Literal('day')], {
        default: 'hour',
        description: `One point per minute, hour or day (UTC), at most ${MAX_POINTS} points. Minutes reach back as far as KEYHOLD_RETENTION_USAGE_MINUTES (older minutes are rolled up into hours)`,
      }),
    ),
  },
  { additionalProperties: false },
);

const Window = {
  granularity: Type.Union([Type.Literal('minute'), Type.Literal('hour'), Type.Literal('day')]),
  from: Time('Start of the window (inclusive), aligned to the granularity'),
  to: Time('End of the window (exclusive), aligned to the granularity'),
  series: Type.Array(Type.Object({ start: Time('Start of the point'), counts: UsageCounts }), { description: 'Every point of the window, oldest first, empty ones included' }),
};

export const KeyUsage = component('KeyUsage', Type.Object(Window));

const TopKey = component(
  'UsageTopKey',
  Type.Object({
    project_id: Type.Integer(),
    region_id: Type.Integer(),
    name: Type.String(),
    total: Type.Integer({ description: 'Answers of every code' }),
    refused: Type.Integer({ description: 'Answers of every code but VALID' }),
    counts: UsageCounts,
  }),
);

export const TeamUsage = component(
  'TeamUsage',
  Type.Object({
    ...Window,
    series: Type.Array(Type.Object({ start: Time('Start of the point'), counts: UsageCounts }), {
      description: "Every point of the window, oldest first: all the team's answers, unknown and malformed keys presented with the team's verify tokens included",
    }),
    top_keys: Type.Array(TopKey, { description: 'At most 10 keys with the most answers in the window, most first (deleted keys left out)' }),
    top_refused_keys: Type.Array(TopKey, { description: 'At most 10 keys with the most refusals (any code but VALID) in the window, most first' }),
  }),
);

export const RefusalsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: REFUSALS_PER_KEY, default: REFUSALS_PER_KEY, description: 'How many, newest first' })) },
  { additionalProperties: false },
);

export const KeyRefusals = component(
  'KeyRefusals',
  Type.Object({
    refusals: Type.Array(
      Type.Object({
        at: Time('When'),
        code: literalUnion(REFUSAL_CODES, { description: 'Why the key was refused' }),
        container: Type.Object({ name: Type.String(), namespace: Type.String() }, { description: 'The container asked for' }),
        ip: Type.Union([Type.String(), Type.Null()], { description: "The client's address (as KEYHOLD_TRUST_PROXY sees it)" }),
        request_id: Type.Union([Type.String(), Type.Null()], { description: "The request's id (its X-Request-Id answer header and log lines)" }),
      }),
      { description: `The key's newest refusals, newest first (at most ${REFUSALS_PER_KEY} are kept per key)` },
    ),
  }),
);
