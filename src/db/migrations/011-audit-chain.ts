import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';
import { types } from './001-initial.js';

/**
 * A tamper-evident audit trail (services/audit-chain.ts). Each entry carries its position in its
 * team's chain (`seq`), the version of the data key its MAC was made with, and the MAC, which
 * covers the previous entry's MAC and this entry's stored fields. One head row per team (team 0:
 * entries of no team) holds the chain's end, MACed too, so removing the newest entries shows; every
 * append locks it, so a team's chain never forks. A prune point records where the retained chain
 * starts (the last pruned entry's position and MAC), MACed as well. Rows written before this
 * migration get their MACs on their team's next write.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema.alterTable('audit_events').addColumn('seq', 'integer').execute();
  await db.schema.alterTable('audit_events').addColumn('mac', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('key_version', 'integer').execute();
  await db.schema
    .createTable('audit_chain_heads')
    .addColumn('team_id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .addColumn('last_id', 'integer', (c) => c.notNull())
    .addColumn('key_version', 'integer', (c) => c.notNull())
    .addColumn('head_mac', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.big, (c) => c.notNull())
    .execute();
  await db.schema.alterTable('audit_prune_points').addColumn('last_pruned_seq', 'integer').execute();
  await db.schema.alterTable('audit_prune_points').addColumn('last_pruned_mac', 'text').execute();
  await db.schema.alterTable('audit_prune_points').addColumn('key_version', 'integer').execute();
  await db.schema.alterTable('audit_prune_points').addColumn('point_mac', 'text').execute();
}
