import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Using stored SSH keys without revealing them: tokens restricted to some private keys (and, for the
 * SSH certificate authority, to some roles), a signing policy per private key, and a detail object on
 * audit rows (what a signature was for: purpose, user, host, outcome). JSON as text; null = none.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('private_keys', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('ssh_roles', 'text').execute();
  await db.schema.alterTable('private_keys').addColumn('signing_policy', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('detail', 'text').execute();
  // A resource's history newest first (a key's recent signatures, GET /v1/audit?resource=) without scanning the team's.
  await db.schema.createIndex('audit_events_resource').on('audit_events').columns(['team_id', 'resource_type', 'resource_id', 'id']).execute();
}
