import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';
import { types } from './001-initial.js';

/**
 * Fair webhook scheduling (services/webhook-worker.ts): each endpoint's own backoff, and the indexes
 * the lease asks with. The lease takes the oldest due deliveries of each endpoint (a range of
 * (webhook_id, status, next_attempt_at)), and counts each endpoint's attempts in flight from the
 * rows a process holds a lease on: a partial index keeps that count to the few leased rows however
 * long the backlog.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  // Failed attempts in a row (any delivery); a success sets it back to 0.
  await db.schema.alterTable('webhooks').addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // While in the future, none of the endpoint's deliveries is leased.
  await db.schema.alterTable('webhooks').addColumn('backoff_until', t.big).execute();
  await db.schema.createIndex('webhook_deliveries_endpoint_due').on('webhook_deliveries').columns(['webhook_id', 'status', 'next_attempt_at']).execute();
  await db.schema
    .createIndex('webhook_deliveries_leased')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'lease_until'])
    .where(sql.ref('lease_owner'), 'is not', null)
    .execute();
}
