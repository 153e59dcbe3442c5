import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../domain/errors.js';
import type { SigningPolicy } from '../domain/signing-policy.js';
import type { PrivateKeyRecord } from '../domain/types.js';

type Row = Selectable<Database['private_keys']>;

/** A record plus the sealed key text, exactly as stored. */
export interface SealedPrivateKey extends PrivateKeyRecord {
  keyVersion: number;
  ciphertext: Buffer;
}

const toRecord = (r: Row): SealedPrivateKey => ({
  id: r.id,
  uuid: r.uuid,
  teamId: r.team_id,
  name: r.name,
  description: r.description,
  fingerprint: r.fingerprint,
  publicKey: r.public_key,
  isGitRelated: r.is_git_related === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  signing: r.signing_policy === null ? null : (JSON.parse(r.signing_policy) as SigningPolicy),
  keyVersion: r.key_version,
  ciphertext: Buffer.from(r.ciphertext),
});

export type NewPrivateKey = Omit<SealedPrivateKey, 'id' | 'signing'> & { signing?: SigningPolicy | null };
export type PrivateKeyChanges = Partial<Pick<SealedPrivateKey, 'name' | 'description' | 'fingerprint' | 'publicKey' | 'keyVersion' | 'ciphertext' | 'updatedAt' | 'signing'>>;

function conflictOnDuplicate(err: unknown): never {
  if (isUniqueViolation(err)) throw new AppError('conflict', 'Private key already exists.');
  throw err;
}

export function privateKeysRepository(db: Kysely<Database>) {
  return {
    async list(teamId: number): Promise<SealedPrivateKey[]> {
      return (await db.selectFrom('private_keys').selectAll().where('team_id', '=', teamId).orderBy('id').execute()).map(toRecord);
    },
    async findByUuid(teamId: number, uuid: string): Promise<SealedPrivateKey | undefined> {
      const row = await db.selectFrom('private_keys').selectAll().where('team_id', '=', teamId).where('uuid', '=', uuid).executeTakeFirst();
      return row && toRecord(row);
    },
    async findById(id: number): Promise<SealedPrivateKey | undefined> {
      const row = await db.selectFrom('private_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    /** The team's other key with this fingerprint, if any (its name and uuid). */
    async withFingerprint(teamId: number, fingerprint: string, exceptId?: number): Promise<{ name: string; uuid: string } | undefined> {
      let q = db.selectFrom('private_keys').select(['name', 'uuid']).where('team_id', '=', teamId).where('fingerprint', '=', fingerprint);
      if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
      return q.executeTakeFirst();
    },
    async insert(k: NewPrivateKey): Promise<SealedPrivateKey> {
      try {
        const row = await db
          .insertInto('private_keys')
          .values({
            uuid: k.uuid,
            team_id: k.teamId,
            name: k.name,
            description: k.description,
            fingerprint: k.fingerprint,
            public_key: k.publicKey,
            key_version: k.keyVersion,
            ciphertext: k.ciphertext,
            is_git_related: k.isGitRelated ? 1 : 0,
            created_at: k.createdAt,
            updated_at: k.updatedAt,
            signing_policy: k.signing ? JSON.stringify(k.signing) : null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toRecord(row);
      } catch (err) {
        return conflictOnDuplicate(err);
      }
    },
    async update(id: number, c: PrivateKeyChanges): Promise<void> {
      const set: Partial<Row> = {};
      if (c.name !== undefined) set.name = c.name;
      if (c.description !== undefined) set.description = c.description;
      if (c.fingerprint !== undefined) set.fingerprint = c.fingerprint;
      if (c.publicKey !== undefined) set.public_key = c.publicKey;
      if (c.keyVersion !== undefined) set.key_version = c.keyVersion;
      if (c.ciphertext !== undefined) set.ciphertext = c.ciphertext;
      if (c.updatedAt !== undefined) set.updated_at = c.updatedAt;
      if (c.signing !== undefined) set.signing_policy = c.signing === null ? null : JSON.stringify(c.signing);
      if (Object.keys(set).length === 0) return;
      try {
        await db.updateTable('private_keys').set(set).where('id', '=', id).execute();
      } catch (err) {
        conflictOnDuplicate(err);
      }
    },
    async delete(id: number): Promise<boolean> {
      const res = await db.deleteFrom('private_keys').where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    /** How many keys each data-key version protects. */
    async countByVersion(): Promise<Map<number, number>> {
      const rows = await db.selectFrom('private_keys').select(['key_version', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('key_version').execute();
      return new Map(rows.map((r) => [r.key_version, Number(r.n)]));
    },
    /** Keys sealed under a version older than `version`, in id order after `afterId`. */
    async listBelowVersion(version: number, afterId: number, limit: number): Promise<SealedPrivateKey[]> {
      const rows = await db
        .selectFrom('private_keys')
        .selectAll()
        .where('key_version', '<', version)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
    /**
     * Replaces a ciphertext only if the row still holds exactly the one that was read (compare-and-set),
     * so a write that landed in between is never overwritten with older key text.
     */
    async reseal(id: number, from: { keyVersion: number; ciphertext: Buffer }, to: { keyVersion: number; ciphertext: Buffer }): Promise<boolean> {
      const res = await db
        .updateTable('private_keys')
        .set({ key_version: to.keyVersion, ciphertext: to.ciphertext })
        .where('id', '=', id)
        .where('key_version', '=', from.keyVersion)
        .where('ciphertext', '=', from.ciphertext)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /** Every stored ciphertext, for integrity checks and re-encryption. */
    async listSealed(afterId: number, limit: number): Promise<SealedPrivateKey[]> {
      return (await db.selectFrom('private_keys').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute()).map(toRecord);
    },
  };
}
export type PrivateKeysRepository = ReturnType<typeof privateKeysRepository>;
