import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';
import { types, withId } from './001-initial.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema
    .createTable('regions')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .execute();
  // A fresh install has region 1, so the spec's examples (…/keys/1/1) work once a project exists.
  await db.insertInto('regions').values({ id: 1, name: 'default', created_at: Date.now() }).execute();
  await db.schema
    .createTable('projects')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_team').on('projects').column('team_id').execute();
  await withId(db.schema.createTable('caas_keys'), dialect)
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('region_id', 'integer', (c) => c.notNull().references('regions.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('containers', 'text', (c) => c.notNull())
    .addColumn('expire', t.big)
    .addColumn('is_disabled', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('secret_start', 'text', (c) => c.notNull())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addColumn('last_used_at', t.big)
    .execute();
  await db.schema.createIndex('caas_keys_namespace_name').on('caas_keys').columns(['project_id', 'region_id', 'name']).unique().execute();
}
