import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DecryptionError, Keyring, open, privateKeyAad, seal } from '../../src/crypto/envelope.js';

// In the spirit of Vault's barrier tests: every way a ciphertext can be wrong must fail to open.
describe('AES-256-GCM envelope', () => {
  const key = randomBytes(32);
  const aad = privateKeyAad(1, 'abc');

  it('round-trips and never repeats a ciphertext for equal plaintexts', () => {
    const a = seal(key, Buffer.from('secret'), aad);
    const b = seal(key, Buffer.from('secret'), aad);
    assert.notDeepEqual(a, b);
    assert.equal(open(key, a, aad).toString(), 'secret');
    assert.equal(open(key, b, aad).toString(), 'secret');
    assert.equal(a.length, 1 + 12 + 6 + 16);
  });

  it('refuses a flipped byte anywhere', () => {
    const sealed = seal(key, Buffer.from('the private key text'), aad);
    for (let i = 1; i < sealed.length; i++) {
      const bad = Buffer.from(sealed);
      bad[i]! ^= 0x01;
      assert.throws(() => open(key, bad, aad), DecryptionError, `byte ${i}`);
    }
  });

  it('refuses a ciphertext moved to another record or opened with another key', () => {
    const sealed = seal(key, Buffer.from('x'), aad);
    assert.throws(() => open(key, sealed, privateKeyAad(2, 'abc')), DecryptionError);
    assert.throws(() => open(key, sealed, privateKeyAad(1, 'abd')), DecryptionError);
    assert.throws(() => open(randomBytes(32), sealed, aad), DecryptionError);
  });

  it('refuses truncated input, unknown formats and wrong key lengths', () => {
    const sealed = seal(key, Buffer.from('x'), aad);
    assert.throws(() => open(key, sealed.subarray(0, 20), aad), DecryptionError);
    const other = Buffer.from(sealed);
    other[0] = 9;
    assert.throws(() => open(key, other, aad), DecryptionError);
    for (const n of [0, 16, 24, 31, 33, 64]) {
      assert.throws(() => seal(randomBytes(n), Buffer.from('x'), aad), RangeError);
      assert.throws(() => open(randomBytes(n), sealed, aad), RangeError);
    }
  });
});

describe('Keyring', () => {
  it('encrypts with the newest version and decrypts any loaded one', () => {
    const ring = new Keyring();
    ring.add(1, randomBytes(32));
    const v1 = ring.encrypt('one', 'aad');
    ring.add(2, randomBytes(32));
    const v2 = ring.encrypt('two', 'aad');
    assert.deepEqual([v1.version, v2.version, ring.activeVersion], [1, 2, 2]);
    assert.equal(ring.decrypt(1, v1.ciphertext, 'aad'), 'one');
    assert.equal(ring.decrypt(2, v2.ciphertext, 'aad'), 'two');
    assert.throws(() => ring.decrypt(2, v1.ciphertext, 'aad'), DecryptionError);
    assert.throws(() => ring.decrypt(3, v1.ciphertext, 'aad'), /no data key of version 3/);
  });

  it('is unusable while empty', () => {
    assert.throws(() => new Keyring().encrypt('x', 'aad'), /empty/);
  });
});
