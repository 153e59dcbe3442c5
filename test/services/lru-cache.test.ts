import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LruCache } from '../../src/services/lru-cache.js';

describe('LruCache', () => {
  const filled = (maxEntries: number, clock = () => 0) => {
    const lru = new LruCache<string, number>({ maxEntries, clock });
    for (let i = 1; i <= maxEntries; i++) lru.set(`k${i}`, i, 1000);
    return lru;
  };
  const keys = (lru: LruCache<string, number>, n: number) => Array.from({ length: n }, (_, i) => `k${i + 1}`).filter((k) => lru.get(k) !== undefined);

  it('evicts the least recently used entry: a hit on an old entry saves it', () => {
    const lru = filled(4);
    assert.equal(lru.get('k1'), 1); // k1 goes to the end
    lru.set('k5', 5, 1000);
    assert.equal(lru.size, 4);
    assert.equal(lru.evictions, 1);
    assert.equal(lru.get('k2'), undefined, 'k2 was the least recently used');
    assert.deepEqual(keys(lru, 5), ['k1', 'k3', 'k4', 'k5']);
  });

  it('does not reorder hits among the most recent quarter, and still evicts the oldest first', () => {
    const lru = filled(8);
    for (const k of ['k8', 'k7', 'k1']) lru.get(k); // k8 and k7 are recent: unmoved; k1 is old: moved
    lru.set('k9', 9, 1000);
    lru.set('k10', 10, 1000);
    assert.equal(lru.get('k2'), undefined);
    assert.equal(lru.get('k3'), undefined);
    assert.deepEqual(keys(lru, 10), ['k1', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k10']);
  });

  it('forgets an entry once it expires', () => {
    let now = 0;
    const lru = new LruCache<string, number>({ maxEntries: 10, clock: () => now });
    lru.set('a', 1, 100);
    now = 99;
    assert.equal(lru.get('a'), 1);
    now = 100;
    assert.equal(lru.get('a'), undefined);
    assert.equal(lru.size, 0);
  });

  it('never holds more than maxEntries, whatever the mix of hits and writes', () => {
    const lru = new LruCache<number, number>({ maxEntries: 100, clock: () => 0 });
    for (let i = 0; i < 10_000; i++) {
      lru.set(i % 700, i, 1000);
      lru.get((i * 7) % 700);
      assert.ok(lru.size <= 100);
    }
    assert.equal(lru.size, 100);
  });
});
