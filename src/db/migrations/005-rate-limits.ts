import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/** Per-key rate limits: at most `rate_limit` admissions per `rate_window_s` seconds (both null: none). */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('caas_keys').addColumn('rate_limit', 'integer').execute();
  await db.schema.alterTable('caas_keys').addColumn('rate_window_s', 'integer').execute();
}
