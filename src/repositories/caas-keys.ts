import type { Kysely, Selectable } from 'kysely';
import { dialectOf, isUniqueViolation } from '../db/connect.js';
import { containsText } from '../db/text-search.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../domain/errors.js';
import type { CaasKey, CaasKeyStatus, Container, RateLimit } from '../domain/types.js';

type Row = Selectable<Database['caas_keys']>;
export type KeyWithDigest = CaasKey & { secretHash: string; oldSecretHash: string | null };

const toKey = (r: Row): CaasKey => ({
  id: r.id,
  projectId: r.project_id,
  regionId: r.region_id,
  name: r.name,
  description: r.description,
  containers: JSON.parse(r.containers) as Container[],
  expire: r.expire,
  isDisabled: r.is_disabled === 1,
  source: r.source as CaasKey['source'],
  secretStart: r.secret_start,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  rotatingUntil: r.old_secret_until,
  rateLimit: r.rate_limit === null || r.rate_window_s === null ? null : { limit: r.rate_limit, windowSeconds: r.rate_window_s },
});

const withDigest = (r: Row): KeyWithDigest => ({ ...toKey(r), secretHash: r.secret_hash, oldSecretHash: r.old_secret_hash });

/** Every digest a row answers to (the current secret's and, after a reroll, the previous one's). */
export const digestsOf = (k: Pick<KeyWithDigest, 'secretHash' | 'oldSecretHash'>): string[] => (k.oldSecretHash === null ? [k.secretHash] : [k.secretHash, k.oldSecretHash]);

export type CaasKeyChanges = Partial<Pick<CaasKey, 'description' | 'containers' | 'expire' | 'isDisabled' | 'rateLimit'>>;

/** Which of a team's keys: by project, region, status at `now`, or text in the name or description. */
export interface KeyFilter {
  projectId?: number;
  regionId?: number;
  status?: CaasKeyStatus;
  text?: string;
  now: number;
}

export function caasKeysRepository(db: Kysely<Database>) {
  const teamKeys = (teamId: number, f: KeyFilter) => {
    let q = db.selectFrom('caas_keys').innerJoin('projects', 'projects.id', 'caas_keys.project_id').where('projects.team_id', '=', teamId);
    if (f.projectId !== undefined) q = q.where('caas_keys.project_id', '=', f.projectId);
    if (f.regionId !== undefined) q = q.where('caas_keys.region_id', '=', f.regionId);
    if (f.status === 'Disabled') q = q.where('caas_keys.is_disabled', '=', 1);
    if (f.status === 'Expired') q = q.where('caas_keys.is_disabled', '=', 0).where('caas_keys.expire', '<=', f.now);
    if (f.status === 'Active') {
      q = q.where('caas_keys.is_disabled', '=', 0).where((eb) => eb.or([eb('caas_keys.expire', 'is', null), eb('caas_keys.expire', '>', f.now)]));
    }
    const text = f.text;
    if (text !== undefined) q = q.where((eb) => eb.or([containsText('caas_keys.name', text), containsText('caas_keys.description', text)]));
    return q;
  };
  const byDigest = db
    .selectFrom('caas_keys')
    .innerJoin('projects', 'projects.id', 'caas_keys.project_id')
    .selectAll('caas_keys')
    .select('projects.team_id')
    .where((eb) => eb.or([eb('caas_keys.secret_hash', '=', ''), eb('caas_keys.old_secret_hash', '=', '')]))
    .compile();
  const ns = (projectId: number, regionId: number) =>
    db.selectFrom('caas_keys').where('project_id', '=', projectId).where('region_id', '=', regionId);
  return {
    async insert(k: Omit<CaasKey, 'id' | 'lastUsedAt' | 'rotatingUntil' | 'rateLimit'> & { secretHash: string; rateLimit?: RateLimit | null }): Promise<CaasKey> {
      try {
        const row = await db
          .insertInto('caas_keys')
          .values({
            project_id: k.projectId,
            region_id: k.regionId,
            name: k.name,
            description: k.description,
            containers: JSON.stringify(k.containers),
            expire: k.expire,
            is_disabled: k.isDisabled ? 1 : 0,
            source: k.source,
            secret_hash: k.secretHash,
            secret_start: k.secretStart,
            created_at: k.createdAt,
            rate_limit: k.rateLimit?.limit ?? null,
            rate_window_s: k.rateLimit?.windowSeconds ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toKey(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', `API key ${k.name} already exists`);
        throw err;
      }
    },
    /** One page in creation order, plus the namespace's total. */
    async page(projectId: number, regionId: number, limit: number, offset: number): Promise<{ count: number; results: CaasKey[] }> {
      const total = await ns(projectId, regionId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      // Any offset past MAX_SAFE_INTEGER is past the end anyway; the cap keeps it a valid 64-bit OFFSET.
      const rows = await ns(projectId, regionId).selectAll().orderBy('id').limit(limit).offset(Math.min(offset, Number.MAX_SAFE_INTEGER)).execute();
      return { count: Number(total?.n ?? 0), results: rows.map(toKey) };
    },
    /** Every key of a team's projects, optionally of one project and/or region, in id order. */
    async listForTeam(teamId: number, filter: { projectId?: number; regionId?: number } = {}): Promise<CaasKey[]> {
      let q = db.selectFrom('caas_keys').innerJoin('projects', 'projects.id', 'caas_keys.project_id').selectAll('caas_keys').where('projects.team_id', '=', teamId);
      if (filter.projectId !== undefined) q = q.where('caas_keys.project_id', '=', filter.projectId);
      if (filter.regionId !== undefined) q = q.where('caas_keys.region_id', '=', filter.regionId);
      return (await q.orderBy('caas_keys.id').execute()).map(toKey);
    },
    /**
     * A page of a team's keys in id order, after `afterId`: optionally of one project or region, of one
     * status at `now`, or whose name or description contains `text` (any case). Returns `limit + 1`
     * rows at most, so the caller knows whether another page follows.
     */
    async search(teamId: number, f: KeyFilter & { afterId?: number; limit: number }): Promise<CaasKey[]> {
      let q = teamKeys(teamId, f).selectAll('caas_keys');
      if (f.afterId !== undefined) q = q.where('caas_keys.id', '>', f.afterId);
      return (await q.orderBy('caas_keys.id').limit(f.limit + 1).execute()).map(toKey);
    },
    /** How many of a team's keys match the filter. */
    async count(teamId: number, f: KeyFilter): Promise<number> {
      const r = await teamKeys(teamId, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    /** The project, region and name of those of these keys the team owns (usage's top keys). */
    async namesOf(teamId: number, ids: readonly number[]): Promise<Array<{ id: number; projectId: number; regionId: number; name: string }>> {
      if (ids.length === 0) return [];
      const rows = await teamKeys(teamId, { now: 0 })
        .select(['caas_keys.id', 'caas_keys.project_id', 'caas_keys.region_id', 'caas_keys.name'])
        .where('caas_keys.id', 'in', [...ids])
        .execute();
      return rows.map((r) => ({ id: r.id, projectId: r.project_id, regionId: r.region_id, name: r.name }));
    },
    async findByName(projectId: number, regionId: number, name: string): Promise<CaasKey | undefined> {
      const row = await ns(projectId, regionId).selectAll().where('name', '=', name).executeTakeFirst();
      return row && toKey(row);
    },
    /**
     * The key whose secret (current, or previous during a grace period) has this SHA-256 digest, with
     * its team: verification's path on a cache miss, compiled once. Compare `secretHash` to tell which.
     */
    async findByDigest(digest: string): Promise<(KeyWithDigest & { teamId: number }) | undefined> {
      const { rows } = await db.executeQuery<Row & { team_id: number }>({ ...byDigest, parameters: [digest, digest] });
      return rows[0] && { ...withDigest(rows[0]), teamId: rows[0].team_id };
    },
    /**
     * Writes only the given fields and returns the row as it now stands (other writers' fields included),
     * with its digest; undefined when the key no longer exists.
     */
    async update(id: number, c: CaasKeyChanges): Promise<KeyWithDigest | undefined> {
      const set: Partial<Row> = {};
      if (c.description !== undefined) set.description = c.description;
      if (c.containers !== undefined) set.containers = JSON.stringify(c.containers);
      if (c.expire !== undefined) set.expire = c.expire;
      if (c.isDisabled !== undefined) set.is_disabled = c.isDisabled ? 1 : 0;
      if (c.rateLimit !== undefined) {
        set.rate_limit = c.rateLimit?.limit ?? null;
        set.rate_window_s = c.rateLimit?.windowSeconds ?? null;
      }
      if (Object.keys(set).length === 0) throw new Error('caasKeys.update needs at least one change');
      const row = await db.updateTable('caas_keys').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return row && withDigest(row);
    },
    /** Records use of these keys at `at`, in one statement; keys deleted meanwhile are simply skipped. */
    async touch(ids: number[], at: number): Promise<void> {
      if (ids.length === 0) return;
      await db.updateTable('caas_keys').set({ last_used_at: at }).where('id', 'in', ids).execute();
    },
    /** Deletes the key; the digests it answered to, or undefined when it was already gone. */
    async delete(id: number): Promise<string[] | undefined> {
      const row = await db.deleteFrom('caas_keys').where('id', '=', id).returning(['secret_hash', 'old_secret_hash']).executeTakeFirst();
      return row && digestsOf({ secretHash: row.secret_hash, oldSecretHash: row.old_secret_hash });
    },
    /**
     * Replaces the secret; the one it replaces stays valid until `graceUntil` (null: not at all), and
     * one kept from an earlier reroll ends now. Run in a transaction: the row is locked while it is
     * read (PostgreSQL), so concurrent rerolls each keep the secret the other replaced, never a stale one.
     */
    async reroll(id: number, next: { secretHash: string; secretStart: string; graceUntil: number | null }): Promise<{ before: KeyWithDigest; after: KeyWithDigest } | undefined> {
      let q = db.selectFrom('caas_keys').selectAll().where('id', '=', id);
      if (dialectOf(db) === 'postgres') q = q.forUpdate();
      const before = await q.executeTakeFirst();
      if (!before) return undefined;
      const row = await db
        .updateTable('caas_keys')
        .set({
          secret_hash: next.secretHash,
          secret_start: next.secretStart,
          old_secret_hash: next.graceUntil === null ? null : before.secret_hash,
          old_secret_until: next.graceUntil,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { before: withDigest(before), after: withDigest(row) };
    },
    /**
     * Keys (with their team) that expire in `[from, to)` and are not disabled, in id order after
     * `afterId`: the expiry scheduler's candidates, a page at a time.
     */
    async expiringBetween(from: number, to: number, limit: number, afterId = 0): Promise<Array<CaasKey & { teamId: number }>> {
      const rows = await db
        .selectFrom('caas_keys')
        .innerJoin('projects', 'projects.id', 'caas_keys.project_id')
        .selectAll('caas_keys')
        .select('projects.team_id')
        .where('caas_keys.expire', '>=', from)
        .where('caas_keys.expire', '<', to)
        .where('caas_keys.is_disabled', '=', 0)
        .where('caas_keys.id', '>', afterId)
        .orderBy('caas_keys.id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...toKey(r), teamId: r.team_id }));
    },
  };
}
export type CaasKeysRepository = ReturnType<typeof caasKeysRepository>;
