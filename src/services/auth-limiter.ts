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
 * never counted, nor refused. Memory is bounded: past `maxAddresses` the oldest windows are dropped.
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

  /**
   * Records a failed authentication from `address`. Answers 0 while the address is within its budget
   * (the caller answers 401), or the seconds until its window ends once it is over (429). Only
   * failures are counted, and a credential that checks out is never asked about: an address over its
   * budget still authenticates with a good one.
   */
  failed(address: string): number {
    if (!this.enabled) return 0;
    const now = this.opts.clock();
    let w = this.current(address);
    if (!w) {
      w = { start: now, failures: 0 };
      this.windows.set(address, w);
      while (this.windows.size > this.max) this.windows.delete(this.windows.keys().next().value as string);
    }
    if (w.failures >= this.opts.maxFailures) return Math.max(1, Math.ceil((w.start + this.opts.windowMs - now) / 1000));
    w.failures++;
    return 0;
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
