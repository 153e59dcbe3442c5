import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.js';

type Row = Selectable<Database['webhooks']>;

/** A webhook endpoint as services see it; the signing secret stays sealed (`keyVersion`, `secretCiphertext`). */
export interface WebhookRecord {
  id: string;
  teamId: number;
  url: string;
  events: string[];
  description: string;
  disabledAt: number | null;
  disabledReason: string | null;
  failingSince: number | null;
  /** Failed attempts in a row (any delivery); 0 after a success. */
  consecutiveFailures: number;
  /** The endpoint backs off until then: none of its deliveries is attempted before (null: it does not). */
  backoffUntil: number | null;
  /** After a signing-secret rotation: until when the previous secret signs beside the new one (null: there is none). */
  previousSecretUntil: number | null;
  createdAt: number;
  updatedAt: number;
}
/** The signing secrets as stored: the current one and, during a rotation's grace period, the previous one, both under `keyVersion`. */
export interface SealedSecrets {
  keyVersion: number;
  secretCiphertext: Buffer;
  previousSecretCiphertext: Buffer | null;
}
export type SealedWebhook = WebhookRecord & SealedSecrets;

export type WebhookChanges = Partial<Pick<WebhookRecord, 'url' | 'events' | 'description' | 'disabledAt' | 'disabledReason' | 'failingSince'>> & { updatedAt: number };

const toRecord = (r: Row): SealedWebhook => ({
  id: r.id,
  teamId: r.team_id,
  url: r.url,
  events: JSON.parse(r.events) as string[],
  description: r.description,
  disabledAt: r.disabled_at,
  disabledReason: r.disabled_reason,
  failingSince: r.failing_since,
  consecutiveFailures: r.consecutive_failures,
  backoffUntil: r.backoff_until,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  keyVersion: r.key_version,
  secretCiphertext: r.secret_ciphertext,
  previousSecretCiphertext: r.previous_secret_ciphertext,
  previousSecretUntil: r.previous_secret_until,
});

export function webhooksRepository(db: Kysely<Database>) {
  return {
    async insert(w: SealedWebhook): Promise<SealedWebhook> {
      const row = await db
        .insertInto('webhooks')
        .values({
          id: w.id,
          team_id: w.teamId,
          url: w.url,
          events: JSON.stringify(w.events),
          description: w.description,
          key_version: w.keyVersion,
          secret_ciphertext: w.secretCiphertext,
          previous_secret_ciphertext: w.previousSecretCiphertext,
          previous_secret_until: w.previousSecretUntil,
          disabled_at: w.disabledAt,
          disabled_reason: w.disabledReason,
          failing_since: w.failingSince,
          created_at: w.createdAt,
          updated_at: w.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async countForTeam(teamId: number): Promise<number> {
      const row = await db.selectFrom('webhooks').select((eb) => eb.fn.countAll<number>().as('n')).where('team_id', '=', teamId).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async list(teamId: number): Promise<SealedWebhook[]> {
      return (await db.selectFrom('webhooks').selectAll().where('team_id', '=', teamId).orderBy('created_at').orderBy('id').execute()).map(toRecord);
    },
    /** The endpoint when it belongs to the team (any team with `teamId` undefined). */
    async find(id: string, teamId?: number): Promise<SealedWebhook | undefined> {
      let q = db.selectFrom('webhooks').selectAll().where('id', '=', id);
      if (teamId !== undefined) q = q.where('team_id', '=', teamId);
      const row = await q.executeTakeFirst();
      return row && toRecord(row);
    },
    async findByIds(ids: string[]): Promise<SealedWebhook[]> {
      if (ids.length === 0) return [];
      return (await db.selectFrom('webhooks').selectAll().where('id', 'in', ids).execute()).map(toRecord);
    },
    async update(id: string, c: WebhookChanges): Promise<SealedWebhook | undefined> {
      const row = await db
        .updateTable('webhooks')
        .set({
          ...(c.url !== undefined && { url: c.url }),
          ...(c.events !== undefined && { events: JSON.stringify(c.events) }),
          ...(c.description !== undefined && { description: c.description }),
          ...(c.disabledAt !== undefined && { disabled_at: c.disabledAt }),
          ...(c.disabledReason !== undefined && { disabled_reason: c.disabledReason }),
          // Forgetting the failures (turned back on) ends the backoff too.
          ...(c.failingSince !== undefined && { failing_since: c.failingSince, ...(c.failingSince === null && { consecutive_failures: 0, backoff_until: null }) }),
          updated_at: c.updatedAt,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toRecord(row);
    },
    async delete(id: string): Promise<boolean> {
      const r = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    /** Endpoints whose signing secret is sealed under a data-key version below `version` (master-key rotation). */
    async listBelowVersion(version: number): Promise<SealedWebhook[]> {
      return (await db.selectFrom('webhooks').selectAll().where('key_version', '<', version).orderBy('id').execute()).map(toRecord);
    },
    /**
     * Replaces the sealed secrets only if they are still the ones that were read (compare-and-set on
     * the current ciphertext, which every rotation changes); false otherwise. `previousUntil` is
     * given by a signing-secret rotation and left alone by a master-key reseal.
     */
    async reseal(id: string, from: SealedSecrets, to: SealedSecrets & { previousUntil?: number | null }): Promise<boolean> {
      const r = await db
        .updateTable('webhooks')
        .set({
          key_version: to.keyVersion,
          secret_ciphertext: to.secretCiphertext,
          previous_secret_ciphertext: to.previousSecretCiphertext,
          ...(to.previousUntil !== undefined && { previous_secret_until: to.previousUntil }),
        })
        .where('id', '=', id)
        .where('key_version', '=', from.keyVersion)
        .where('secret_ciphertext', '=', from.secretCiphertext)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /**
     * Notes a failed attempt: one more failure in a row, and the endpoint has been failing since `at`
     * unless it already was. Returns since when, and how many failures in a row (this one included).
     */
    async markFailing(id: string, at: number): Promise<{ failingSince: number; failures: number } | undefined> {
      const row = await db
        .updateTable('webhooks')
        .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1), failing_since: eb.fn.coalesce('failing_since', eb.val(at)) }))
        .where('id', '=', id)
        .returning(['failing_since', 'consecutive_failures'])
        .executeTakeFirst();
      return row ? { failingSince: row.failing_since ?? at, failures: row.consecutive_failures } : undefined;
    },
    /** The endpoint's deliveries wait until `until` (a later backoff already set is kept). */
    async backOff(id: string, until: number): Promise<void> {
      await db
        .updateTable('webhooks')
        .set({ backoff_until: until })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('backoff_until', 'is', null), eb('backoff_until', '<', until)]))
        .execute();
    },
    /** Ends a backoff now (a manual redeliver), keeping the failure count: the next failure backs off longer. */
    async endBackoff(id: string): Promise<void> {
      await db.updateTable('webhooks').set({ backoff_until: null }).where('id', '=', id).where('backoff_until', 'is not', null).execute();
    },
    /** A successful attempt: not failing, no backoff. */
    async markHealthy(id: string): Promise<void> {
      await db
        .updateTable('webhooks')
        .set({ failing_since: null, consecutive_failures: 0, backoff_until: null })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('failing_since', 'is not', null), eb('consecutive_failures', '>', 0), eb('backoff_until', 'is not', null)]))
        .execute();
    },
    /** Disables an enabled endpoint; false when it was already disabled (or gone): only one caller wins. */
    async disable(id: string, at: number, reason: string): Promise<boolean> {
      const r = await db
        .updateTable('webhooks')
        .set({ disabled_at: at, disabled_reason: reason, updated_at: at })
        .where('id', '=', id)
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
export type WebhooksRepository = ReturnType<typeof webhooksRepository>;
