import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiKeyStart, crc32Hex, isWellFormedApiKey, newApiKeySecret } from '../../src/crypto/secret.js';

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

  it('are khk_, 32 random bytes as unpadded base64url, then the crc32b of all before it', () => {
    const s = newApiKeySecret();
    assert.equal(Buffer.from(s.slice(4, 47), 'base64url').length, 32);
    assert.equal(Buffer.from(s.slice(4, 47), 'base64url').toString('base64url'), s.slice(4, 47));
    assert.equal(s.slice(47), crc32Hex(s.slice(0, 47)));
    const body = 'khk_' + 'A'.repeat(42) + 'Q';
    assert.equal(crc32Hex(body), 'bbefd2f9', 'a fixed vector, checked with Python zlib.crc32: crc32b in lower-case hex');
    assert.ok(isWellFormedApiKey(body + 'bbefd2f9'));
    assert.equal(isWellFormedApiKey(body + 'BBEFD2F9'), false, 'upper-case checksum');
    for (const c of ['+', '/', '=', ' ']) {
      const odd = 'khk_' + 'A'.repeat(42) + c;
      assert.equal(isWellFormedApiKey(odd + crc32Hex(odd)), false, `${JSON.stringify(c)} is outside the URL-safe alphabet`);
    }
  });
});
