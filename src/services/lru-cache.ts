import type { Clock } from '../domain/types.js';

interface Entry<V> {
  value: V;
  expiresAt: number;
  /** The value of `placed` when the entry last went to the end of the order. */
  placedAt: number;
}

/**
 * A bounded least-recently-used map whose entries also expire. Map keeps insertion order, so the
 * first key is the least recently used one and a hit re-inserts its key at the end, unless it is
 * already among the most recent quarter of entries: then it is far from eviction, and skipping the
 * delete and re-insert keeps a hit cheap (the order is approximate only within that quarter).
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, Entry<V>>();
  /** How many times an entry was put at the end of the order. */
  private placed = 0;
  private readonly recent: number;
  /** Entries dropped to stay within `maxEntries`. */
  evictions = 0;

  constructor(private readonly opts: { maxEntries: number; clock: Clock }) {
    if (!(opts.maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
    this.recent = Math.floor(opts.maxEntries / 4);
  }

  /** The live value for `key`, or undefined when absent or expired (an expired entry is dropped). */
  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.opts.clock()) {
      this.map.delete(key);
      return undefined;
    }
    if (this.placed - e.placedAt >= this.recent) {
      this.map.delete(key);
      this.map.set(key, e);
      e.placedAt = ++this.placed;
    }
    return e.value;
  }

  /** Stores `value` for `ttlMs`; the least recently used entries go when the bound is passed. */
  set(key: K, value: V, ttlMs: number): void {
    this.map.delete(key);
    this.map.set(key, { value, expiresAt: this.opts.clock() + ttlMs, placedAt: ++this.placed });
    while (this.map.size > this.opts.maxEntries) {
      this.map.delete(this.map.keys().next().value as K);
      this.evictions++;
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
