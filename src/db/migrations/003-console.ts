import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';
import { types, withId } from './001-initial.js';

/** Console sign-in: sessions (a cookie standing for a token) and the one-time first-run setup code. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await withId(db.schema.createTable('sessions'), dialect)
    .addColumn('token_id', 'integer', (c) => c.notNull().references('api_tokens.id').onDelete('cascade'))
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addColumn('last_seen_at', t.big, (c) => c.notNull())
    .addColumn('expires_at', t.big, (c) => c.notNull())
    .addColumn('revoked_at', t.big)
    .execute();
  await db.schema.createIndex('sessions_token').on('sessions').column('token_id').execute();
  await withId(db.schema.createTable('setup_codes'), dialect)
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addColumn('expires_at', t.big, (c) => c.notNull())
    .addColumn('used_at', t.big)
    .execute();
  // The native API lists a team's keys across projects, newest or by id, filtered by status and text.
  await db.schema.createIndex('caas_keys_project').on('caas_keys').columns(['project_id', 'id']).execute();
}
