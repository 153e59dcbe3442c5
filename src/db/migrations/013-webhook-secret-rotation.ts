import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Rotating a webhook endpoint's signing secret with a grace period: the previous secret, sealed with
 * the same data-key version as the current one (so a master-key rotation moves both together), keeps
 * signing beside the new one until `previous_secret_until` (Standard Webhooks allows several
 * signatures in one `webhook-signature` header).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('webhooks').addColumn('previous_secret_ciphertext', bytes).execute();
  await db.schema.alterTable('webhooks').addColumn('previous_secret_until', big).execute();
}
