import { apiKeyStart, newApiKeySecret, sha256Hex } from '../crypto/secret.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { AppError } from '../domain/errors.js';
import { type Actor, type CaasKey, type CaasKeyStatus, type Clock, type Container } from '../domain/types.js';
import type { CaasKeyChanges } from '../repositories/caas-keys.js';
import type { Store } from '../repositories/index.js';
import { auditEvent } from './audit.js';

export interface CaasKeyCreate {
  name: string;
  description: string;
  containers: Container[];
  expire: number | null;
  isDisabled: boolean;
}

/** Fields absent from an update are `undefined`; `expire: null` clears the expiry. */
export interface CaasKeyUpdate {
  description?: string;
  containers?: Container[];
  expire?: number | null;
  isDisabled?: boolean;
}

/** A search of a team's keys across its projects (keyhold's own API). */
export interface CaasKeySearch {
  projectId?: number;
  regionId?: number;
  status?: CaasKeyStatus;
  /** Part of the name or description, any case. */
  text?: string;
  limit: number;
  /** A previous page's `nextCursor`. */
  cursor?: string;
}

/** Listeners told which secret digests changed, so verification caches can forget them. */
export type DigestListener = (digest: string) => void;

/** Duplicate containers collapse onto their first occurrence. */
export function dedupeContainers(list: Container[]): Container[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const k = JSON.stringify([c.name, c.namespace]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const keyNotFound = (name: string) => new AppError('not_found', `API key ${name} could not be found`);
const STORED_NAME = /^[a-z][-a-z0-9]{0,62}[a-z0-9]$/;
const resource = (k: Pick<CaasKey, 'projectId' | 'regionId' | 'name'>) => `${k.projectId}/${k.regionId}/${k.name}`;

export function caasKeysService(store: Store, clock: Clock) {
  const listeners: DigestListener[] = [];
  const changed = (digest: string) => listeners.forEach((l) => l(digest));

  /** The namespace must be the actor's team's project and an existing region; otherwise 404 alike. */
  async function namespace(teamId: number, projectId: number, regionId: number): Promise<void> {
    const project = await store.projects.findProject(projectId);
    if (!project || project.teamId !== teamId) throw new AppError('not_found', `Project ${projectId} could not be found`);
    if (!(await store.projects.findRegion(regionId))) throw new AppError('not_found', `Region ${regionId} could not be found`);
  }

  async function find(teamId: number, projectId: number, regionId: number, name: string): Promise<CaasKey> {
    await namespace(teamId, projectId, regionId);
    // Stored names all match the create pattern; anything else cannot exist (and may not even be valid text for PostgreSQL).
    const k = STORED_NAME.test(name) ? await store.caasKeys.findByName(projectId, regionId, name) : undefined;
    if (!k) throw keyNotFound(name);
    return k;
  }

  return {
    /** Registers a listener for changed digests (the verification cache). */
    onChange(l: DigestListener): void {
      listeners.push(l);
    },
    now: clock,
    /** Creates a key; the secret is returned here once and only its digest is stored. */
    async create(actor: Actor, projectId: number, regionId: number, input: CaasKeyCreate): Promise<{ key: CaasKey; secret: string }> {
      await namespace(actor.teamId, projectId, regionId);
      const secret = newApiKeySecret();
      const digest = sha256Hex(secret);
      const t = Math.floor(clock() / 1000) * 1000;
      const key = await store.transaction(async (repos) => {
        const k = await repos.caasKeys.insert({
          projectId,
          regionId,
          name: input.name,
          description: input.description,
          containers: dedupeContainers(input.containers),
          expire: input.expire,
          isDisabled: input.isDisabled,
          source: 'cloud',
          secretHash: digest,
          secretStart: apiKeyStart(secret),
          createdAt: t,
        });
        await repos.audit.insert(auditEvent(actor, 'caas_key.create', 'caas_key', resource(k), ['name', 'description', 'containers', 'expire', 'is_disabled'], clock()));
        return k;
      });
      changed(digest);
      return { key, secret };
    },
    async page(teamId: number, projectId: number, regionId: number, limit: number, offset: number) {
      await namespace(teamId, projectId, regionId);
      return store.caasKeys.page(projectId, regionId, limit, offset);
    },
    get: (teamId: number, projectId: number, regionId: number, name: string) => find(teamId, projectId, regionId, name),
    /** One page of the team's keys in creation order; `nextCursor` is null on the last page. */
    async search(teamId: number, q: CaasKeySearch): Promise<{ keys: CaasKey[]; nextCursor: string | null }> {
      const afterId = q.cursor === undefined ? undefined : decodeCursor('after', q.cursor);
      if (q.cursor !== undefined && afterId === undefined) throw new AppError('bad_request', 'cursor is not one this server issued (pass next_cursor back unchanged)');
      const rows = await store.caasKeys.search(teamId, { ...q, afterId, now: clock() });
      const keys = rows.slice(0, q.limit);
      return { keys, nextCursor: rows.length > q.limit ? encodeCursor('after', keys[keys.length - 1]!.id) : null };
    },
    async update(actor: Actor, projectId: number, regionId: number, name: string, input: CaasKeyUpdate): Promise<CaasKey> {
      const current = await find(actor.teamId, projectId, regionId, name);
      const changes: CaasKeyChanges = {};
      const fields: string[] = [];
      if (input.description !== undefined && input.description !== current.description) {
        changes.description = input.description;
        fields.push('description');
      }
      if (input.containers !== undefined) {
        const list = dedupeContainers(input.containers);
        if (JSON.stringify(list) !== JSON.stringify(current.containers)) {
          changes.containers = list;
          fields.push('containers');
        }
      }
      if (input.expire !== undefined && input.expire !== current.expire) {
        changes.expire = input.expire;
        fields.push('expire');
      }
      if (input.isDisabled !== undefined && input.isDisabled !== current.isDisabled) {
        changes.isDisabled = input.isDisabled;
        fields.push('is_disabled');
      }
      if (fields.length === 0) return current;
      // Only the changed fields are written, so a concurrent update of other fields is not undone.
      const { secretHash, ...key } = await store.transaction(async (repos) => {
        const updated = await repos.caasKeys.update(current.id, changes);
        if (!updated) throw keyNotFound(name); // deleted since we looked it up
        await repos.audit.insert(auditEvent(actor, 'caas_key.update', 'caas_key', resource(current), fields, clock()));
        return updated;
      });
      changed(secretHash);
      return key;
    },
    async remove(actor: Actor, projectId: number, regionId: number, name: string): Promise<void> {
      const current = await find(actor.teamId, projectId, regionId, name);
      const digest = await store.transaction(async (repos) => {
        const d = await repos.caasKeys.delete(current.id);
        if (d === undefined) throw keyNotFound(name); // deleted since we looked it up
        await repos.audit.insert(auditEvent(actor, 'caas_key.delete', 'caas_key', resource(current), [], clock()));
        return d;
      });
      changed(digest);
    },
  };
}
export type CaasKeysService = ReturnType<typeof caasKeysService>;
