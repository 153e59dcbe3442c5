import { Webhook } from 'standardwebhooks';
import { webhookSecretAad } from '../crypto/envelope.js';
import type { Clock } from '../domain/types.js';
import type { StoredEvent } from '../repositories/events.js';
import type { Store } from '../repositories/index.js';
import type { AttemptResult, Delivery } from '../repositories/webhook-deliveries.js';
import type { SealedWebhook } from '../repositories/webhooks.js';
import { recordChange } from './events.js';
import type { LiveKeyring } from './keyring.js';

/** What the worker hands the network: one signed POST (see net/webhook-client.ts). */
export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
}
export interface OutboundResult {
  ok: boolean;
  status: number | null;
  body: string | null;
  error: string | null;
  latencyMs: number;
}
export type Send = (req: OutboundRequest) => Promise<OutboundResult>;

/** A delivery is retried for this long after it was created, then marked failed. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
/** An endpoint whose attempts have all failed for this long is disabled (and `webhook.disabled` sent). */
export const DISABLE_AFTER_MS = 3 * 86_400_000;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 3_600_000;

/** The wait before attempt `attempts + 1`: 5 s doubling up to an hour, with ±10 % jitter so endpoints do not get waves. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  return Math.round(base * (0.9 + 0.2 * random()));
}

export interface WorkerOptions {
  /** Names this process's leases. */
  owner: string;
  pollMs: number;
  send: Send;
  /** A lease lasts this long: more than one attempt's timeout, so only a dead holder's lease runs out. */
  leaseMs?: number;
  batchSize?: number;
  /** Where failures of the worker itself are reported (a delivery's own failure is recorded on it). */
  onError?: (err: unknown) => void;
  /** Wall-clock time for `webhook-timestamp` (receivers compare it with their own clock). */
  wallClock?: () => number;
}

/**
 * Delivers the outbox: leases due deliveries (one process per delivery, see the repository), signs
 * each with its endpoint's secret per Standard Webhooks, POSTs it and records the attempt. At least
 * once: a delivery is only marked done after a 2xx, and a lease whose holder died runs out and is
 * taken again. `close()` waits briefly for attempts in flight, then gives its leases back.
 */
export function webhookWorker(store: Store, keys: LiveKeyring, clock: Clock, opts: WorkerOptions) {
  const leaseMs = opts.leaseMs ?? 15_000;
  const batchSize = opts.batchSize ?? 20;
  const wall = opts.wallClock ?? Date.now;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;

  function secretOf(w: SealedWebhook): string {
    return keys.ring.decrypt(w.keyVersion, w.secretCiphertext, webhookSecretAad(w.teamId, w.id));
  }

  /** Records a failed attempt on the endpoint, and disables it once it has failed for DISABLE_AFTER_MS. */
  async function endpointFailed(w: SealedWebhook, at: number): Promise<void> {
    const since = await store.webhooks.markFailing(w.id, at);
    if (since === undefined || at - since < DISABLE_AFTER_MS) return;
    await store.transaction(async (repos) => {
      if (!(await repos.webhooks.disable(w.id, at, 'every delivery failed for 3 days'))) return; // another process did it
      const data = { webhook: { id: w.id, url: w.url, failing_since: new Date(since).toISOString(), reason: 'every delivery failed for 3 days' } };
      await recordChange(repos, null, [{ type: 'webhook.disabled', teamId: w.teamId, data }], at);
    });
  }

  async function attempt(d: Delivery, w: SealedWebhook, e: StoredEvent): Promise<void> {
    const body = e.payload;
    // One reading of the clock for the signature and the header: two could straddle a second.
    const signedAt = new Date(Math.floor(wall() / 1000) * 1000);
    const signature = new Webhook(secretOf(w)).sign(e.uid, signedAt, body);
    const res = await opts.send({
      url: w.url,
      body,
      signal: abort.signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'keyhold-webhooks',
        'webhook-id': e.uid,
        'webhook-timestamp': String(signedAt.getTime() / 1000),
        'webhook-signature': signature,
      },
    });
    if (abort.signal.aborted && !res.ok) return; // shutting down: the lease is given back, the attempt does not count
    const at = clock();
    const attempts = d.attempts + 1;
    const next = at + backoffMs(attempts);
    const status: AttemptResult['status'] = res.ok ? 'delivered' : next > d.createdAt + RETRY_WINDOW_MS ? 'failed' : 'pending';
    await store.deliveries.complete(d.id, opts.owner, {
      status,
      at,
      nextAttemptAt: status === 'pending' ? next : at,
      responseStatus: res.status,
      responseBody: res.body,
      error: res.error,
      latencyMs: res.latencyMs,
    });
    if (res.ok) await store.webhooks.markHealthy(w.id);
    else await endpointFailed(w, at);
  }

  /** Leases one batch of due deliveries and attempts them; how many were attempted. */
  async function runOnce(): Promise<number> {
    const leased = await store.deliveries.lease(opts.owner, clock(), leaseMs, batchSize);
    if (leased.length === 0) return 0;
    const [events, hooks] = await Promise.all([
      store.events.findByIds([...new Set(leased.map((d) => d.eventId))]),
      store.webhooks.findByIds([...new Set(leased.map((d) => d.webhookId))]),
    ]);
    const eventById = new Map(events.map((e) => [e.id, e]));
    const hookById = new Map(hooks.map((w) => [w.id, w]));
    await keys.ensure(hooks.map((w) => w.keyVersion));
    await Promise.all(
      leased.map(async (d) => {
        const e = eventById.get(d.eventId);
        const w = hookById.get(d.webhookId);
        if (!e || !w) return; // deleted meanwhile (cascade)
        try {
          await attempt(d, w, e);
        } catch (err) {
          opts.onError?.(err); // the lease runs out and the delivery is tried again
        }
      }),
    );
    return leased.length;
  }

  const tick = () => {
    if (stopped || running) return;
    running = (async () => {
      let total = 0;
      // A full batch suggests more are due: keep going before sleeping.
      for (let n = batchSize; n === batchSize && !stopped; ) total += n = await runOnce();
      return total;
    })()
      .catch((err: unknown) => {
        opts.onError?.(err);
        return 0;
      })
      .finally(() => (running = undefined));
  };

  return {
    start(): void {
      timer = setInterval(tick, opts.pollMs);
      timer.unref();
      tick();
    },
    /** One pass now (tests); resolves when the pass (or the one already running) ends. */
    async drain(): Promise<number> {
      if (running) await running;
      return runOnce();
    },
    /** Stops polling, waits up to `waitMs` for attempts in flight, aborts the rest, and gives back this process's leases. */
    async close(waitMs = 3000): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      const inFlight = running;
      if (inFlight) {
        let t: NodeJS.Timeout | undefined;
        await Promise.race([inFlight, new Promise((r) => (t = setTimeout(r, waitMs)))]);
        clearTimeout(t);
        abort.abort();
        await inFlight;
      }
      await store.deliveries.release(opts.owner).catch((err: unknown) => opts.onError?.(err));
    },
  };
}
export type WebhookWorker = ReturnType<typeof webhookWorker>;
