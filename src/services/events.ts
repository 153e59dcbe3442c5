import { randomAlnum } from '../crypto/secret.js';
import type { EventType } from '../domain/events.js';
import { formatDateTime } from '../domain/time.js';
import type { CaasKey, PrivateKeyRecord } from '../domain/types.js';
import type { AuditEvent } from '../repositories/audit.js';
import type { Repos } from '../repositories/index.js';

/**
 * The outbox's writers. Every change writes its audit row and its event(s) in the change's own
 * transaction, through `recordChange`; the webhook worker delivers events after commit. Payloads
 * carry ids, names and what changed, never a secret, private key, digest or token.
 */

/** An event before it is stored: its type, the team it belongs to (null: every team's) and its data. */
export interface ChangeEvent {
  type: EventType;
  teamId: number | null;
  data: Record<string, unknown>;
}

/** A message id in the Standard Webhooks style (`msg_…`), used as `webhook-id` on every attempt. */
export const newEventId = () => `msg_${randomAlnum(27)}`;

/** The body every endpoint receives: Standard Webhooks' `{type, timestamp, data}`. */
export function eventPayload(type: string, at: number, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: formatDateTime(at), data });
}

/** Writes an audit row (when given) and each event, with its deliveries; call inside `store.transaction`. */
export async function recordChange(repos: Repos, audit: AuditEvent | null, events: ChangeEvent[], at: number): Promise<void> {
  if (audit) await repos.audit.insert(audit);
  for (const e of events) {
    await repos.events.insert({ uid: newEventId(), teamId: e.teamId, type: e.type, payload: eventPayload(e.type, at, e.data), createdAt: at });
  }
}

const time = (ms: number | null) => (ms === null ? null : formatDateTime(ms, 's'));

/** An API key as events describe it: what identifies it and its settings, never its secret or its prefix. */
export function apiKeyData(k: CaasKey) {
  return {
    project_id: k.projectId,
    region_id: k.regionId,
    name: k.name,
    description: k.description,
    containers: k.containers.map((c) => ({ name: c.name, namespace: c.namespace })),
    expire: time(k.expire),
    is_disabled: k.isDisabled,
    rate_limit: k.rateLimit && { limit: k.rateLimit.limit, window_seconds: k.rateLimit.windowSeconds },
    source: k.source,
    created_at: time(k.createdAt),
  };
}

/** A private key as events describe it: its public half and fingerprint, never the key itself. */
export function privateKeyData(k: Pick<PrivateKeyRecord, 'uuid' | 'name' | 'description' | 'fingerprint' | 'publicKey'>) {
  return { uuid: k.uuid, name: k.name, description: k.description, fingerprint: k.fingerprint, key_type: k.publicKey.split(' ')[0] ?? '' };
}
