import { setTimeout as sleep } from 'node:timers/promises';
import { DecryptionError, privateKeyAad } from '../crypto/envelope.js';
import type { Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import { cliAuditEvent } from './audit.js';
import { recordChange } from './events.js';
import type { LiveKeyring } from './keyring.js';
import { openSecrets, sealSecrets } from './webhook-secrets.js';

export interface RotationProgress {
  /** The data-key version every record is being moved to. */
  target: number;
  /** Records that were on older versions when this run started (plus any found later). */
  total: number;
  done: number;
}

export interface RotationReport extends RotationProgress {
  /** Whether this run added `target`, or resumed a rotation to it that an earlier run left unfinished. */
  created: boolean;
  resealed: number;
  /** Compare-and-set misses: the record changed between read and write, and was read again. */
  retried: number;
  /** Ids of records whose ciphertext did not authenticate: left untouched, reported. */
  failed: number[];
  /** Records still on an older version at the end (0 after a complete run). */
  remaining: number;
  interrupted: boolean;
  /** Webhook signing secrets moved to `target` as well (they are sealed with the same keyring). */
  webhookSecrets: number;
}

export interface RotationOptions {
  batchSize?: number;
  /** Wait between batches, to go easy on a busy database. */
  pauseMs?: number;
  /** Stops after the batch in progress; the run can be resumed. */
  signal?: AbortSignal;
  onProgress?: (p: RotationProgress) => void;
}

export interface KeyVersionStatus {
  version: number;
  createdAt: number;
  records: number;
  active: boolean;
}

/** How many passes over the records a run makes before it leaves concurrent writers' rows to the next run. */
const MAX_PASSES = 5;

export function rotationService(store: Store, keys: LiveKeyring, clock: Clock) {
  const belowTarget = async (target: number) => {
    let n = 0;
    for (const [v, count] of await store.privateKeys.countByVersion()) if (v < target) n += count;
    return n;
  };

  /** Moves webhook signing secrets to `target`; a secret changed meanwhile is left for the next run. */
  async function resealWebhookSecrets(target: number): Promise<number> {
    const hooks = await store.webhooks.listBelowVersion(target);
    await keys.ensure(hooks.map((w) => w.keyVersion));
    const ring = keys.ring;
    let moved = 0;
    for (const w of hooks) {
      let secrets: ReturnType<typeof openSecrets>;
      try {
        secrets = openSecrets(ring, w);
      } catch (err) {
        if (err instanceof DecryptionError) continue; // left as it is, like a private key that does not open
        throw err;
      }
      // The previous secret of a rotation in its grace period moves with the current one: one version for both.
      if (await store.webhooks.reseal(w.id, w, sealSecrets(ring, w, target, secrets.current, secrets.previous))) moved++;
    }
    return moved;
  }

  return {
    /** Every data-key version with how many records it protects; the newest is the one new writes use. */
    async status(): Promise<KeyVersionStatus[]> {
      const [versions, counts] = await Promise.all([store.dataKeys.list(), store.privateKeys.countByVersion()]);
      const newest = Math.max(...versions.map((v) => v.version));
      return versions.map((v) => ({ version: v.version, createdAt: v.createdAt, records: counts.get(v.version) ?? 0, active: v.version === newest }));
    },

    /**
     * Moves every private key to the newest data-key version, in batches, while servers keep serving:
     * they read any version and pick up the new one for writes. If records are still on older
     * versions (an interrupted run), this resumes instead of adding another version.
     * Each record is replaced by compare-and-set, so interrupting at any point loses nothing.
     */
    async rotate(opts: RotationOptions = {}): Promise<RotationReport> {
      const batchSize = opts.batchSize ?? 500;
      await keys.refresh();
      let target = keys.ring.activeVersion;
      let created = false;
      if ((await belowTarget(target)) === 0) {
        ({ version: target, created } = await keys.addVersion(clock));
      }
      const report: RotationReport = { target, total: await belowTarget(target), done: 0, created, resealed: 0, retried: 0, failed: [], remaining: 0, interrupted: false, webhookSecrets: 0 };
      const failed = new Set<number>();
      opts.onProgress?.(report);

      pass: for (let pass = 0; pass < MAX_PASSES; pass++) {
        let afterId = 0;
        let missed = 0;
        for (;;) {
          if (opts.signal?.aborted) {
            report.interrupted = true;
            break pass;
          }
          const rows = await store.privateKeys.listBelowVersion(target, afterId, batchSize);
          if (rows.length === 0) break;
          afterId = rows[rows.length - 1]!.id;
          const batch = rows.filter((k) => !failed.has(k.id));
          await keys.ensure(batch.map((k) => k.keyVersion));
          const ring = keys.ring;
          // Counted once the batch has committed: a failed transaction re-encrypted nothing.
          const counts = await store.transaction(async (repos) => {
            let resealed = 0;
            let stale = 0;
            for (const k of batch) {
              const aad = privateKeyAad(k.teamId, k.uuid);
              let plaintext: string;
              try {
                plaintext = ring.decrypt(k.keyVersion, k.ciphertext, aad);
              } catch (err) {
                if (!(err instanceof DecryptionError)) throw err;
                failed.add(k.id);
                continue;
              }
              const sealed = ring.encryptWith(target, plaintext, aad);
              if (await repos.privateKeys.reseal(k.id, k, { keyVersion: target, ciphertext: sealed })) resealed++;
              else stale++;
            }
            return { resealed, stale };
          });
          report.resealed += counts.resealed;
          report.retried += counts.stale;
          missed += counts.stale;
          report.failed = [...failed];
          report.done = report.resealed + failed.size;
          if (report.done > report.total) report.total = report.done;
          opts.onProgress?.(report);
          if (opts.pauseMs) await sleep(opts.pauseMs);
        }
        if (missed === 0) break;
      }
      if (!report.interrupted) report.webhookSecrets = await resealWebhookSecrets(target);
      report.remaining = (await belowTarget(target)) - failed.size;
      report.total = Math.max(report.total, report.done + report.remaining);
      if (report.created || report.resealed > 0) {
        const at = clock();
        const audit = cliAuditEvent(report.created ? 'master_key.rotate' : 'master_key.rotate_resume', 'data_key', String(target), at);
        // Instance-wide: offered to every team's endpoints subscribed to it (see docs/webhooks.md).
        const data = { key_version: target, resumed: !report.created, resealed: report.resealed, remaining: report.remaining };
        await store.transaction((repos) => recordChange(repos, audit, [{ type: 'master_key.rotated', teamId: null, data }], at));
      }
      return report;
    },
  };
}
export type RotationService = ReturnType<typeof rotationService>;
