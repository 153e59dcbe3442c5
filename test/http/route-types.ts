// Type tests of defineRoute, checked by `npm run typecheck` (it covers test/): a handler's answer is
// typed by the route's documented responses, so one that drifts from its schema (and with it from the
// OpenAPI document and the SDK) does not compile. Each @ts-expect-error fails the typecheck if its
// line stops being an error. Nothing here runs.
import { Type } from 'typebox';
import { literalUnion } from '../../src/http/literal-union.js';
import { defineRoute } from '../../src/http/route.js';

const Thing = Type.Object({ id: Type.Integer(), state: literalUnion(['on', 'off'] as const) });

export const routes = [
  defineRoute({
    method: 'GET',
    url: '/things/:id',
    operationId: 'get-thing',
    summary: 'a thing',
    schema: { params: Type.Object({ id: Type.Integer() }) },
    responses: { 200: { description: 'the thing', schema: Thing }, 404: { description: 'none' } },
    async handler(request) {
      return { id: request.params.id, state: 'on' as const };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/drifted',
    operationId: 'drifted',
    summary: 'answers a field its schema does not have',
    schema: {},
    responses: { 200: { description: 'the thing', schema: Thing } },
    // @ts-expect-error `name` is not a field of Thing, and `id` is missing
    async handler() {
      return { name: 'x', state: 'on' as const };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/wrong-literal',
    operationId: 'wrong-literal',
    summary: 'answers a value outside the union',
    schema: {},
    responses: { 200: { description: 'the thing', schema: Thing } },
    // @ts-expect-error 'dim' is not one of the states
    async handler() {
      return { id: 1, state: 'dim' as const };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/things',
    operationId: 'create-thing',
    summary: 'created, with its status',
    schema: {},
    responses: { 201: { description: 'created', schema: Thing }, 204: { description: 'nothing to do' } },
    async handler(_request, reply) {
      if (Math.random() > 0.5) return reply.code(204).send();
      // @ts-expect-error a 201 answers a Thing, not a string
      return reply.code(201).send('created');
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/undocumented-status',
    operationId: 'undocumented-status',
    summary: 'a status the route does not document',
    schema: {},
    responses: { 200: { description: 'the thing', schema: Thing } },
    async handler(_request, reply) {
      // @ts-expect-error 202 is not among the route's documented answers
      return reply.code(202).send({ id: 1, state: 'on' as const });
    },
  }),
];
