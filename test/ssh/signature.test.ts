import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { blobType, fingerprintOf, SSH_AGENT_RSA_SHA2_256, SSH_AGENT_RSA_SHA2_512, signatureAlgorithm, signSsh, verifySsh } from '../../src/ssh/signature.js';
import { SshReader, SshWriter } from '../../src/ssh/wire.js';
import { makeKey, removeDir, tempDir, type TestKey } from '../helpers/ssh-keys.js';

/** signature.ts against keys ssh-keygen made: blobs, fingerprints, the agent's RSA rule, ECDSA mpints. */
describe('SSH signatures', () => {
  let dir: string;
  let ed: TestKey;
  let rsa: TestKey;
  let ec: TestKey;
  before(() => {
    dir = tempDir();
    ed = makeKey(dir, 'ed25519');
    rsa = makeKey(dir, 'rsa');
    ec = makeKey(dir, 'ecdsa');
  });
  after(() => removeDir(dir));

  it('loads each key type with the public blob and fingerprint ssh-keygen gives', () => {
    for (const k of [ed, rsa, ec, makeKey(dir, 'ecdsa384'), makeKey(dir, 'ecdsa521')]) {
      assert.deepEqual(k.signing.publicBlob, k.blob);
      assert.equal(k.signing.type, k.publicLine.split(' ')[0]);
      assert.equal(blobType(k.blob), k.signing.type);
      assert.equal(fingerprintOf(k.blob), k.fingerprint);
    }
  });

  it('picks the RSA algorithm from the flags as ssh-agent.c agent_decode_alg does: 256 before 512', () => {
    assert.equal(signatureAlgorithm('ssh-rsa', 0), 'ssh-rsa');
    assert.equal(signatureAlgorithm('ssh-rsa', SSH_AGENT_RSA_SHA2_256), 'rsa-sha2-256');
    assert.equal(signatureAlgorithm('ssh-rsa', SSH_AGENT_RSA_SHA2_512), 'rsa-sha2-512');
    assert.equal(signatureAlgorithm('ssh-rsa', SSH_AGENT_RSA_SHA2_256 | SSH_AGENT_RSA_SHA2_512), 'rsa-sha2-256');
    assert.equal(signatureAlgorithm('ssh-ed25519', SSH_AGENT_RSA_SHA2_512), 'ssh-ed25519');
    assert.equal(signatureAlgorithm('ecdsa-sha2-nistp256', SSH_AGENT_RSA_SHA2_256), 'ecdsa-sha2-nistp256');
  });

  it('signs and verifies with every RSA algorithm, naming it in the blob', () => {
    const data = Buffer.from('hello');
    for (const alg of ['ssh-rsa', 'rsa-sha2-256', 'rsa-sha2-512']) {
      const blob = signSsh(rsa.signing, data, alg);
      assert.equal(new SshReader(blob).text(), alg);
      assert.ok(verifySsh(rsa.blob, data, blob));
      assert.ok(!verifySsh(rsa.blob, Buffer.from('hellO'), blob));
    }
    assert.throws(() => signSsh(rsa.signing, data, 'ssh-ed25519'), /cannot sign with ssh-ed25519/);
  });

  it('refuses an algorithm that is not the key type for Ed25519 and ECDSA keys', () => {
    assert.throws(() => signSsh(ed.signing, Buffer.from('x'), 'rsa-sha2-256'), /cannot sign with rsa-sha2-256/);
    assert.throws(() => signSsh(ec.signing, Buffer.from('x'), 'ssh-ed25519'), /cannot sign with ssh-ed25519/);
  });

  it('verifySsh refuses a blob with trailing bytes, a truncated one, a wrong algorithm name, or another key', () => {
    const data = Buffer.from('data');
    const good = signSsh(ed.signing, data);
    assert.ok(verifySsh(ed.blob, data, good));
    assert.ok(!verifySsh(ed.blob, data, Buffer.concat([good, Buffer.from([0])])));
    assert.ok(!verifySsh(ed.blob, data, good.subarray(0, good.length - 1)));
    const sig = new SshReader(good);
    sig.text();
    const renamed = new SshWriter().string('ssh-rsa').string(sig.string()).bytes();
    assert.ok(!verifySsh(ed.blob, data, renamed));
    assert.ok(!verifySsh(makeKey(dir, 'ed25519', 'other').blob, data, good));
  });

  it('writes ECDSA r and s as minimal mpints (a zero byte before a top bit, no other leading zero)', () => {
    let sawHighBit = false;
    let sawShort = false;
    for (let i = 0; i < 3000 && !(sawHighBit && sawShort); i++) {
      const data = Buffer.from(`message ${i}`);
      const blob = signSsh(ec.signing, data);
      assert.ok(verifySsh(ec.blob, data, blob));
      const outer = new SshReader(blob);
      assert.equal(outer.text(), 'ecdsa-sha2-nistp256');
      const inner = new SshReader(outer.string());
      for (const raw of [inner.string(), inner.string()]) {
        assert.ok(raw.length > 0 && raw.length <= 33);
        if (raw[0] === 0) {
          // The sign byte, only ever before a top bit.
          assert.ok(raw[1]! & 0x80);
          if (raw.length === 33) sawHighBit = true;
        } else {
          assert.equal(raw[0]! & 0x80, 0);
        }
        if (raw.length < 32) sawShort = true;
      }
      inner.end();
    }
    assert.ok(sawHighBit, 'no component with the top bit set in 3000 signatures');
    assert.ok(sawShort, 'no component shorter than 32 bytes in 3000 signatures');
  });
});
