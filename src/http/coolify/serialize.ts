import { Type } from 'typebox';
import type { PrivateKeyRecord, PrivateKeyWithSecret } from '../../domain/types.js';

/** The key object (upstream `components.schemas.PrivateKey`), in the order Coolify writes it. */
export const PrivateKeySchema = Type.Object({
  id: Type.Integer(),
  uuid: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  fingerprint: Type.Union([Type.String(), Type.Null()]),
  is_git_related: Type.Boolean(),
  private_key: Type.Optional(Type.String({ format: 'private-key' })),
  public_key: Type.String({ description: 'The public key of the private key.' }),
  team_id: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** Laravel's `toJSON` for a second-precision column: `YYYY-MM-DDTHH:MM:SS.000000Z`. */
export function coolifyTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + '.000000Z';
}

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
    created_at: coolifyTime(k.createdAt),
    updated_at: coolifyTime(k.updatedAt),
  };
  if ('privateKey' in k) obj.private_key = k.privateKey;
  return coolifyOrder(obj);
}
