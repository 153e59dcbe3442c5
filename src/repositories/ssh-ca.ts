import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../domain/errors.js';
import type { CaType, CriticalOptions, SshCa, SshCertificate, SshRevocation, SshRole } from '../domain/ssh-ca.js';

type CaRow = Selectable<Database['ssh_cas']> & { private_key_uuid: string };
type RoleRow = Selectable<Database['ssh_roles']>;
type CertRow = Selectable<Database['ssh_certificates']>;

const toCa = (r: CaRow): SshCa => ({
  id: r.id,
  teamId: r.team_id,
  name: r.name,
  type: r.type as CaType,
  privateKeyId: r.private_key_id,
  privateKeyUuid: r.private_key_uuid,
  publicKey: r.public_key,
  fingerprint: r.fingerprint,
  krlVersion: r.krl_version,
  createdAt: r.created_at,
});

const toRole = (r: RoleRow): SshRole => ({
  id: r.id,
  teamId: r.team_id,
  name: r.name,
  caId: r.ca_id,
  principals: JSON.parse(r.principals) as string[],
  maxTtlMs: r.max_ttl_s * 1000,
  defaultTtlMs: r.default_ttl_s * 1000,
  extensions: r.extensions === null ? null : (JSON.parse(r.extensions) as string[]),
  criticalOptions: JSON.parse(r.critical_options) as CriticalOptions,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toCert = (r: CertRow): SshCertificate => ({
  serial: r.id,
  teamId: r.team_id,
  caId: r.ca_id,
  role: r.role,
  type: r.type as CaType,
  keyId: r.key_id,
  principals: JSON.parse(r.principals) as string[],
  validAfter: r.valid_after,
  validBefore: r.valid_before,
  publicKey: r.public_key,
  publicKeyFingerprint: r.public_key_fingerprint,
  certificate: r.certificate,
  requestedBy: r.requested_by,
  tokenId: r.token_id,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
});

export type NewRole = Omit<SshRole, 'id'>;
export type RoleChanges = Partial<Pick<SshRole, 'principals' | 'maxTtlMs' | 'defaultTtlMs' | 'extensions' | 'criticalOptions' | 'updatedAt'>>;

/** What the inventory is filtered by; `activeAt` (epoch s) keeps unrevoked certificates valid then. */
export interface CertificateFilter {
  caId?: number;
  principal?: string;
  keyId?: string;
  activeAt?: number;
  expiredAt?: number;
  beforeSerial?: number;
  limit: number;
}

const conflict = (what: string) => (err: unknown): never => {
  if (isUniqueViolation(err)) throw new AppError('conflict', what);
  throw err;
};

/** CAs, roles, the certificate inventory and revocations. */
export function sshCaRepository(db: Kysely<Database>) {
  /** CAs with the uuid of the key that signs for each. */
  const cas = () => db.selectFrom('ssh_cas').innerJoin('private_keys', 'private_keys.id', 'ssh_cas.private_key_id').selectAll('ssh_cas').select('private_keys.uuid as private_key_uuid');
  return {
    async insertCa(c: Omit<SshCa, 'id' | 'krlVersion' | 'privateKeyUuid'>): Promise<number> {
      const row = await db
        .insertInto('ssh_cas')
        .values({ team_id: c.teamId, name: c.name, type: c.type, private_key_id: c.privateKeyId, public_key: c.publicKey, fingerprint: c.fingerprint, created_at: c.createdAt })
        .returning('id')
        .executeTakeFirstOrThrow()
        .catch(conflict(`the team already has a CA named ${c.name}`));
      return row.id;
    },
    async listCas(teamId: number): Promise<SshCa[]> {
      return (await cas().where('ssh_cas.team_id', '=', teamId).orderBy('ssh_cas.id').execute()).map(toCa);
    },
    async findCa(teamId: number, name: string): Promise<SshCa | undefined> {
      const row = await cas().where('ssh_cas.team_id', '=', teamId).where('ssh_cas.name', '=', name).executeTakeFirst();
      return row && toCa(row);
    },
    async findCaById(id: number): Promise<SshCa | undefined> {
      const row = await cas().where('ssh_cas.id', '=', id).executeTakeFirst();
      return row && toCa(row);
    },
    /** Is this private key a CA's? (A CA's key cannot be deleted while it is one.) */
    async caUsingKey(privateKeyId: number): Promise<string | undefined> {
      return (await db.selectFrom('ssh_cas').select('name').where('private_key_id', '=', privateKeyId).executeTakeFirst())?.name;
    },
    async deleteCa(id: number): Promise<void> {
      await db.deleteFrom('ssh_cas').where('id', '=', id).execute();
    },
    /** Bumps the CA's KRL version (every revocation does). */
    async bumpKrl(caId: number): Promise<void> {
      await db
        .updateTable('ssh_cas')
        .set((eb) => ({ krl_version: eb('krl_version', '+', 1) }))
        .where('id', '=', caId)
        .execute();
    },

    async insertRole(r: NewRole): Promise<SshRole> {
      const row = await db
        .insertInto('ssh_roles')
        .values({
          team_id: r.teamId,
          name: r.name,
          ca_id: r.caId,
          principals: JSON.stringify(r.principals),
          max_ttl_s: r.maxTtlMs / 1000,
          default_ttl_s: r.defaultTtlMs / 1000,
          extensions: r.extensions === null ? null : JSON.stringify(r.extensions),
          critical_options: JSON.stringify(r.criticalOptions),
          created_at: r.createdAt,
          updated_at: r.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(conflict(`the team already has a role named ${r.name}`));
      return toRole(row);
    },
    async listRoles(teamId: number): Promise<SshRole[]> {
      return (await db.selectFrom('ssh_roles').selectAll().where('team_id', '=', teamId).orderBy('id').execute()).map(toRole);
    },
    async findRole(teamId: number, name: string): Promise<SshRole | undefined> {
      const row = await db.selectFrom('ssh_roles').selectAll().where('team_id', '=', teamId).where('name', '=', name).executeTakeFirst();
      return row && toRole(row);
    },
    async updateRole(id: number, c: RoleChanges): Promise<void> {
      const set: Partial<RoleRow> = {};
      if (c.principals !== undefined) set.principals = JSON.stringify(c.principals);
      if (c.maxTtlMs !== undefined) set.max_ttl_s = c.maxTtlMs / 1000;
      if (c.defaultTtlMs !== undefined) set.default_ttl_s = c.defaultTtlMs / 1000;
      if (c.extensions !== undefined) set.extensions = c.extensions === null ? null : JSON.stringify(c.extensions);
      if (c.criticalOptions !== undefined) set.critical_options = JSON.stringify(c.criticalOptions);
      if (c.updatedAt !== undefined) set.updated_at = c.updatedAt;
      await db.updateTable('ssh_roles').set(set).where('id', '=', id).execute();
    },
    async deleteRole(id: number): Promise<void> {
      await db.deleteFrom('ssh_roles').where('id', '=', id).execute();
    },

    /** Reserves the next serial: the row is written with its certificate by `completeCertificate` in the same transaction. */
    async insertCertificate(c: Omit<SshCertificate, 'serial' | 'certificate' | 'revokedAt' | 'revokedBy'>): Promise<number> {
      const row = await db
        .insertInto('ssh_certificates')
        .values({
          team_id: c.teamId,
          ca_id: c.caId,
          role: c.role,
          type: c.type,
          key_id: c.keyId,
          principals: JSON.stringify(c.principals),
          valid_after: c.validAfter,
          valid_before: c.validBefore,
          public_key: c.publicKey,
          public_key_fingerprint: c.publicKeyFingerprint,
          certificate: '',
          requested_by: c.requestedBy,
          token_id: c.tokenId,
          created_at: c.createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const principals = [...new Set(c.principals)];
      if (principals.length) await db.insertInto('ssh_certificate_principals').values(principals.map((principal) => ({ certificate_id: row.id, principal }))).execute();
      return row.id;
    },
    async completeCertificate(serial: number, keyId: string, certificate: string): Promise<void> {
      await db.updateTable('ssh_certificates').set({ certificate, key_id: keyId }).where('id', '=', serial).execute();
    },
    async findCertificate(teamId: number, serial: number): Promise<SshCertificate | undefined> {
      const row = await db.selectFrom('ssh_certificates').selectAll().where('team_id', '=', teamId).where('id', '=', serial).executeTakeFirst();
      return row && toCert(row);
    },
    /** The team's certificates, newest first (by serial). */
    async listCertificates(teamId: number, f: CertificateFilter): Promise<SshCertificate[]> {
      let q = db.selectFrom('ssh_certificates').selectAll().where('team_id', '=', teamId).orderBy('id', 'desc').limit(f.limit);
      if (f.caId !== undefined) q = q.where('ca_id', '=', f.caId);
      if (f.keyId !== undefined) q = q.where('key_id', '=', f.keyId);
      if (f.principal !== undefined) {
        const principal = f.principal;
        q = q.where('id', 'in', (eb) => eb.selectFrom('ssh_certificate_principals').select('certificate_id').where('principal', '=', principal));
      }
      if (f.activeAt !== undefined) q = q.where('revoked_at', 'is', null).where('valid_before', '>', f.activeAt).where('valid_after', '<=', f.activeAt);
      if (f.expiredAt !== undefined) q = q.where((eb) => eb.or([eb('revoked_at', 'is not', null), eb('valid_before', '<=', f.expiredAt!)]));
      if (f.beforeSerial !== undefined) q = q.where('id', '<', f.beforeSerial);
      return (await q.execute()).map(toCert);
    },
    /** Does the CA have a certificate still valid at `now` (epoch s)? */
    async hasUnexpired(caId: number, now: number): Promise<boolean> {
      return (await db.selectFrom('ssh_certificates').select('id').where('ca_id', '=', caId).where('valid_before', '>', now).limit(1).executeTakeFirst()) !== undefined;
    },
    /** Marks a certificate revoked; false when it already was. */
    async revokeCertificate(serial: number, at: number, by: string): Promise<boolean> {
      const res = await db.updateTable('ssh_certificates').set({ revoked_at: at, revoked_by: by }).where('id', '=', serial).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /** Serials of the CA's revoked certificates that have not expired yet (an expired one needs no KRL entry). */
    async revokedSerials(caId: number, now: number): Promise<number[]> {
      const rows = await db.selectFrom('ssh_certificates').select('id').where('ca_id', '=', caId).where('revoked_at', 'is not', null).where('valid_before', '>', now).orderBy('id').execute();
      return rows.map((r) => r.id);
    },

    /** Records a revocation by key id or public key; false when the CA already had it. */
    async insertRevocation(r: Omit<SshRevocation, 'id'>): Promise<boolean> {
      try {
        await db.insertInto('ssh_revocations').values({ ca_id: r.caId, kind: r.kind, value: r.value, revoked_by: r.revokedBy, created_at: r.createdAt }).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async listRevocations(caId: number): Promise<SshRevocation[]> {
      const rows = await db.selectFrom('ssh_revocations').selectAll().where('ca_id', '=', caId).orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, caId: r.ca_id, kind: r.kind as SshRevocation['kind'], value: r.value, revokedBy: r.revoked_by, createdAt: r.created_at }));
    },
  };
}
export type SshCaRepository = ReturnType<typeof sshCaRepository>;
