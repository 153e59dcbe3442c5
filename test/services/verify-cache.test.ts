import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerificationCache } from '../../src/services/verify-cache.js';

function make(max = 3) {
  let now = 1000;
  const cache = new VerificationCache<string>({ maxEntries: max, ttlMs: 100, negativeTtlMs: 10, clock: () => now });
  return { cache, tick: (ms: number) => (now += ms) };
}

describe('VerificationCache', () => {
  it('hits, misses, and caches negatives with their own shorter lifetime', () => {
    const { cache, tick } = make();
    assert.equal(cache.get('a'), undefined);
    cache.set('a', 'A', cache.begin());
    cache.set('gone', null, cache.begin());
    assert.equal(cache.get('a'), 'A');
    assert.equal(cache.get('gone'), null);
    tick(10);
    assert.equal(cache.get('gone'), undefined, 'negative entry expired');
    assert.equal(cache.get('a'), 'A');
    tick(90);
    assert.equal(cache.get('a'), undefined, 'positive entry expired at its ttl');
    assert.deepEqual({ ...cache.stats(), size: 0 }, { hits: 3, misses: 3, size: 0, evictions: 0, invalidations: 0 });
  });

  it('stays within its bound, evicting the least recently used', () => {
    const { cache } = make(3);
    for (const k of ['a', 'b', 'c']) cache.set(k, k, cache.begin());
    cache.get('a'); // a is now most recent; b is the oldest
    cache.set('d', 'd', cache.begin());
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 'a');
    assert.equal(cache.stats().size, 3);
    assert.equal(cache.stats().evictions, 1);
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, 'v', cache.begin());
    assert.equal(cache.stats().size, 3);
  });

  it('invalidation wins over a lookup that was in flight', () => {
    const { cache } = make();
    const gen = cache.begin(); // a lookup starts reading the database...
    cache.invalidate('a'); // ...a write lands meanwhile...
    cache.set('a', 'stale', gen); // ...and the lookup finishes with what it read before the write
    assert.equal(cache.get('a'), undefined);
    cache.set('a', 'fresh', cache.begin());
    assert.equal(cache.get('a'), 'fresh');
    cache.invalidate('*');
    assert.equal(cache.get('a'), undefined);
  });

  it('refuses a zero bound', () => {
    assert.throws(() => new VerificationCache({ maxEntries: 0, ttlMs: 1, negativeTtlMs: 1, clock: () => 0 }), RangeError);
  });
});
