import { type CaasKey, caasKeyStatus } from '../../domain/types.js';
import { formatDateTime } from '../../domain/time.js';

/**
 * The key object (CaasApiKeySerializer) with keys in alphabetical order, as in every Gcore example;
 * `secret` only in the create response. `status` is computed at `now`, never stored.
 */
export function serializeKey(k: CaasKey, now: number, secret?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    containers: k.containers.map((c) => ({ name: c.name, namespace: c.namespace })),
    created_at: formatDateTime(k.createdAt, 's'),
    description: k.description,
    expire: k.expire === null ? null : formatDateTime(k.expire, 's'),
    is_disabled: k.isDisabled,
    name: k.name,
  };
  if (secret !== undefined) out.secret = secret;
  out.source = k.source;
  out.status = caasKeyStatus(k, now);
  return out;
}
