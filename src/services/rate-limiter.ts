import type { RateLimit } from '../domain/types.js';

/**
 * Per-key rate limits for verification: fixed windows aligned to the epoch (so every process, and
 * Redis, agree on when a window starts), at most `limit` admissions per window.
 */

export interface RateDecision {
  allowed: boolean;
  /** When refused: how long until the window ends. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Counts one admission of key `id`; refused once the window's `limit` is reached. */
  take(id: number, limit: RateLimit, now: number): RateDecision | Promise<RateDecision>;
  close(): Promise<void>;
}

/** The start of the window `now` falls in. */
export const windowStart = (now: number, windowMs: number) => Math.floor(now / windowMs) * windowMs;

/** How often windows that ended are forgotten. */
const SWEEP_MS = 60_000;

/**
 * Counts in this process's memory: exact for one process; with several (PostgreSQL, no Redis) each
 * counts only what it answers, so a key may be admitted up to `limit` times per window by each.
 */
export class LocalRateLimiter implements RateLimiter {
  private readonly windows = new Map<number, { start: number; end: number; count: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(clock: () => number) {
    this.sweeper = setInterval(() => {
      const now = clock();
      for (const [id, w] of this.windows) if (w.end <= now) this.windows.delete(id);
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  take(id: number, limit: RateLimit, now: number): RateDecision {
    const windowMs = limit.windowSeconds * 1000;
    const start = windowStart(now, windowMs);
    let w = this.windows.get(id);
    if (!w || w.start !== start) this.windows.set(id, (w = { start, end: start + windowMs, count: 0 }));
    if (w.count >= limit.limit) return { allowed: false, retryAfterMs: w.end - now };
    w.count++;
    return { allowed: true, retryAfterMs: 0 };
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}
