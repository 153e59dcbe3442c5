import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

type AnyDb = Kysely<any>;

/** Column types that differ between the two databases; everything else is written once. */
export function types(dialect: Dialect) {
  return dialect === 'postgres'
    ? ({ big: 'bigint', bytes: 'bytea', idType: 'serial' } as const)
    : ({ big: 'integer', bytes: 'blob', idType: 'integer' } as const);
}

/** An auto-incrementing integer primary key on either database. */
export function withId<T extends string>(tb: CreateTableBuilder<T, never>, dialect: Dialect) {
  return dialect === 'postgres'
    ? tb.addColumn('id', 'serial', (c) => c.primaryKey())
    : tb.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema
    .createTable('keyhold_meta')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('data_keys')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('wrapped', t.bytes, (c) => c.notNull())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .execute();
  await withId(db.schema.createTable('teams'), dialect)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .execute();
  await withId(db.schema.createTable('api_tokens'), dialect)
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('abilities', 'text', (c) => c.notNull())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addColumn('expires_at', t.big)
    .addColumn('revoked_at', t.big)
    .addColumn('last_used_at', t.big)
    .execute();
  await db.schema.createIndex('api_tokens_team').on('api_tokens').column('team_id').execute();
  await withId(db.schema.createTable('private_keys'), dialect)
    .addColumn('uuid', 'text', (c) => c.notNull().unique())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('fingerprint', 'text')
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('key_version', 'integer', (c) => c.notNull().references('data_keys.version'))
    .addColumn('ciphertext', t.bytes, (c) => c.notNull())
    .addColumn('is_git_related', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addColumn('updated_at', t.big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('private_keys_team_fingerprint')
    .on('private_keys')
    .columns(['team_id', 'fingerprint'])
    .unique()
    .execute();
  await db.schema.createIndex('private_keys_key_version').on('private_keys').column('key_version').execute();
  await withId(db.schema.createTable('audit_events'), dialect)
    .addColumn('team_id', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('token_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('changed', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('created_at', t.big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_team_time').on('audit_events').columns(['team_id', 'created_at']).execute();
}
