import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';
import { types, withId } from './001-initial.js';

/**
 * Persisted verification usage (services/usage-counter.ts, services/usage.ts). Counts per team, key,
 * period and outcome code: `usage_minutes` for the recent past, `usage_hours` for what the pruner rolled
 * up. `key_id` 0 is "no key" (refusals of unknown or malformed keys, counted team-wide) and `team_id` 0
 * "no team" (such refusals through forward-auth or `verify:all`): zeros rather than NULLs, because a
 * unique index treats NULLs as distinct and the flush upserts on it. `id` lets the rollup take batches.
 * `key_refusals` is each key's recent refusals, trimmed to a bound per key on every flush.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  for (const [table, period] of [['usage_minutes', 'minute'], ['usage_hours', 'hour']] as const) {
    await withId(db.schema.createTable(table), dialect)
      .addColumn('team_id', 'integer', (c) => c.notNull())
      .addColumn('key_id', 'integer', (c) => c.notNull())
      .addColumn(period, t.big, (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('count', t.big, (c) => c.notNull())
      .execute();
    await db.schema.createIndex(`${table}_key`).on(table).columns(['team_id', 'key_id', period, 'code']).unique().execute();
    // The team's series and top keys read a period range of all its keys; rollup and retention, the oldest periods.
    await db.schema.createIndex(`${table}_team`).on(table).columns(['team_id', period]).execute();
    await db.schema.createIndex(`${table}_${period}`).on(table).column(period).execute();
  }
  await withId(db.schema.createTable('key_refusals'), dialect)
    .addColumn('team_id', 'integer', (c) => c.notNull())
    .addColumn('key_id', 'integer', (c) => c.notNull())
    .addColumn('at', t.big, (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('container', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('key_refusals_key').on('key_refusals').columns(['key_id', 'id']).execute();
}
