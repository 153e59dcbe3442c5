// parseCertificate and parseKrl refuse garbage, truncated, padded and tampered input with a
// WireError (never another exception, never a wrong answer); the builders refuse inputs OpenSSH
// would refuse.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { buildCertificate, certificateLine, parseCertificate, type BuildCertificateOptions } from '../../src/ssh/certificate.ts';
import { buildKrl, KRL_SECTION_SIGNATURE, parseKrl } from '../../src/ssh/krl.ts';
import { signSsh } from '../../src/ssh/signature.ts';
import { SshReader, SshWriter, WireError } from '../../src/ssh/wire.ts';
import { makeKey, tempDir, type KeyFiles } from './tools.ts';

const isWireError = (e: unknown) => e instanceof WireError;

/** A KRL header (format 1, version 1, date 0, no flags, no comment) followed by `sections`. */
function krlWith(...sections: [number, Buffer][]): Buffer {
  const w = new SshWriter().raw(Buffer.from('SSHKRL\n\0', 'latin1')).uint32(1).uint64(1n).uint64(0n).uint64(0n).string('').string('');
  for (const [type, data] of sections) w.byte(type).string(data);
  return w.bytes();
}

describe('parsers refuse bad input cleanly', () => {
  const { dir, cleanup } = tempDir();
  let ca: KeyFiles;
  let subject: KeyFiles;
  let cert: Buffer;
  let base: BuildCertificateOptions;
  before(() => {
    ca = makeKey(dir, 'ca');
    subject = makeKey(dir, 'subject', 'rsa');
    base = {
      subjectPublicBlob: subject.publicBlob,
      type: 'user',
      serial: 9n,
      keyId: 'k',
      principals: ['a', 'b'],
      validAfter: 0,
      validBefore: 'forever',
      criticalOptions: { 'force-command': 'true' },
      extensions: ['permit-pty'],
      ca: ca.signingKey,
    };
    cert = buildCertificate(base);
  });
  after(cleanup);

  it('a certificate round-trips through parseCertificate', () => {
    const p = parseCertificate(certificateLine(cert, 'with a comment'));
    assert.equal(p.comment, 'with a comment');
    assert.deepEqual(p.principals, ['a', 'b']);
    assert.deepEqual(p.criticalOptions, { 'force-command': 'true' });
    assert.deepEqual(p.extensions, ['permit-pty']);
    assert.deepEqual(p.blob, cert);
  });

  it('every truncation of a certificate is a WireError', () => {
    for (let len = 0; len < cert.length; len++) assert.throws(() => parseCertificate(cert.subarray(0, len)), isWireError, `length ${len}`);
  });

  it('a trailing byte is a WireError', () => {
    assert.throws(() => parseCertificate(Buffer.concat([cert, Buffer.from([0])])), isWireError);
  });

  it('flipping any bit of any byte is a WireError (layout, key or signature)', () => {
    for (let i = 0; i < cert.length; i++) {
      const bad = Buffer.from(cert);
      bad[i]! ^= 1 << (i % 8);
      assert.throws(() => parseCertificate(bad), isWireError, `byte ${i}`);
    }
  });

  it('random bytes and malformed lines are WireErrors', () => {
    for (let i = 0; i < 300; i++) assert.throws(() => parseCertificate(randomBytes(i % 64)), isWireError);
    for (const line of [
      '',
      'garbage',
      'ssh-ed25519-cert-v01@openssh.com',
      'ssh-ed25519-cert-v01@openssh.com !!!!',
      `ssh-ed25519-cert-v01@openssh.com ${cert.toString('base64')}`,
    ]) {
      assert.throws(() => parseCertificate(line), isWireError, line);
    }
  });

  /** The certificate's fields up to the CA key, so tests can splice in a bad tail. */
  const upToCa = (blob: Buffer) => {
    const r = new SshReader(blob);
    r.text();
    r.string();
    r.mpint();
    r.mpint();
    r.uint64();
    r.uint32();
    r.string();
    r.string();
    r.uint64();
    r.uint64();
    r.string();
    r.string();
    r.string();
    return blob.subarray(0, blob.length - r.remaining);
  };

  it('a certificate as the CA key (a chained certificate) is a WireError', () => {
    const chained = new SshWriter()
      .raw(upToCa(cert))
      .string(cert)
      .string(signSsh(ca.signingKey, Buffer.from('x')))
      .bytes();
    assert.throws(() => parseCertificate(chained), /unsupported public key type ssh-rsa-cert-v01@openssh.com/);
  });

  it('a signature by another key is a WireError', () => {
    const other = makeKey(dir, 'other');
    const body = upToCa(cert);
    const forged = new SshWriter().raw(body).string(ca.publicBlob).bytes();
    assert.throws(() => parseCertificate(new SshWriter().raw(forged).string(signSsh(other.signingKey, forged)).bytes()), /does not verify/);
    // …and the same bytes signed by the CA parse.
    assert.equal(parseCertificate(new SshWriter().raw(forged).string(signSsh(ca.signingKey, forged)).bytes()).serial, 9n);
  });

  it('the builder refuses what ssh-keygen refuses', () => {
    assert.throws(() => buildCertificate({ ...base, principals: ['ok', ''] }), /empty principal/);
    assert.throws(() => buildCertificate({ ...base, keyId: 'a\0b' }), /NUL/);
    assert.throws(() => buildCertificate({ ...base, validAfter: 100, validBefore: 100 }), RangeError);
    assert.throws(() => buildCertificate({ ...base, validAfter: -1 }), RangeError);
    assert.throws(() => buildCertificate({ ...base, validAfter: 1.5 }), RangeError);
    assert.throws(() => buildCertificate({ ...base, serial: -1n }), RangeError);
    assert.throws(() => buildCertificate({ ...base, serial: 1n << 64n }), RangeError);
    assert.throws(() => buildCertificate({ ...base, principals: Array.from({ length: 257 }, (_, i) => `p${i}`) }), /more than 256/);
    assert.throws(() => buildCertificate({ ...base, subjectPublicBlob: cert }), /unsupported public key type/);
    assert.throws(() => buildCertificate({ ...base, subjectPublicBlob: subject.publicBlob.subarray(0, 20) }), isWireError);
    assert.throws(() => certificateLine(cert, 'two\nlines'), isWireError);
  });

  it('every truncation of a KRL is a WireError unless it ends on a section boundary', () => {
    const krl = buildKrl({
      version: 2n,
      generatedAt: 1700000000,
      comment: 'c',
      cas: [{ caPublicBlob: ca.publicBlob, serials: [1n, 3n, 900n, 100000n], serialRanges: [[5000n, 9000n]], keyIds: ['x', 'y'] }],
      revokedKeys: [subject.publicBlob],
      revokedSha256: [Buffer.alloc(32, 7)],
    });
    // Section boundaries: the end of the header and of each top-level section.
    const boundaries = new Set<number>();
    const r = new SshReader(krl.subarray(8));
    r.uint32();
    r.uint64();
    r.uint64();
    r.uint64();
    r.string();
    r.string();
    boundaries.add(krl.length - r.remaining);
    while (r.remaining > 0) {
      r.byte();
      r.string();
      boundaries.add(krl.length - r.remaining);
    }
    assert.equal(boundaries.size, 4);
    for (let len = 0; len <= krl.length; len++) {
      if (boundaries.has(len)) assert.doesNotThrow(() => parseKrl(krl.subarray(0, len)), `length ${len}`);
      else assert.throws(() => parseKrl(krl.subarray(0, len)), isWireError, `length ${len}`);
    }
    assert.throws(() => parseKrl(Buffer.concat([krl, Buffer.from([1])])), isWireError);
  });

  it('random bytes, with or without the magic, are WireErrors', () => {
    for (let i = 0; i < 300; i++) {
      assert.throws(() => parseKrl(randomBytes(i % 80)), isWireError);
      const withMagic = Buffer.concat([Buffer.from('SSHKRL\n\0', 'latin1'), randomBytes(i % 80)]);
      try {
        parseKrl(withMagic);
      } catch (e) {
        assert.ok(isWireError(e), String(e));
      }
    }
  });

  it('refuses what krl.c refuses', () => {
    const caSection = (...subs: [number, Buffer][]) => {
      const w = new SshWriter().string(ca.publicBlob).string('');
      for (const [t, d] of subs) w.byte(t).string(d);
      return w.bytes();
    };
    const u64 = (...v: bigint[]) => v.reduce((w, x) => w.uint64(x), new SshWriter()).bytes();
    assert.throws(() => parseKrl(Buffer.concat([Buffer.from('SSHKRL\n\x01', 'latin1'), krlWith().subarray(8)])), /bad magic/);
    const v2 = krlWith();
    v2.writeUInt32BE(2, 8);
    assert.throws(() => parseKrl(v2), /format version 2/);
    assert.throws(() => parseKrl(krlWith([9, Buffer.alloc(0)])), /unsupported KRL section 9/);
    assert.throws(() => parseKrl(krlWith([1, caSection([0x24, Buffer.alloc(0)])])), /unsupported KRL certificate section/);
    assert.throws(() => parseKrl(krlWith([1, caSection([0x20, u64(5n, 0n)])])), /serial 0/);
    assert.throws(() => parseKrl(krlWith([1, caSection([0x21, u64(9n, 5n)])])), /range/);
    assert.throws(() => parseKrl(krlWith([1, caSection([0x21, u64(1n, 5n, 6n)])])), /trailing/);
    assert.throws(
      () =>
        parseKrl(
          krlWith([
            1,
            caSection([
              0x22,
              new SshWriter()
                .uint64(0n)
                .mpint(Buffer.from([3]))
                .bytes(),
            ]),
          ]),
        ),
      /serial 0/,
    );
    assert.throws(() => parseKrl(krlWith([1, caSection([0x20, Buffer.alloc(7)])])), /truncated/);
    assert.throws(() => parseKrl(krlWith([5, new SshWriter().string(Buffer.alloc(31)).bytes()])), /not 32 bytes/);
    assert.throws(() => parseKrl(krlWith([3, new SshWriter().string(Buffer.alloc(32)).bytes()])), /not 20 bytes/);
    assert.throws(() => parseKrl(krlWith([1, new SshWriter().string(cert).string('').bytes()])), /unsupported public key type/);
    // A bitmap section with offset 10 and bits 0b101 revokes 10 and 12.
    const parsed = parseKrl(
      krlWith([
        1,
        caSection([
          0x22,
          new SshWriter()
            .uint64(10n)
            .mpint(Buffer.from([5]))
            .bytes(),
        ]),
      ]),
    );
    assert.deepEqual(
      parsed.cas[0]!.serialRanges.map((x) => [x.lo, x.hi]),
      [
        [10n, 10n],
        [12n, 12n],
      ],
    );
  });

  it('checks KRL signatures, and refuses sections after one', () => {
    const unsigned = buildKrl({ version: 1n, generatedAt: 1, cas: [{ caPublicBlob: ca.publicBlob, serials: [4n] }] });
    const toSign = new SshWriter().raw(unsigned).byte(KRL_SECTION_SIGNATURE).string(ca.publicBlob).bytes();
    const signed = new SshWriter().raw(toSign).string(signSsh(ca.signingKey, toSign)).bytes();
    assert.equal(parseKrl(signed).signatures.length, 1);
    const tampered = Buffer.from(signed);
    tampered[unsigned.length - 1]! ^= 1;
    assert.throws(() => parseKrl(tampered), isWireError);
    const after = new SshWriter()
      .raw(signed)
      .byte(5)
      .string(new SshWriter().string(Buffer.alloc(32)).bytes())
      .bytes();
    assert.throws(() => parseKrl(after), /after a signature/);
  });

  it('the KRL builder refuses what ssh-keygen refuses', () => {
    const b = (over: object) => () => buildKrl({ version: 1n, generatedAt: 0, ...over });
    assert.throws(b({ cas: [{ caPublicBlob: ca.publicBlob, serials: [0n] }] }), RangeError);
    assert.throws(b({ cas: [{ caPublicBlob: ca.publicBlob, serialRanges: [[5n, 4n]] }] }), RangeError);
    assert.throws(b({ cas: [{ caPublicBlob: ca.publicBlob, serials: [1n << 64n] }] }), RangeError);
    assert.throws(b({ cas: [{ caPublicBlob: cert, serials: [1n] }] }), isWireError);
    assert.throws(b({ revokedKeys: [cert] }), isWireError);
    assert.throws(b({ revokedSha256: [Buffer.alloc(20)] }), isWireError);
    assert.throws(b({ cas: [{ caPublicBlob: ca.publicBlob, keyIds: ['a\0'] }] }), /NUL/);
  });
});
