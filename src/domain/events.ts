/** Every event type keyhold emits (see docs/webhooks.md for their payloads). */
export const EVENT_TYPES = [
  'api_key.created',
  'api_key.updated',
  'api_key.disabled',
  'api_key.enabled',
  'api_key.deleted',
  'api_key.rerolled',
  'api_key.expiring',
  'api_key.expired',
  'private_key.created',
  'private_key.updated',
  'private_key.deleted',
  'private_key.revealed',
  'token.created',
  'token.revoked',
  'master_key.rotated',
  'ssh_certificate.issued',
  'ssh_certificate.revoked',
  'webhook.disabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What an endpoint may subscribe to: event types, or `*` for all of them. */
export const SUBSCRIPTION_ALL = '*';

/** Does an endpoint with these subscriptions receive events of `type`? */
export function subscribes(events: readonly string[], type: string): boolean {
  return events.includes(SUBSCRIPTION_ALL) || events.includes(type);
}
