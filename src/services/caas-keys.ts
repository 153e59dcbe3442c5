import { apiKeyStart, newApiKeySecret, sha256Hex } from '../crypto/secret.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { AppError } from '../domain/errors.js';
import { formatDateTime } from '../domain/time.js';
import { type Actor, CAAS_KEY_LIMITS, type CaasKey, type CaasKeyStatus, type Clock, type Container, type RateLimit } from '../domain/types.js';
import { type CaasKeyChanges, digestsOf } from '../repositories/caas-keys.js';
import type { Store } from '../repositories/index.js';
import { auditEvent } from './audit.js';
import { apiKeyData, type ChangeEvent, recordChange } from './events.js';

/** The longest grace period a reroll may give the secret it replaces. */
export const MAX_GRACE_MS = 30 * 86_400_000;

export interface CaasKeyCreate {
  name: string;
  description: string;
  containers: Container[];
  expire: number | null;
  isDisabled: boolean;
  /** keyhold's own API only (the Gcore surface has no such field). */
  rateLimit?: RateLimit | null;
}

/** Fields absent from an update are `undefined`; `expire: null` clears the expiry, `rateLimit: null` the limit. */
export interface CaasKeyUpdate {
  description?: string;
  containers?: Container[];
  expire?: number | null;
  isDisabled?: boolean;
  rateLimit?: RateLimit | null;
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

/** Listeners told which secret digests changed, so verification caches can forget them (here and, by NOTIFY, elsewhere). */
export type DigestListener = (digest: string) => void | Promise<void>;

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

/**
 * The bounds every surface's schema already enforces in its own words (CAAS_KEY_LIMITS), checked once
 * more here, so no caller of the service can store a key the others would refuse to describe.
 */
function checkBounds(input: { description?: string; containers?: Container[] }): void {
  const { descriptionChars, containers, namespaceChars } = CAAS_KEY_LIMITS;
  if (input.description !== undefined && [...input.description].length > descriptionChars) {
    throw new AppError('bad_request', `description must be at most ${descriptionChars} characters`);
  }
  if (input.containers && input.containers.length > containers) throw new AppError('bad_request', `a key is bound to at most ${containers} containers`);
  if (input.containers?.some((c) => [...c.namespace].length > namespaceChars)) throw new AppError('bad_request', `a namespace is at most ${namespaceChars} characters`);
}

export function caasKeysService(store: Store, clock: Clock) {
  const listeners: DigestListener[] = [];
  // Awaited, so a short-lived process (the CLI) has told the others before it exits.
  const changed = async (...digests: string[]) => {
    await Promise.all(digests.flatMap((d) => listeners.map(async (l) => l(d))));
  };

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
      checkBounds(input);
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
          rateLimit: input.rateLimit ?? null,
          source: 'cloud',
          secretHash: digest,
          secretStart: apiKeyStart(secret),
          createdAt: t,
        });
        const at = clock();
        const fields = ['name', 'description', 'containers', 'expire', 'is_disabled', ...(input.rateLimit ? ['rate_limit'] : [])];
        const audit = auditEvent(actor, 'caas_key.create', 'caas_key', resource(k), fields, at);
        await recordChange(repos, audit, [{ type: 'api_key.created', teamId: actor.teamId, data: { key: apiKeyData(k) } }], at);
        return k;
      });
      await changed(digest);
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
      checkBounds(input);
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
      if (input.rateLimit !== undefined && JSON.stringify(input.rateLimit) !== JSON.stringify(current.rateLimit)) {
        changes.rateLimit = input.rateLimit;
        fields.push('rate_limit');
      }
      if (fields.length === 0) return current;
      // Only the changed fields are written, so a concurrent update of other fields is not undone.
      const { secretHash, oldSecretHash, ...key } = await store.transaction(async (repos) => {
        const updated = await repos.caasKeys.update(current.id, changes);
        if (!updated) throw keyNotFound(name); // deleted since we looked it up
        const at = clock();
        const events: ChangeEvent[] = [];
        const settings = fields.filter((f) => f !== 'is_disabled');
        const data = apiKeyData(updated);
        if (settings.length > 0) events.push({ type: 'api_key.updated', teamId: actor.teamId, data: { changed: settings, key: data } });
        if (changes.isDisabled !== undefined) events.push({ type: changes.isDisabled ? 'api_key.disabled' : 'api_key.enabled', teamId: actor.teamId, data: { key: data } });
        await recordChange(repos, auditEvent(actor, 'caas_key.update', 'caas_key', resource(current), fields, at), events, at);
        return updated;
      });
      await changed(...digestsOf({ secretHash, oldSecretHash }));
      return key;
    },
    async remove(actor: Actor, projectId: number, regionId: number, name: string): Promise<void> {
      const current = await find(actor.teamId, projectId, regionId, name);
      const digests = await store.transaction(async (repos) => {
        const d = await repos.caasKeys.delete(current.id);
        if (d === undefined) throw keyNotFound(name); // deleted since we looked it up
        const at = clock();
        const data = { key: { project_id: current.projectId, region_id: current.regionId, name: current.name } };
        await recordChange(repos, auditEvent(actor, 'caas_key.delete', 'caas_key', resource(current), [], at), [{ type: 'api_key.deleted', teamId: actor.teamId, data }], at);
        return d;
      });
      await changed(...digests);
    },
    /**
     * Replaces the key's secret and nothing else; the new secret is returned here once. The replaced
     * secret keeps verifying for `graceMs` (0: not at all); a secret kept from an earlier reroll ends now,
     * so at most two are ever valid. Every digest involved is invalidated here and in other processes.
     */
    async reroll(actor: Actor, projectId: number, regionId: number, name: string, graceMs: number): Promise<{ key: CaasKey; secret: string }> {
      if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_GRACE_MS) throw new AppError('bad_request', 'the grace period must be from 0 seconds to 30 days');
      const current = await find(actor.teamId, projectId, regionId, name);
      const secret = newApiKeySecret();
      const digest = sha256Hex(secret);
      const { before, after } = await store.transaction(async (repos) => {
        const at = clock();
        const r = await repos.caasKeys.reroll(current.id, { secretHash: digest, secretStart: apiKeyStart(secret), graceUntil: graceMs > 0 ? at + graceMs : null });
        if (!r) throw keyNotFound(name); // deleted since we looked it up
        const graceSeconds = Math.round(graceMs / 1000);
        const audit = auditEvent(actor, 'caas_key.reroll', 'caas_key', resource(current), ['secret', `grace_seconds=${graceSeconds}`], at);
        const data = { key: apiKeyData(r.after), grace_seconds: graceSeconds, rotating_until: r.after.rotatingUntil === null ? null : formatDateTime(r.after.rotatingUntil) };
        await recordChange(repos, audit, [{ type: 'api_key.rerolled', teamId: actor.teamId, data }], at);
        return r;
      });
      // The old secret's cached verdict (as the current one) and any older one's are forgotten; so is a
      // cached "unknown" for the new digest.
      await changed(...new Set([...digestsOf(before), ...digestsOf(after)]));
      const { secretHash: _s, oldSecretHash: _o, ...key } = after;
      return { key, secret };
    },
  };
}
export type CaasKeysService = ReturnType<typeof caasKeysService>;
