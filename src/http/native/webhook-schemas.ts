import { Type } from 'typebox';
import { literalUnion } from '../literal-union.js';
import { EVENT_TYPES, SUBSCRIPTION_ALL } from '../../domain/events.js';
import { MAX_ID } from '../../domain/types.js';
import { component } from '../openapi/document.js';

/** Schemas of webhook endpoints and their deliveries (keyhold's own API). */

const Time = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });
const NullableTime = (description: string) => Type.Union([Time(), Type.Null()], { description });
const Subscription = literalUnion([...EVENT_TYPES, SUBSCRIPTION_ALL] as const, {
  description: 'An event type, or `*` for every type (see docs/webhooks.md)',
});
const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'https:// or http://; private, loopback and link-local addresses are refused unless the server allows them' });
const Events = Type.Array(Subscription, { minItems: 1, maxItems: 100, description: 'What the endpoint receives' });

export const WebhookId = Type.String({ minLength: 1, maxLength: 100, description: 'Webhook id (`wh_…`)' });

export const Webhook = component(
  'Webhook',
  Type.Object({
    id: Type.String({ examples: ['wh_3k2…'] }),
    url: Type.String(),
    events: Type.Array(Type.String()),
    description: Type.String(),
    enabled: Type.Boolean(),
    disabled_at: NullableTime('When it was disabled (by a user, or after failing for 3 days); null while enabled'),
    disabled_reason: Type.Union([Type.String(), Type.Null()]),
    failing_since: NullableTime('Every attempt since then has failed; null while deliveries succeed'),
    backoff_until: NullableTime('The endpoint keeps failing: none of its deliveries is attempted before then (a redeliver ends it); null while it does not back off'),
    previous_secret_until: NullableTime('After a signing-secret rotation: until then the previous secret signs beside the new one (two signatures in webhook-signature); null when only one secret signs'),
    created_at: Time(),
    updated_at: Time(),
  }),
);
export const WebhookCreated = component(
  'WebhookCreated',
  Type.Object({
    ...Webhook.properties,
    secret: Type.String({ description: 'The signing secret (`whsec_…`, Standard Webhooks): shown in this answer only' }),
  }),
);
export const WebhookCreate = component(
  'WebhookCreate',
  Type.Object({ url: Url, events: Events, description: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
);
export const WebhookUpdate = component(
  'WebhookUpdate',
  Type.Object(
    {
      url: Type.Optional(Url),
      events: Type.Optional(Events),
      description: Type.Optional(Type.String({ maxLength: 1000 })),
      enabled: Type.Optional(Type.Boolean({ description: '`true` turns a disabled endpoint back on and forgets its failures' })),
    },
    { additionalProperties: false, description: 'Fields left out keep their value' },
  ),
);
export const WebhookDelivery = component(
  'WebhookDelivery',
  Type.Object({
    id: Type.Integer(),
    event_id: Type.String({ description: 'The `webhook-id` header of every attempt' }),
    event_type: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
    attempts: Type.Integer(),
    response_status: Type.Union([Type.Integer(), Type.Null()], { description: "The last attempt's HTTP status; null when it got no answer" }),
    response_body: Type.Union([Type.String(), Type.Null()], { description: 'Its first 1 KB' }),
    error: Type.Union([Type.String(), Type.Null()], { description: 'Why the last attempt got no answer (refused target, timeout, connection error)' }),
    latency_ms: Type.Union([Type.Integer(), Type.Null()]),
    created_at: Time(),
    last_attempt_at: NullableTime('Not attempted yet, when null'),
    next_attempt_at: NullableTime('When pending: the next attempt'),
    delivered_at: NullableTime('Not delivered (yet), when null'),
  }),
);
export const WebhookDeliveryPage = component('WebhookDeliveryPage', Type.Object({ deliveries: Type.Array(WebhookDelivery), next_cursor: Type.Union([Type.String(), Type.Null()]) }));
export const WebhookDeliveryQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ description: "A previous page's next_cursor" })),
  },
  { additionalProperties: false },
);
export const DeliveryPath = Type.Object({ id: WebhookId, delivery_id: Type.Integer({ minimum: 0, maximum: MAX_ID, description: 'Delivery id' }) });
export const WebhookSecretRotation = component(
  'WebhookSecretRotation',
  Type.Object(
    {
      grace_seconds: Type.Optional(
        Type.Integer({
          minimum: 0,
          maximum: 7 * 86_400,
          default: 86_400,
          description: 'How long the previous secret keeps signing beside the new one, so receivers can switch without losing a message (default a day; 0: at once)',
        }),
      ),
    },
    { additionalProperties: false },
  ),
);
