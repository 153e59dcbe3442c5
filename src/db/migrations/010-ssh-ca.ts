import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';
import { types, withId } from './001-initial.js';

/**
 * keyhold as an SSH certificate authority. A CA is a stored private key (generated, or an existing
 * one) named per team; a role is what a certificate may say (principal patterns, TTLs, extensions,
 * critical options); every certificate issued is kept (the inventory: no private key, keyhold never
 * sees the user's), and its id is its serial, unique across every CA and never reused (SQLite's
 * AUTOINCREMENT, PostgreSQL's sequence). Revocations by key id or public key are per CA; a serial
 * is revoked on the certificate itself. `krl_version` counts the CA's revocations, for its KRL.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await withId(db.schema.createTable('ssh_cas'), dialect)
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('private_key_id', 'integer', (c) => c.notNull().references('private_keys.id'))
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('krl_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addUniqueConstraint('ssh_cas_team_name', ['team_id', 'name'])
    .execute();
  await withId(db.schema.createTable('ssh_roles'), dialect)
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('ca_id', 'integer', (c) => c.notNull().references('ssh_cas.id').onDelete('cascade'))
    .addColumn('principals', 'text', (c) => c.notNull())
    .addColumn('max_ttl_s', 'integer', (c) => c.notNull())
    .addColumn('default_ttl_s', 'integer', (c) => c.notNull())
    .addColumn('extensions', 'text')
    .addColumn('critical_options', 'text', (c) => c.notNull())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addColumn('updated_at', t.big, (c) => c.notNull())
    .addUniqueConstraint('ssh_roles_team_name', ['team_id', 'name'])
    .execute();
  await withId(db.schema.createTable('ssh_certificates'), dialect)
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('ca_id', 'integer', (c) => c.notNull().references('ssh_cas.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('principals', 'text', (c) => c.notNull())
    .addColumn('valid_after', t.big, (c) => c.notNull())
    .addColumn('valid_before', t.big, (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('public_key_fingerprint', 'text', (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('token_id', 'integer')
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addColumn('revoked_at', t.big)
    .addColumn('revoked_by', 'text')
    .execute();
  await db.schema.createIndex('ssh_certificates_team').on('ssh_certificates').columns(['team_id', 'id']).execute();
  await db.schema.createIndex('ssh_certificates_ca_valid').on('ssh_certificates').columns(['ca_id', 'valid_before']).execute();
  // The inventory's filter by principal, one row per principal of each certificate.
  await db.schema
    .createTable('ssh_certificate_principals')
    .addColumn('certificate_id', 'integer', (c) => c.notNull().references('ssh_certificates.id').onDelete('cascade'))
    .addColumn('principal', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ssh_certificate_principals_pk', ['certificate_id', 'principal'])
    .execute();
  await db.schema.createIndex('ssh_certificate_principals_name').on('ssh_certificate_principals').columns(['principal', 'certificate_id']).execute();
  await withId(db.schema.createTable('ssh_revocations'), dialect)
    .addColumn('ca_id', 'integer', (c) => c.notNull().references('ssh_cas.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('revoked_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addUniqueConstraint('ssh_revocations_once', ['ca_id', 'kind', 'value'])
    .execute();
}
