import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { describe, it } from 'node:test';
import { crc32Hex, digestsEqual, newTokenSecret, randomAlnum, sha256Hex, splitToken } from '../../src/crypto/secret.js';

describe('Coolify token secrets', () => {
  it('are 40 alphanumerics followed by their crc32b in hex', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = newTokenSecret();
      assert.match(s, /^[A-Za-z0-9]{40}[0-9a-f]{8}$/);
      assert.equal(s.slice(40), crc32(Buffer.from(s.slice(0, 40))).toString(16).padStart(8, '0'));
      seen.add(s);
    }
    assert.equal(seen.size, 200);
  });

  it('match the spec example digest and checksum', () => {
    // coolify-private-keys.md 2.1: the stored digest of the example token's secret part.
    assert.equal(sha256Hex('Xq3vK9LmT2pR7sYw4NbH8cJd1FgZ6aUe0oIiVtEy8e33d0ef'), '2507c507989931d947d1bf89eafa5c4c54bc44e10286f76e55e9be812e1c902c');
    assert.equal(crc32Hex('abc'), '352441c2');
  });

  it('draw every alphanumeric', () => {
    const chars = new Set(randomAlnum(20000));
    assert.equal(chars.size, 62);
  });

  it('split the way Sanctum does', () => {
    assert.deepEqual(splitToken('3|abc'), { id: 3, secret: 'abc' });
    assert.deepEqual(splitToken('abc'), { id: null, secret: 'abc' });
    assert.deepEqual(splitToken('3|a|b'), { id: 3, secret: 'a|b' });
    assert.equal(splitToken('x|abc'), null);
    assert.equal(splitToken('3|'), null);
    assert.equal(splitToken('|abc'), null);
    assert.equal(splitToken(''), null);
  });

  it('compare digests without shortcuts on length', () => {
    assert.equal(digestsEqual('ab', 'ab'), true);
    assert.equal(digestsEqual('ab', 'ac'), false);
    assert.equal(digestsEqual('ab', 'abc'), false);
  });
});
