import type { Clock } from '../domain/types.js';
import { LruCache } from './lru-cache.js';

export interface CacheStats {
  hits: number;
  misses: number;
  size: number;
  evictions: number;
  invalidations: number;
}

/** The cache's own marker for "no such key", so a cached negative differs from a miss. */
const ABSENT = Symbol('absent');

/**
 * A bounded LRU of verification lookups keyed by a secret's digest, with negative caching.
 *
 * Entries live at most `ttlMs` (`negativeTtlMs` for "no such key"): the fallback bound on
 * staleness when an invalidation from another process is missed. A lookup that began before an
 * invalidation cannot store its (possibly stale) result afterwards: `begin()` hands out the current
 * generation and `set()` drops results from an older one.
 */
export class VerificationCache<V> {
  private readonly lru: LruCache<string, V | typeof ABSENT>;
  private generation = 0;
  private hits = 0;
  private misses = 0;
  private invalidations = 0;

  constructor(private readonly opts: { maxEntries: number; ttlMs: number; negativeTtlMs: number; clock: Clock }) {
    this.lru = new LruCache({ maxEntries: opts.maxEntries, clock: opts.clock });
  }

  /** The cached value (null = known missing), or undefined on a miss. */
  get(digest: string): V | null | undefined {
    const v = this.lru.get(digest);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return v === ABSENT ? null : v;
  }

  /** Call before reading the database for a miss; pass the result to `set`. */
  begin(): number {
    return this.generation;
  }

  /**
   * Stores a lookup's result. `until` bounds the entry's life further: a rerolled key's old secret
   * is cached no longer than its grace period, so no process answers from a cache after it ends.
   */
  set(digest: string, value: V | null, generation: number, until?: number): void {
    if (generation !== this.generation) return;
    let ttl = value === null ? this.opts.negativeTtlMs : this.opts.ttlMs;
    if (until !== undefined) ttl = Math.min(ttl, until - this.opts.clock());
    if (ttl > 0) this.lru.set(digest, value ?? ABSENT, ttl);
  }

  /** Forgets one digest, or everything when given `*`. In-flight lookups will not re-fill it. */
  invalidate(digest: string): void {
    this.generation++;
    this.invalidations++;
    if (digest === '*') this.lru.clear();
    else this.lru.delete(digest);
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, size: this.lru.size, evictions: this.lru.evictions, invalidations: this.invalidations };
  }
}
