import type { Schemas } from '../../lib/api';

/** What an endpoint may subscribe to, as keyhold's schema (the SDK's generated types) lists it. */
export type Subscription = Schemas['WebhookCreate']['events'][number];
export type EventType = Exclude<Subscription, '*'>;
export const ALL: Subscription = '*';

/**
 * A line on each event type. Keyed by the SDK's type: the console does not compile while an
 * event type of the server's schema is missing here, or one here is not in it.
 */
const EVENT_HELP: Record<EventType, string> = {
  'api_key.created': 'an API key was created',
  'api_key.updated': 'its description, containers, expiry or rate limit changed',
  'api_key.disabled': 'an API key was disabled',
  'api_key.enabled': 'an API key was enabled',
  'api_key.deleted': 'an API key was deleted',
  'api_key.rerolled': 'its secret was replaced',
  'api_key.expiring': 'an API key expires soon',
  'api_key.expired': 'an API key expired',
  'private_key.created': 'an SSH private key was added',
  'private_key.updated': 'an SSH private key changed',
  'private_key.deleted': 'an SSH private key was deleted',
  'private_key.revealed': 'someone read an SSH private key',
  'token.created': 'a token was issued',
  'token.revoked': 'a token was revoked',
  'master_key.rotated': 'the data key protecting private keys changed',
  'ssh_certificate.issued': 'an SSH certificate was issued',
  'ssh_certificate.revoked': 'an SSH certificate (or a key id or public key) was revoked',
  'webhook.disabled': 'an endpoint was disabled after failing for 3 days',
};

export const EVENT_TYPES = Object.keys(EVENT_HELP) as EventType[];
export const eventHelp = (t: string): string | undefined => (EVENT_HELP as Record<string, string | undefined>)[t];
