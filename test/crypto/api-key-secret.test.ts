import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiKeyStart, isWellFormedApiKey, newApiKeySecret } from '../../src/crypto/secret.js';

describe('CaaS API-key secrets', () => {
  it('have the documented shape and are unique', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const s = newApiKeySecret();
      assert.match(s, /^khk_[A-Za-z0-9_-]{43}[0-9a-f]{8}$/);
      assert.equal(s.length, 55);
      assert.ok(isWellFormedApiKey(s));
      assert.equal(apiKeyStart(s), s.slice(0, 12));
      seen.add(s);
    }
    assert.equal(seen.size, 500);
  });

  it('reject any single-character typo, truncation or extension without a lookup', () => {
    const s = newApiKeySecret();
    for (let i = 4; i < s.length; i++) {
      const c = s[i]!;
      const typo = s.slice(0, i) + (c === 'a' ? 'b' : 'a') + s.slice(i + 1);
      assert.equal(isWellFormedApiKey(typo), false, `typo at ${i}`);
    }
    assert.equal(isWellFormedApiKey(s.slice(0, -1)), false);
    assert.equal(isWellFormedApiKey(s + 'a'), false);
    assert.equal(isWellFormedApiKey(s.replace('khk_', 'khx_')), false);
    assert.equal(isWellFormedApiKey(''), false);
  });
});
