import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizePrivateKey, parsePrivateKey } from '../../src/crypto/ssh-key.js';
import { SPEC_EC, SPEC_ED25519, badKeys, expected, fixture, goodKeys } from '../helpers/keys.js';

describe('SSH private key parsing', () => {
  for (const name of goodKeys) {
    it(`${name}: fingerprint and public line equal ssh-keygen's`, () => {
      const parsed = parsePrivateKey(fixture(name));
      assert.ok(parsed, 'should parse');
      assert.equal(parsed.fingerprint, expected[name]!.fingerprint);
      assert.equal(parsed.publicKey, expected[name]!.public_key);
      assert.equal(parsed.type, expected[name]!.type);
    });
  }

  for (const name of badKeys) {
    it(`${name}: refused`, () => assert.equal(parsePrivateKey(fixture(name)), null));
  }

  it('matches the spec test vectors', () => {
    assert.equal(parsePrivateKey(SPEC_ED25519)?.fingerprint, 's5akqv/s5JSs32bDWWU21Ci5lWp3GB0nAzXnmOE57jI');
    assert.equal(parsePrivateKey(SPEC_ED25519)?.publicKey, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAgJCpQvphcCcGWiUQdSVAL8dEYNitI/ozSCbREld77C ');
    assert.equal(parsePrivateKey(SPEC_EC)?.fingerprint, 'UzQ5rDVxIZ8LurXJhm1UZ3jHloXYSDXuBGF1+I+Lz2M');
  });

  it('normalises to trimmed text plus one newline', () => {
    assert.equal(normalizePrivateKey('\n\t  abc \r\n\n\0'), 'abc\n');
    assert.equal(parsePrivateKey(`\n\n${SPEC_ED25519}\n\n\n`)?.normalized, SPEC_ED25519);
  });

  it('refuses literal \\n escapes, truncated keys, mismatched armour and garbage', () => {
    assert.equal(parsePrivateKey(SPEC_ED25519.replace(/\n/g, '\\n')), null);
    assert.equal(parsePrivateKey(SPEC_ED25519.slice(0, 200)), null);
    assert.equal(parsePrivateKey(SPEC_EC.replace('END EC', 'END RSA')), null);
    assert.equal(parsePrivateKey('-----BEGIN OPENSSH PRIVATE KEY-----\nxyz\n-----END OPENSSH PRIVATE KEY-----'), null);
    assert.equal(parsePrivateKey(''), null);
    assert.equal(parsePrivateKey('PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n'), null);
  });
});
