import { Redis } from 'ioredis';
import type { RateLimit } from '../domain/types.js';
import { type RateDecision, type RateLimiter, windowStart } from '../services/rate-limiter.js';

/**
 * Rate limits shared by every process through Redis (`KEYHOLD_REDIS_URL`): one counter per key and
 * window, `INCRBY` and `PEXPIRE` in one pipeline. Requests arriving together are counted together
 * (one round trip per batch, however many requests and keys are in it), so the limit holds across
 * processes without costing a round trip per request under load.
 *
 * When Redis cannot be reached, verification goes on: the limit fails open (counted by `onFailOpen`,
 * logged once per outage by the caller) rather than refusing or failing requests.
 */

interface Pending {
  redisKey: string;
  limit: number;
  end: number;
  waiters: Array<(d: RateDecision) => void>;
}

export interface RedisRateLimiterOptions {
  url: string;
  /** Put before every key keyhold writes (`KEYHOLD_REDIS_PREFIX`), so several installations can share a Redis. */
  prefix: string;
  /** Called once per decision that failed open, with the error. */
  onFailOpen: (err: Error) => void;
  /** Called when Redis answers again after failing. */
  onRecovered?: () => void;
  /** How long a batch may wait for Redis before failing open. */
  timeoutMs?: number;
}

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private pending = new Map<string, Pending>();
  private scheduled = false;
  /**
   * Windows Redis already said are full, with the limit they were full for: refused here without
   * asking again until they end (or the key's limit is raised).
   */
  private readonly full = new Map<string, { until: number; limit: number }>();
  private failing = false;
  /**
   * Settles when the first connection attempt does (ready, refused or timed out). Until then batches
   * wait for it: requests right after startup are counted, not failed open while the socket connects.
   */
  private firstConnect: Promise<void> | null;

  constructor(private readonly opts: RedisRateLimiterOptions) {
    this.redis = new Redis(opts.url, {
      // Fail fast while disconnected (the limit fails open) instead of queueing commands.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: opts.timeoutMs ?? 250,
      lazyConnect: false,
      retryStrategy: (times) => Math.min(times * 100, 2000),
    });
    // Connection errors surface as failed commands; the client reconnects by itself.
    this.redis.on('error', () => {});
    this.firstConnect = new Promise((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        this.firstConnect = null;
        resolve();
      };
      const timer = setTimeout(settle, opts.timeoutMs ?? 250);
      timer.unref();
      this.redis.once('ready', settle);
      this.redis.once('error', settle);
    });
  }

  take(id: number, limit: RateLimit, now: number): Promise<RateDecision> {
    const windowMs = limit.windowSeconds * 1000;
    const start = windowStart(now, windowMs);
    const redisKey = `${this.opts.prefix}rate:${id}:${start}`;
    const end = start + windowMs;
    const full = this.full.get(redisKey);
    if (full !== undefined) {
      if (full.until > now && full.limit >= limit.limit) return Promise.resolve({ allowed: false, retryAfterMs: end - now });
      this.full.delete(redisKey);
    }
    return new Promise((resolve) => {
      let p = this.pending.get(redisKey);
      if (!p) this.pending.set(redisKey, (p = { redisKey, limit: limit.limit, end, waiters: [] }));
      p.waiters.push((d) => resolve(d.allowed ? d : { allowed: false, retryAfterMs: end - now }));
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    if (this.firstConnect) await this.firstConnect;
    this.scheduled = false;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const pipeline = this.redis.pipeline();
    for (const p of batch) {
      pipeline.incrby(p.redisKey, p.waiters.length);
      // A second past the window's end: nothing reads it after that.
      pipeline.pexpireat(p.redisKey, p.end + 1000);
    }
    let results: Array<[Error | null, unknown]> | null;
    try {
      results = await pipeline.exec();
    } catch (err) {
      results = null;
      this.failOpen(batch, err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (!results) return this.failOpen(batch, new Error('Redis returned no results'));
    // A pipeline sent while disconnected resolves with an error per command: that is no recovery.
    const answered = batch.map((_, i) => {
      const [err, total] = results[i * 2]!;
      return err || typeof total !== 'number' ? (err ?? new Error('unexpected INCRBY answer')) : total;
    });
    const firstError = answered.find((a): a is Error => a instanceof Error);
    if (firstError && answered.every((a) => a instanceof Error)) return this.failOpen(batch, firstError);
    if (this.failing) {
      this.failing = false;
      this.opts.onRecovered?.();
    }
    batch.forEach((p, i) => {
      const total = answered[i]!;
      if (total instanceof Error) return this.failOpen([p], total);
      // The batch's requests took counts total-n+1 … total, in arrival order.
      const first = total - p.waiters.length + 1;
      p.waiters.forEach((resolve, j) => resolve({ allowed: first + j <= p.limit, retryAfterMs: 0 }));
      if (total >= p.limit) this.full.set(p.redisKey, { until: p.end, limit: p.limit });
    });
    if (this.full.size > 10_000) {
      const now = Date.now();
      for (const [k, { until }] of this.full) if (until <= now) this.full.delete(k);
    }
  }

  private failOpen(batch: Pending[], err: Error): void {
    this.failing = true;
    for (const p of batch) for (const resolve of p.waiters) {
      this.opts.onFailOpen(err);
      resolve({ allowed: true, retryAfterMs: 0 });
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
