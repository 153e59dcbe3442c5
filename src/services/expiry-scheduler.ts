import { formatDateTime } from '../domain/time.js';
import type { CaasKey, Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import { apiKeyData, type ChangeEvent, recordChange } from './events.js';

/** Keys that expired longer ago than this get no `api_key.expired` (a first start does not announce history). */
export const EXPIRED_LOOKBACK_MS = 7 * 86_400_000;
const PAGE = 500;

export interface ExpiryOptions {
  /** Lead times of `api_key.expiring`, in ms. */
  leadTimesMs: number[];
  /** How often `start()` checks. */
  checkMs: number;
  onError?: (err: unknown) => void;
}

/**
 * Sends `api_key.expiring` once per lead time and `api_key.expired` once per key and expiry, from
 * any number of processes and across restarts: each notice is claimed in `expiry_notices` (primary
 * key: key, kind, expiry) in the transaction that writes its event, so exactly one claim wins. When
 * several lead times are due at once (a key made to expire soon, a server that was down), only the
 * nearest is sent. A new expiry date gets its own notices.
 */
export function expiryScheduler(store: Store, clock: Clock, opts: ExpiryOptions) {
  const leads = [...opts.leadTimesMs].sort((a, b) => a - b);
  const longest = leads[leads.length - 1] ?? 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  function noticeFor(k: CaasKey & { teamId: number }, now: number): { kind: string; event: ChangeEvent } | undefined {
    const expire = k.expire!;
    if (expire <= now) return { kind: 'expired', event: { type: 'api_key.expired', teamId: k.teamId, data: { key: apiKeyData(k) } } };
    const lead = leads.find((l) => expire - l <= now);
    if (lead === undefined) return undefined;
    const data = { key: apiKeyData(k), lead_seconds: Math.round(lead / 1000), expires_at: formatDateTime(expire, 's') };
    return { kind: `expiring:${Math.round(lead / 1000)}`, event: { type: 'api_key.expiring', teamId: k.teamId, data } };
  }

  /** One pass over keys expiring within the longest lead time (or expired lately); how many events it sent. */
  async function check(): Promise<number> {
    const now = clock();
    let sent = 0;
    let afterId = 0;
    for (;;) {
      const page = await store.caasKeys.expiringBetween(now - EXPIRED_LOOKBACK_MS, now + longest + 1, PAGE, afterId);
      for (const k of page) {
        const notice = noticeFor(k, now);
        if (!notice) continue;
        const claimed = await store.transaction(async (repos) => {
          if (!(await repos.expiryNotices.claim(k.id, notice.kind, k.expire!, now))) return false;
          await recordChange(repos, null, [notice.event], now);
          return true;
        });
        if (claimed) sent++;
      }
      if (page.length < PAGE) return sent;
      afterId = page[page.length - 1]!.id;
    }
  }

  const tick = () => {
    running ??= check()
      .catch((err: unknown) => {
        opts.onError?.(err);
        return 0;
      })
      .finally(() => (running = undefined));
  };

  return {
    check: async () => {
      if (running) await running;
      return check();
    },
    start(): void {
      timer = setInterval(tick, opts.checkMs);
      timer.unref();
      tick();
    },
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
export type ExpiryScheduler = ReturnType<typeof expiryScheduler>;
