import { Type } from 'typebox';
import { formatDateTime } from '../../domain/time.js';
import type { DeliveryView, WebhookRecord, WebhooksService } from '../../services/webhooks.js';
import { actorOf } from '../auth.js';
import { callerOf, defineRoute, type RouteDefinition } from '../route.js';
import { errorAnswer } from './schemas.js';
import { DeliveryPath, Webhook, WebhookCreate, WebhookCreated, WebhookDelivery, WebhookDeliveryPage, WebhookDeliveryQuery, WebhookId, WebhookSecretRotation, WebhookUpdate } from './webhook-schemas.js';

const tags = ['Webhooks'];
const time = (ms: number | null) => (ms === null ? null : formatDateTime(ms));
const ItemPath = Type.Object({ id: WebhookId });

function webhookWire(w: WebhookRecord) {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    description: w.description,
    enabled: w.disabledAt === null,
    disabled_at: time(w.disabledAt),
    disabled_reason: w.disabledReason,
    failing_since: time(w.failingSince),
    backoff_until: time(w.backoffUntil),
    previous_secret_until: time(w.previousSecretUntil),
    created_at: formatDateTime(w.createdAt),
    updated_at: formatDateTime(w.updatedAt),
  };
}

function deliveryWire(d: DeliveryView) {
  return {
    id: d.id,
    event_id: d.eventUid,
    event_type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    response_status: d.responseStatus,
    response_body: d.responseBody,
    error: d.error,
    latency_ms: d.latencyMs,
    created_at: formatDateTime(d.createdAt),
    last_attempt_at: time(d.lastAttemptAt),
    next_attempt_at: d.status === 'pending' ? formatDateTime(d.nextAttemptAt) : null,
    delivered_at: time(d.deliveredAt),
  };
}

/**
 * The team's webhook endpoints, for `root` tokens: an endpoint's signing secret and its delivery log
 * (answers of the receiving servers) are the team administrator's business.
 */
export function webhookRoutes(webhooks: WebhooksService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks',
      ability: 'root',
      operationId: 'list-webhooks',
      summary: 'List webhook endpoints',
      tags,
      schema: {},
      responses: { 200: { description: "The team's endpoints, oldest first.", schema: Type.Array(Webhook) } },
      async handler(request) {
        return (await webhooks.list(callerOf(request).teamId)).map(webhookWire);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks',
      ability: 'root',
      operationId: 'create-webhook',
      secretInAnswer: true,
      summary: 'Create a webhook endpoint',
      description: 'Events of the subscribed types are POSTed to `url`, signed per Standard Webhooks with the secret in this answer (shown once). See docs/webhooks.md.',
      tags,
      schema: { body: WebhookCreate },
      bodyRequired: true,
      responses: { 201: { description: 'Created; copy `secret` now.', schema: WebhookCreated }, 400: errorAnswer('Not a valid request, or a refused target URL.') },
      async handler(request, reply) {
        const b = request.body;
        const { webhook, secret } = await webhooks.create(actorOf(request), { url: b.url, events: b.events, description: b.description });
        return reply.code(201).send({ ...webhookWire(webhook), secret });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks/:id',
      ability: 'root',
      operationId: 'get-webhook',
      summary: 'Get a webhook endpoint',
      tags,
      schema: { params: ItemPath },
      responses: { 200: { description: 'The endpoint.', schema: Webhook }, 404: errorAnswer('No such endpoint.') },
      async handler(request) {
        return webhookWire(await webhooks.get(callerOf(request).teamId, request.params.id));
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/webhooks/:id',
      ability: 'root',
      operationId: 'update-webhook',
      summary: 'Update a webhook endpoint',
      description: 'URL, events, description, and `enabled` (turning an endpoint disabled after repeated failures back on).',
      tags,
      schema: { params: ItemPath, body: WebhookUpdate },
      bodyRequired: true,
      responses: { 200: { description: 'The endpoint as it now stands.', schema: Webhook }, 400: errorAnswer('Not a valid request, or a refused target URL.'), 404: errorAnswer('No such endpoint.') },
      async handler(request) {
        const b = request.body;
        const w = await webhooks.update(actorOf(request), request.params.id, { url: b.url, events: b.events, description: b.description, enabled: b.enabled });
        return webhookWire(w);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/webhooks/:id',
      ability: 'root',
      operationId: 'delete-webhook',
      summary: 'Delete a webhook endpoint',
      tags,
      schema: { params: ItemPath },
      responses: { 204: { description: 'Deleted, with its delivery log; nothing more is sent to it.' }, 404: errorAnswer('No such endpoint.') },
      async handler(request, reply) {
        await webhooks.remove(actorOf(request), request.params.id);
        return reply.code(204).send();
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/webhooks/:id/deliveries',
      ability: 'root',
      operationId: 'list-webhook-deliveries',
      summary: "List an endpoint's deliveries",
      description: 'Newest first: status, attempts, the last answer (status, first 1 KB, latency) and times.',
      tags,
      schema: { params: ItemPath, querystring: WebhookDeliveryQuery },
      responses: { 200: { description: 'A page of deliveries.', schema: WebhookDeliveryPage }, 400: errorAnswer('A parameter is invalid.'), 404: errorAnswer('No such endpoint.') },
      async handler(request) {
        const q = request.query;
        const page = await webhooks.deliveries(callerOf(request).teamId, request.params.id, { limit: q.limit ?? 100, cursor: q.cursor });
        return { deliveries: page.deliveries.map(deliveryWire), next_cursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks/:id/deliveries/:delivery_id/redeliver',
      ability: 'root',
      operationId: 'redeliver-webhook',
      summary: 'Send a delivery again',
      description:
        'Sends the event again, due at once, under the same `webhook-id` (receivers that de-duplicate see one event). A pending delivery (a retry is scheduled) is itself made due now, so the manual attempt replaces the scheduled one: the event is sent once. A delivered or failed one gets a new delivery, unless one of its event is already pending, which is then made due now. 409 while an attempt of it is in flight.',
      tags,
      schema: { params: DeliveryPath },
      responses: {
        202: { description: 'Due now: the pending delivery itself, or a new one.', schema: WebhookDelivery },
        404: errorAnswer('No such endpoint or delivery.'),
        409: errorAnswer('An attempt of this delivery is in flight; its outcome shows in the delivery log within seconds.'),
      },
      async handler(request, reply) {
        const d = await webhooks.redeliver(actorOf(request), request.params.id, request.params.delivery_id);
        return reply.code(202).send(deliveryWire(d));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks/:id/test',
      ability: 'root',
      operationId: 'test-webhook',
      summary: 'Send a test event',
      description:
        'Sends a `webhook.test` event to this endpoint only, whatever it subscribes to, signed like every event; its delivery (and what the receiver answered) shows in the delivery log. 409 when the endpoint is disabled.',
      tags,
      schema: { params: ItemPath },
      responses: {
        202: { description: 'Queued, due now.', schema: WebhookDelivery },
        404: errorAnswer('No such endpoint.'),
        409: errorAnswer('The endpoint is disabled.'),
      },
      async handler(request, reply) {
        const d = await webhooks.sendTest(actorOf(request), request.params.id);
        return reply.code(202).send(deliveryWire(d));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/webhooks/:id/rotate-secret',
      ability: 'root',
      operationId: 'rotate-webhook-secret',
      summary: 'Rotate the signing secret',
      description:
        'Makes a new signing secret, shown in this answer only. For `grace_seconds` (default a day) the previous secret keeps signing beside it: each message carries two signatures in `webhook-signature`, and a Standard Webhooks verifier with either secret accepts it. A rotation during a grace period drops the oldest secret.',
      tags,
      schema: { params: ItemPath, body: WebhookSecretRotation },
      secretInAnswer: true,
      responses: {
        200: { description: 'The endpoint, with the new secret.', schema: WebhookCreated },
        404: errorAnswer('No such endpoint.'),
        409: errorAnswer('Rotated at the same moment by another request.'),
      },
      async handler(request) {
        const graceMs = (request.body?.grace_seconds ?? 86_400) * 1000;
        const { webhook, secret } = await webhooks.rotateSecret(actorOf(request), request.params.id, graceMs);
        return { ...webhookWire(webhook), secret };
      },
    }),
  ];
}
