import { formatDateTime } from '../../domain/time.js';
import type { ApiToken, CaasKey, PrivateKeyRecord, Project, Region, Team } from '../../domain/types.js';
import { caasKeyStatus, rotatingUntil } from '../../domain/types.js';
import { tokenLive } from '../../services/tokens.js';

/** keyhold's own wire forms: snake_case, RFC 3339 times in UTC, never a secret unless asked for. */

const time = (ms: number | null) => (ms === null ? null : formatDateTime(ms));

export const teamWire = (t: Team) => ({ id: t.id, name: t.name, created_at: formatDateTime(t.createdAt) });

export function tokenWire(t: ApiToken, now: number) {
  return {
    id: t.id,
    name: t.name,
    abilities: t.abilities,
    state: t.revokedAt !== null ? ('revoked' as const) : tokenLive(t, now) ? ('active' as const) : ('expired' as const),
    created_at: formatDateTime(t.createdAt),
    expires_at: time(t.expiresAt),
    revoked_at: time(t.revokedAt),
    last_used_at: time(t.lastUsedAt),
    private_keys: t.privateKeys,
    ssh_roles: t.sshRoles,
  };
}

export const projectWire = (p: Project & { keys?: number }) => ({ id: p.id, name: p.name, created_at: formatDateTime(p.createdAt), keys: p.keys ?? 0 });

export const regionWire = (r: Region) => ({ id: r.id, name: r.name, created_at: formatDateTime(r.createdAt) });

export function privateKeyWire(k: PrivateKeyRecord) {
  return {
    uuid: k.uuid,
    name: k.name,
    description: k.description,
    key_type: k.publicKey.split(' ')[0] ?? '',
    // As `ssh-keygen -l` prints it (Coolify's surface keeps phpseclib's bare base64).
    fingerprint: k.fingerprint === null ? null : `SHA256:${k.fingerprint}`,
    // Coolify keeps the space where the comment was; an authorized_keys line needs none.
    public_key: k.publicKey.trimEnd(),
    created_at: formatDateTime(k.createdAt),
    updated_at: formatDateTime(k.updatedAt),
    signing: k.signing,
  };
}

export function apiKeyWire(k: CaasKey, now: number) {
  return {
    project_id: k.projectId,
    region_id: k.regionId,
    name: k.name,
    description: k.description,
    containers: k.containers.map((c) => ({ name: c.name, namespace: c.namespace })),
    expire: k.expire === null ? null : formatDateTime(k.expire, 's'),
    is_disabled: k.isDisabled,
    status: caasKeyStatus(k, now),
    source: k.source,
    secret_prefix: k.secretStart,
    created_at: formatDateTime(k.createdAt, 's'),
    last_used_at: time(k.lastUsedAt),
    rotating_until: time(rotatingUntil(k, now)),
    rate_limit: k.rateLimit && { limit: k.rateLimit.limit, window_seconds: k.rateLimit.windowSeconds },
  };
}
