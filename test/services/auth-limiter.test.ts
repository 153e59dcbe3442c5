import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthLimiter } from '../../src/services/auth-limiter.js';

describe('AuthLimiter', () => {
  it('counts N failures of an address, then answers the wait until its window ends', () => {
    let now = 0;
    const l = new AuthLimiter({ maxFailures: 3, windowMs: 60_000, clock: () => now });
    for (let i = 0; i < 3; i++) assert.equal(l.failed('1.2.3.4'), 0, `failure ${i + 1} is within the budget`);
    assert.equal(l.failed('1.2.3.4'), 60, 'the fourth is over it');
    assert.equal(l.failed('5.6.7.8'), 0, 'other addresses are unaffected');
    now = 59_001;
    assert.equal(l.failed('1.2.3.4'), 1);
    now = 60_000;
    assert.equal(l.failed('1.2.3.4'), 0, 'a new window starts clean');
  });

  it('is off at zero and bounded in memory', () => {
    const off = new AuthLimiter({ maxFailures: 0, windowMs: 1000, clock: () => 0 });
    for (let i = 0; i < 100; i++) assert.equal(off.failed('x'), 0);
    const small = new AuthLimiter({ maxFailures: 1, windowMs: 1000, maxAddresses: 2, clock: () => 0 });
    small.failed('a');
    small.failed('b');
    small.failed('c');
    assert.equal(small.failed('a'), 0, 'oldest address forgotten');
    assert.equal(small.failed('c'), 1);
  });
});
