import { formatDateTime } from '../../domain/time.js';
import type { PrivateKeyRecord, PrivateKeyWithSecret } from '../../domain/types.js';

const phpTruthy = (v: unknown) => !(v === null || v === undefined || v === false || v === 0 || v === '' || v === '0');

/**
 * Coolify's `serializeApiResponse` ordering: keys by byte order; truthy `created_at`, then `updated_at`, to the end;
 * then truthy `name`, `description`, `uuid` and non-null `id` each moved to the front, in that sequence.
 */
export function coolifyOrder(obj: Record<string, unknown>): Record<string, unknown> {
  let keys = Object.keys(obj).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const k of ['created_at', 'updated_at']) if (phpTruthy(obj[k])) keys = [...keys.filter((x) => x !== k), k];
  for (const k of ['name', 'description', 'uuid']) if (phpTruthy(obj[k])) keys = [k, ...keys.filter((x) => x !== k)];
  if (obj.id !== null && obj.id !== undefined) keys = ['id', ...keys.filter((x) => x !== 'id')];
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = obj[k];
  return out;
}

/** A stored key as Coolify shows it; `private_key` appears only when the record carries it. */
export function serializeKey(k: PrivateKeyRecord | PrivateKeyWithSecret): Record<string, unknown> {
  const obj: Record<string, unknown> = {
    id: k.id,
    uuid: k.uuid,
    name: k.name,
    description: k.description,
    fingerprint: k.fingerprint,
    is_git_related: k.isGitRelated,
    public_key: k.publicKey,
    team_id: k.teamId,
    created_at: formatDateTime(k.createdAt, 'us'),
    updated_at: formatDateTime(k.updatedAt, 'us'),
  };
  if ('privateKey' in k) obj.private_key = k.privateKey;
  return coolifyOrder(obj);
}
