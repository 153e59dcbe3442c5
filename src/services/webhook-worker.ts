import { setMaxListeners } from 'node:events';
import { Webhook } from 'standardwebhooks';
import type { Clock } from '../domain/types.js';
import type { StoredEvent } from '../repositories/events.js';
import type { Store } from '../repositories/index.js';
import type { AttemptResult, Delivery } from '../repositories/webhook-deliveries.js';
import type { SealedWebhook } from '../repositories/webhooks.js';
import { recordChange } from './events.js';
import type { LiveKeyring } from './keyring.js';
import { signingSecrets } from './webhook-secrets.js';

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
/** The longest an endpoint that keeps failing backs off: once it answers again, its backlog waits no longer than this. */
export const MAX_ENDPOINT_BACKOFF_MS = 10 * 60_000;
/** Attempts in flight at once in one process, over every endpoint (KEYHOLD_WEBHOOK_CONCURRENCY). */
export const DEFAULT_CONCURRENCY = 16;
/** Attempts in flight at once to one endpoint, over every process (KEYHOLD_WEBHOOK_PER_ENDPOINT). */
export const DEFAULT_PER_ENDPOINT = 2;

/** The wait before attempt `attempts + 1`: 5 s doubling up to `max` (an hour), with ±10 % jitter so endpoints do not get waves. */
export function backoffMs(attempts: number, random = Math.random, max = MAX_RETRY_MS): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), max);
  return Math.round(base * (0.9 + 0.2 * random()));
}

/** How long an endpoint with `failures` failed attempts in a row waits before any of its deliveries is tried: 5 s doubling to 10 minutes. */
export const endpointBackoffMs = (failures: number, random = Math.random) => backoffMs(failures, random, MAX_ENDPOINT_BACKOFF_MS);

export interface WorkerOptions {
  /** Names this process's leases. */
  owner: string;
  pollMs: number;
  send: Send;
  /** A lease lasts this long: more than one attempt's timeout, so only a dead holder's lease runs out. */
  leaseMs?: number;
  /** Attempts in flight at once in this process (DEFAULT_CONCURRENCY). */
  concurrency?: number;
  /** Attempts in flight at once to one endpoint, counting every process's leases (DEFAULT_PER_ENDPOINT). */
  perEndpoint?: number;
  /** Where failures of the worker itself are reported (a delivery's own failure is recorded on it). */
  onError?: (err: unknown) => void;
  /** Wall-clock time for `webhook-timestamp` (receivers compare it with their own clock). */
  wallClock?: () => number;
}

/**
 * Delivers the outbox: leases due deliveries (one process per delivery, see the repository), signs
 * each with its endpoint's secret per Standard Webhooks, POSTs it and records the attempt. At least
 * once: a delivery is only marked done after a 2xx, and a lease whose holder died runs out and is
 * taken again.
 *
 * Scheduling is fair and continuous. At most `concurrency` attempts are in flight in the process and
 * at most `perEndpoint` to one endpoint (across processes); the lease takes each endpoint's oldest
 * due delivery first, round-robin. Attempts are not batched: each one that ends frees its slot and
 * the worker leases again at once, so a slow endpoint holds its own slots and nobody else's. An
 * endpoint whose attempts fail backs off as a whole (`endpointBackoffMs` of its failures in a row):
 * its other deliveries wait too, and a success ends it. `close()` waits briefly for attempts in
 * flight, then aborts them and gives its leases back.
 */
export function webhookWorker(store: Store, keys: LiveKeyring, clock: Clock, opts: WorkerOptions) {
  const leaseMs = opts.leaseMs ?? 15_000;
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const perEndpoint = Math.max(1, opts.perEndpoint ?? DEFAULT_PER_ENDPOINT);
  const wall = opts.wallClock ?? Date.now;
  const abort = new AbortController();
  // Every attempt in flight listens on it.
  setMaxListeners(concurrency + 10, abort.signal);
  const inFlight = new Set<Promise<void>>();
  /** Deliveries this process is attempting: one whose lease seems to have run out (the clock jumped) is not sent twice. */
  const attempting = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let filling: Promise<void> | undefined;
  let refill = false;
  let stopped = false;
  /** Attempts started, ever (drain() reports the difference). */
  let started = 0;


  /**
   * Records a failed attempt on the endpoint and backs it off, before the delivery's lease is given up:
   * no lease in between sees the endpoint as ready. Returns since when it has been failing.
   */
  async function endpointFailed(w: SealedWebhook, at: number): Promise<number | undefined> {
    const failing = await store.webhooks.markFailing(w.id, at);
    if (failing === undefined) return undefined; // deleted meanwhile
    await store.webhooks.backOff(w.id, at + endpointBackoffMs(failing.failures));
    return failing.failingSince;
  }

  /** Disables an endpoint that has failed for DISABLE_AFTER_MS (and sends `webhook.disabled`). */
  async function disableIfDead(w: SealedWebhook, since: number, at: number): Promise<void> {
    if (at - since < DISABLE_AFTER_MS) return;
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
    // During a secret rotation's grace period, one signature per secret, space-separated (Standard Webhooks).
    const signature = signingSecrets(keys.ring, w, clock())
      .map((secret) => new Webhook(secret).sign(e.uid, signedAt, body))
      .join(' ');
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
    const failingSince = res.ok ? undefined : await endpointFailed(w, at);
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
    else if (failingSince !== undefined) await disableIfDead(w, failingSince, at);
  }

  /** Starts one attempt in a slot; the slot is freed, and the worker leases again, the moment it ends. */
  function launch(d: Delivery, w: SealedWebhook | undefined, e: StoredEvent | undefined): void {
    const run = (async () => {
      if (!e || !w) return; // deleted meanwhile (cascade)
      try {
        await attempt(d, w, e);
      } catch (err) {
        opts.onError?.(err); // the lease runs out and the delivery is tried again
      }
    })();
    attempting.add(d.id);
    const slot: Promise<void> = run.finally(() => {
      attempting.delete(d.id);
      inFlight.delete(slot);
      if (!stopped) void fill();
    });
    inFlight.add(slot);
    started++;
  }

  /** Leases as many due deliveries as there are free slots and starts them; how many were started. */
  async function leaseOnce(): Promise<number> {
    const free = concurrency - inFlight.size;
    if (free <= 0) return 0;
    const leased = (await store.deliveries.lease(opts.owner, clock(), leaseMs, free, perEndpoint)).filter((d) => !attempting.has(d.id));
    if (leased.length === 0) return 0;
    try {
      const [events, hooks] = await Promise.all([
        store.events.findByIds([...new Set(leased.map((d) => d.eventId))]),
        store.webhooks.findByIds([...new Set(leased.map((d) => d.webhookId))]),
      ]);
      await keys.ensure(hooks.map((w) => w.keyVersion));
      const eventById = new Map(events.map((e) => [e.id, e]));
      const hookById = new Map(hooks.map((w) => [w.id, w]));
      for (const d of leased) launch(d, hookById.get(d.webhookId), eventById.get(d.eventId));
    } catch (err) {
      // Nothing was started: give the leases back rather than let them run out.
      await store.deliveries.release(opts.owner, leased.map((d) => d.id)).catch(() => {});
      throw err;
    }
    return leased.length;
  }

  /**
   * Fills the free slots, one lease at a time: again while a lease filled every free slot (more may
   * be due), and again when a slot was freed during the lease.
   */
  function fill(): Promise<void> {
    if (filling) {
      refill = true;
      return filling;
    }
    filling = (async () => {
      do {
        refill = false;
        for (;;) {
          const free = concurrency - inFlight.size;
          if (free <= 0 || (await leaseOnce()) < free) break;
        }
      } while (refill && !abort.signal.aborted);
    })()
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => (filling = undefined));
    return filling;
  }

  return {
    start(): void {
      timer = setInterval(() => void fill(), opts.pollMs);
      timer.unref();
      void fill();
    },
    /**
     * Attempts everything due now, and what becomes due while it runs, until nothing is due and no
     * attempt is in flight (tests); resolves with the number of attempts started.
     */
    async drain(): Promise<number> {
      const before = started;
      for (;;) {
        await fill();
        if (inFlight.size === 0) return started - before;
        await Promise.race(inFlight);
      }
    },
    /** Stops polling, waits up to `waitMs` for attempts in flight, aborts the rest, and gives back this process's leases. */
    async close(waitMs = 3000): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      await filling;
      if (inFlight.size > 0) {
        let t: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(inFlight), new Promise((r) => (t = setTimeout(r, waitMs)))]);
        clearTimeout(t);
        abort.abort();
        await Promise.all(inFlight);
      }
      await store.deliveries.release(opts.owner).catch((err: unknown) => opts.onError?.(err));
    },
  };
}
export type WebhookWorker = ReturnType<typeof webhookWorker>;
