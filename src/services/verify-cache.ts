import type { Clock } from '../domain/types.js';

export interface CacheStats {
  hits: number;
  misses: number;
  size: number;
  evictions: number;
  invalidations: number;
}

interface Entry<V> {
  value: V | null;
  expiresAt: number;
}

/**
 * A bounded LRU of verification lookups keyed by a secret's digest, with negative caching.
 *
 * Entries live at most `ttlMs` (`negativeTtlMs` for "no such key"): the fallback bound on
 * staleness when an invalidation from another process is missed. A lookup that began before an
 * invalidation cannot store its (possibly stale) result afterwards: `begin()` hands out the current
 * generation and `set()` drops results from an older one.
 */
export class VerificationCache<V> {
  private readonly map = new Map<string, Entry<V>>();
  private generation = 0;
  private readonly s: CacheStats = { hits: 0, misses: 0, size: 0, evictions: 0, invalidations: 0 };

  constructor(
    private readonly opts: { maxEntries: number; ttlMs: number; negativeTtlMs: number; clock: Clock },
  ) {
    if (opts.maxEntries < 1) throw new RangeError('maxEntries must be at least 1');
  }

  /** The cached value (null = known missing), or undefined on a miss. */
  get(digest: string): V | null | undefined {
    const e = this.map.get(digest);
    if (!e || e.expiresAt <= this.opts.clock()) {
      if (e) this.map.delete(digest);
      this.s.misses++;
      return undefined;
    }
    // Refresh recency: Map keeps insertion order, so re-insert at the end.
    this.map.delete(digest);
    this.map.set(digest, e);
    this.s.hits++;
    return e.value;
  }

  /** Call before reading the database for a miss; pass the result to `set`. */
  begin(): number {
    return this.generation;
  }

  set(digest: string, value: V | null, generation: number): void {
    if (generation !== this.generation) return;
    const ttl = value === null ? this.opts.negativeTtlMs : this.opts.ttlMs;
    if (ttl <= 0) return;
    this.map.delete(digest);
    this.map.set(digest, { value, expiresAt: this.opts.clock() + ttl });
    while (this.map.size > this.opts.maxEntries) {
      this.map.delete(this.map.keys().next().value as string);
      this.s.evictions++;
    }
  }

  /** Forgets one digest, or everything when given `*`. In-flight lookups will not re-fill it. */
  invalidate(digest: string): void {
    this.generation++;
    this.s.invalidations++;
    if (digest === '*') this.map.clear();
    else this.map.delete(digest);
  }

  stats(): CacheStats {
    return { ...this.s, size: this.map.size };
  }
}
