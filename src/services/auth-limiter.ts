import type { Clock } from '../domain/types.js';

export interface AuthLimiterOptions {
  /** Failed authentications allowed per address within one window; 0 turns the limiter off. */
  maxFailures: number;
  windowMs: number;
  /** Addresses tracked at once; the oldest are forgotten first. */
  maxAddresses?: number;
  clock: Clock;
}

interface Window {
  start: number;
  failures: number;
}

/**
 * Limits failed authentication per client address with a fixed window. Successful requests are
 * never counted. Memory is bounded: past `maxAddresses` the oldest windows are dropped.
 */
export class AuthLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly max: number;

  constructor(private readonly opts: AuthLimiterOptions) {
    this.max = opts.maxAddresses ?? 100_000;
  }

  get enabled(): boolean {
    return this.opts.maxFailures > 0;
  }

  /** Seconds until `address` may try again, or 0 when it is not limited. */
  retryAfter(address: string): number {
    if (!this.enabled) return 0;
    const w = this.current(address);
    if (!w || w.failures < this.opts.maxFailures) return 0;
    return Math.max(1, Math.ceil((w.start + this.opts.windowMs - this.opts.clock()) / 1000));
  }

  /** Records one failed authentication from `address`. */
  fail(address: string): void {
    if (!this.enabled) return;
    const now = this.opts.clock();
    let w = this.current(address);
    if (!w) {
      w = { start: now, failures: 0 };
      this.windows.set(address, w);
      while (this.windows.size > this.max) this.windows.delete(this.windows.keys().next().value as string);
    }
    w.failures++;
  }

  private current(address: string): Window | undefined {
    const w = this.windows.get(address);
    if (w && w.start + this.opts.windowMs <= this.opts.clock()) {
      this.windows.delete(address);
      return undefined;
    }
    return w;
  }
}
