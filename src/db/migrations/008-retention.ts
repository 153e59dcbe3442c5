import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';
import { types } from './001-initial.js';

/**
 * Retention (services/pruner.ts). The pruner asks each table for its oldest rows past a cutoff:
 * events and deliveries by `created_at` (without an index each pass would scan the whole table to
 * find that nothing is old enough). An event is deleted only when no delivery refers to it, and
 * deleting one makes the database check webhook_deliveries.event_id: that lookup needs an index too
 * (none existed; SQLite would scan every delivery per event deleted). The audit trail is pruned per
 * team in id order through the existing (team_id, id) index, and `audit_prune_points` keeps, per
 * team, the highest id pruned: where the team's retained trail starts (team_id 0: entries of no team).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema.createIndex('events_created').on('events').column('created_at').execute();
  await db.schema.createIndex('webhook_deliveries_created').on('webhook_deliveries').column('created_at').execute();
  await db.schema.createIndex('webhook_deliveries_event').on('webhook_deliveries').column('event_id').execute();
  await db.schema
    .createTable('audit_prune_points')
    .addColumn('team_id', 'integer', (c) => c.primaryKey())
    .addColumn('last_pruned_id', 'integer', (c) => c.notNull())
    .addColumn('pruned_at', t.big, (c) => c.notNull())
    .execute();
}
