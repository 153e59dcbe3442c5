import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';
import { types, withId } from './001-initial.js';

/**
 * Key lifecycle: a rerolled key's previous secret during its grace period, the event outbox, webhook
 * endpoints and their deliveries, and the expiry notices already sent (one per key, kind and expiry).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema.alterTable('caas_keys').addColumn('old_secret_hash', 'text').execute();
  await db.schema.alterTable('caas_keys').addColumn('old_secret_until', t.big).execute();
  // Verification looks a digest up in either column; NULLs do not collide in a unique index.
  await db.schema.createIndex('caas_keys_old_secret_hash').on('caas_keys').column('old_secret_hash').unique().execute();
  await db.schema.createIndex('caas_keys_expire').on('caas_keys').column('expire').execute();

  await withId(db.schema.createTable('events'), dialect)
    .addColumn('uid', 'text', (c) => c.notNull().unique())
    .addColumn('team_id', 'integer')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_team').on('events').columns(['team_id', 'id']).execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('key_version', 'integer', (c) => c.notNull().references('data_keys.version'))
    .addColumn('secret_ciphertext', t.bytes, (c) => c.notNull())
    .addColumn('disabled_at', t.big)
    .addColumn('disabled_reason', 'text')
    .addColumn('failing_since', t.big)
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addColumn('updated_at', t.big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_team').on('webhooks').column('team_id').execute();

  await withId(db.schema.createTable('webhook_deliveries'), dialect)
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', t.big, (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', t.big)
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('error', 'text')
    .addColumn('latency_ms', 'integer')
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addColumn('last_attempt_at', t.big)
    .addColumn('delivered_at', t.big)
    .execute();
  // The worker's question: which pending deliveries are due?
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_webhook').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();

  await db.schema
    .createTable('expiry_notices')
    .addColumn('key_id', 'integer', (c) => c.notNull().references('caas_keys.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('expire', t.big, (c) => c.notNull())
    .addColumn('created_at', t.big, (c) => c.notNull())
    .addPrimaryKeyConstraint('expiry_notices_pk', ['key_id', 'kind', 'expire'])
    .execute();
}
