import { type CaasKey, caasKeyStatus } from '../../domain/types.js';
import { formatDateTime } from '../../domain/time.js';
import type { Static } from 'typebox';
import type { CaasApiKeyCreateResultSerializer, CaasApiKeySerializer } from './schemas.js';

/**
 * The key object (CaasApiKeySerializer) with keys in alphabetical order, as in every Gcore example;
 * `secret` only in the create response. `status` is computed at `now`, never stored.
 */
export function serializeKey(k: CaasKey, now: number): Static<typeof CaasApiKeySerializer>;
export function serializeKey(k: CaasKey, now: number, secret: string): Static<typeof CaasApiKeyCreateResultSerializer>;
export function serializeKey(k: CaasKey, now: number, secret?: string): Static<typeof CaasApiKeySerializer> | Static<typeof CaasApiKeyCreateResultSerializer> {
  // Insertion order is the wire's: alphabetical, `secret` between `name` and `source`.
  return {
    containers: k.containers.map((c) => ({ name: c.name, namespace: c.namespace })),
    created_at: formatDateTime(k.createdAt, 's'),
    description: k.description,
    expire: k.expire === null ? null : formatDateTime(k.expire, 's'),
    is_disabled: k.isDisabled,
    name: k.name,
    ...(secret === undefined ? {} : { secret }),
    source: k.source,
    status: caasKeyStatus(k, now),
  };
}
