import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../domain/errors.js';
import type { CaasKey, Container } from '../domain/types.js';

type Row = Selectable<Database['caas_keys']>;
type KeyWithDigest = CaasKey & { secretHash: string };

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
});

const withDigest = (r: Row): KeyWithDigest => ({ ...toKey(r), secretHash: r.secret_hash });

export type CaasKeyChanges = Partial<Pick<CaasKey, 'description' | 'containers' | 'expire' | 'isDisabled'>>;

export function caasKeysRepository(db: Kysely<Database>) {
  const byDigest = db.selectFrom('caas_keys').selectAll().where('secret_hash', '=', '').compile();
  const ns = (projectId: number, regionId: number) =>
    db.selectFrom('caas_keys').where('project_id', '=', projectId).where('region_id', '=', regionId);
  return {
    async insert(k: Omit<CaasKey, 'id' | 'lastUsedAt'> & { secretHash: string }): Promise<CaasKey> {
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
    async findByName(projectId: number, regionId: number, name: string): Promise<CaasKey | undefined> {
      const row = await ns(projectId, regionId).selectAll().where('name', '=', name).executeTakeFirst();
      return row && toKey(row);
    },
    /** The key whose secret has this SHA-256 digest: verification's path on a cache miss, compiled once. */
    async findByDigest(digest: string): Promise<KeyWithDigest | undefined> {
      const { rows } = await db.executeQuery<Row>({ ...byDigest, parameters: [digest] });
      return rows[0] && withDigest(rows[0]);
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
      if (Object.keys(set).length === 0) throw new Error('caasKeys.update needs at least one change');
      const row = await db.updateTable('caas_keys').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return row && withDigest(row);
    },
    /** Records use of these keys at `at`, in one statement; keys deleted meanwhile are simply skipped. */
    async touch(ids: number[], at: number): Promise<void> {
      if (ids.length === 0) return;
      await db.updateTable('caas_keys').set({ last_used_at: at }).where('id', 'in', ids).execute();
    },
    /** Deletes the key; its digest, or undefined when it was already gone. */
    async delete(id: number): Promise<string | undefined> {
      return (await db.deleteFrom('caas_keys').where('id', '=', id).returning('secret_hash').executeTakeFirst())?.secret_hash;
    },
  };
}
export type CaasKeysRepository = ReturnType<typeof caasKeysRepository>;
