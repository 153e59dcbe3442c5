// KRLs byte for byte against `ssh-keygen -k`: ssh-keygen writes a KRL from a revocation spec,
// parseKrl reads its version and date (ssh-keygen stamps the time of writing), and buildKrl with
// the same revocations writes the same bytes, whichever serial encodings (list, range, bitmap)
// krl.c's cost model picks. Then `ssh-keygen -Q` on keyhold's own KRL reports exactly the revoked
// certificates and keys as revoked.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCertificate, certificateLine } from '../../src/ssh/certificate.ts';
import { buildKrl, parseKrl, sha256FromFingerprint, type BuildKrlOptions, type KrlCa } from '../../src/ssh/krl.ts';
import { makeKey, sshKeygen, tempDir, type KeyFiles } from './tools.ts';

/** A small deterministic generator (mulberry32), so random serial sets are the same every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('KRLs byte for byte against ssh-keygen -k', () => {
  const { dir, cleanup } = tempDir();
  let ca: KeyFiles;
  let ca2: KeyFiles;
  let keys: KeyFiles[];
  let n = 0;
  before(() => {
    ca = makeKey(dir, 'ca');
    ca2 = makeKey(dir, 'ca2', 'rsa');
    keys = [makeKey(dir, 'k-ed25519'), makeKey(dir, 'k-rsa', 'rsa'), makeKey(dir, 'k-ecdsa', 'ecdsa-256'), makeKey(dir, 'k-ecdsa521', 'ecdsa-521')];
  });
  after(cleanup);

  /** Runs `ssh-keygen -k` (or `-k -u` onto an existing file) with a spec; answers the KRL's bytes. */
  function keygenKrl(spec: string[], args: string[], file = path.join(dir, `krl${++n}`)): { file: string; bytes: Buffer } {
    const specFile = path.join(dir, `spec${++n}`);
    fs.writeFileSync(specFile, spec.join('\n') + '\n');
    sshKeygen(['-q', '-k', '-f', file, ...args, specFile]);
    return { file, bytes: fs.readFileSync(file) };
  }

  /** ssh-keygen's KRL for `spec` against `ca`, and buildKrl's for the same revocations with its version and date. */
  function compare(spec: string[], mine: Omit<BuildKrlOptions, 'version' | 'generatedAt'>, args: string[] = ['-s', ca.pubPath, '-z', '3']) {
    const { bytes } = keygenKrl(spec, args);
    const theirs = parseKrl(bytes);
    const ours = buildKrl({ ...mine, version: theirs.version, generatedAt: theirs.generatedAt });
    assert.deepEqual(parseKrl(ours), theirs);
    assert.ok(ours.equals(bytes), `KRL bytes differ:\n ours ${ours.toString('hex')}\ntheirs ${bytes.toString('hex')}`);
    return theirs;
  }

  const serialsOnly = (serials: bigint[], ranges: [bigint, bigint][] = []): { spec: string[]; cas: KrlCa[] } => ({
    spec: [...serials.map((s) => `serial: ${s}`), ...ranges.map(([a, b]) => `serial: ${a}-${b}`)],
    cas: [{ caPublicBlob: ca.publicBlob, serials, serialRanges: ranges }],
  });
  const kinds = (krl: ReturnType<typeof parseKrl>) => krl.cas.flatMap((c) => c.serialSections.map((s) => s.kind));

  it('sparse serials: one serial list section', () => {
    const { spec, cas } = serialsOnly([1000000n, 1n, 2000000n, 77n]);
    const krl = compare(spec, { cas });
    assert.deepEqual(kinds(krl), ['list']);
    assert.equal(krl.version, 3n);
  });

  it('a long run: one serial range section', () => {
    const { spec, cas } = serialsOnly([], [[100n, 100000n]]);
    assert.deepEqual(kinds(compare(spec, { cas })), ['range']);
  });

  it('a dense cluster: one serial bitmap section', () => {
    const { spec, cas } = serialsOnly([10n, 11n, 13n, 15n, 16n, 20n, 23n]);
    const krl = compare(spec, { cas });
    assert.deepEqual(kinds(krl), ['bitmap']);
  });

  it('a mix that makes ssh-keygen use all three encodings, with key ids, keys and fingerprints, and a comment', () => {
    const serials = [5n, 7n, 300n, 302n, 304n, 5000n, 9000000n, 9000001n];
    const ranges: [bigint, bigint][] = [
      [100n, 200n],
      [1000n, 1002n],
    ];
    const fp = (k: KeyFiles) => sshKeygen(['-l', '-f', k.pubPath]).stdout.split(' ')[1]!;
    const spec = [
      ...serialsOnly(serials, ranges).spec,
      'id: zoë',
      'id: Bob',
      'id: alice',
      'id: alice',
      `key: ${keys[0]!.pubLine}`,
      `key: ${keys[1]!.pubLine}`,
      `key: ${keys[0]!.pubLine}`,
      `hash: ${fp(keys[2]!)}`,
      `sha256: ${keys[3]!.pubLine}`,
    ];
    const krl = compare(
      spec,
      {
        comment: 'keyhold test KRL',
        cas: [{ caPublicBlob: ca.publicBlob, serials, serialRanges: ranges, keyIds: ['alice', 'zoë', 'Bob'] }],
        revokedKeys: [keys[1]!.publicBlob, keys[0]!.publicBlob, keys[0]!.publicBlob],
        revokedSha256: [sha256FromFingerprint(fp(keys[2]!)), createHash('sha256').update(keys[3]!.publicBlob).digest()],
      },
      ['-s', ca.pubPath, '-z', '12', '-C', 'keyhold test KRL'],
    );
    assert.deepEqual(new Set(kinds(krl)), new Set(['list', 'range', 'bitmap']));
    assert.deepEqual(krl.cas[0]!.keyIds, ['Bob', 'alice', 'zoë']);
    assert.equal(krl.revokedKeys.length, 2);
    assert.equal(krl.revokedSha256.length, 2);
    assert.equal(krl.comment, 'keyhold test KRL');
  });

  it('overlapping and touching ranges are merged as krl.c merges them', () => {
    const { spec, cas } = serialsOnly(
      [3n, 11n, 21n],
      [
        [5n, 10n],
        [8n, 20n],
        [40n, 41n],
        [42n, 60n],
      ],
    );
    const krl = compare(spec, { cas });
    assert.deepEqual(
      krl.cas[0]!.serialRanges.map((r) => [r.lo, r.hi]),
      [
        [3n, 3n],
        [5n, 21n],
        [40n, 60n],
      ],
    );
  });

  it('serials at the top of the 64-bit range', () => {
    const top = 0xffffffffffffffffn;
    const { spec, cas } = serialsOnly([top, top - 2n, 1n], [[top - 1000n, top - 900n]]);
    compare(spec, { cas });
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`random serial set #${seed} (runs and gaps of every size)`, () => {
      const next = rng(seed);
      const serials: bigint[] = [];
      const ranges: [bigint, bigint][] = [];
      let at = 1n + BigInt(Math.floor(next() * 50));
      for (let i = 0; i < 60; i++) {
        const r = next();
        if (r < 0.15) {
          const len = BigInt(1 + Math.floor(next() * (next() < 0.3 ? 500 : 8)));
          ranges.push([at, at + len]);
          at += len;
        } else {
          serials.push(at);
        }
        at += 1n + BigInt(Math.floor(next() < 0.7 ? next() * 12 : next() * (next() < 0.5 ? 200 : 100000)));
      }
      const { spec, cas } = serialsOnly(serials, ranges);
      compare(spec, { cas });
    });
  }

  it('key ids for any CA (ssh-keygen -s none) are a section with an empty CA key', () => {
    const krl = compare(['id: everywhere', 'id: also'], { cas: [{ caPublicBlob: null, keyIds: ['everywhere', 'also'] }] }, ['-s', 'none']);
    assert.equal(krl.cas[0]!.caPublicBlob, null);
    assert.equal(krl.version, 0n);
  });

  it('two CAs (the second added by ssh-keygen -k -u), in the order they were added', () => {
    const first = keygenKrl(['serial: 9', 'id: one'], ['-s', ca.pubPath, '-z', '5']);
    const { bytes } = keygenKrl(['serial: 9-11', 'id: two'], ['-u', '-s', ca2.pubPath], first.file);
    const theirs = parseKrl(bytes);
    // -u keeps the version and the first date.
    assert.equal(theirs.version, 5n);
    assert.equal(theirs.generatedAt, parseKrl(first.bytes).generatedAt);
    const ours = buildKrl({
      version: 5n,
      generatedAt: theirs.generatedAt,
      cas: [
        { caPublicBlob: ca.publicBlob, serials: [9n], keyIds: ['one'] },
        { caPublicBlob: ca2.publicBlob, serialRanges: [[9n, 11n]], keyIds: ['two'] },
      ],
    });
    assert.ok(ours.equals(bytes));
  });

  it('keys only: explicit keys sorted by blob, fingerprints sorted by digest', () => {
    compare(
      keys.map((k) => `key: ${k.pubLine}`).concat(keys.map((k) => `sha256: ${k.pubLine}`)),
      { revokedKeys: [...keys].reverse().map((k) => k.publicBlob), revokedSha256: keys.map((k) => createHash('sha256').update(k.publicBlob).digest()) },
      ['-z', '1'],
    );
  });
});

describe('ssh-keygen -Q on a keyhold KRL', () => {
  const { dir, cleanup } = tempDir();
  after(cleanup);

  it('reports exactly the revoked serials, key ids and keys as revoked', () => {
    const ca = makeKey(dir, 'ca');
    const otherCa = makeKey(dir, 'other-ca');
    const plain = [makeKey(dir, 'revoked-explicit'), makeKey(dir, 'revoked-by-hash', 'ecdsa-384'), makeKey(dir, 'fine-key', 'rsa')];
    const subject = makeKey(dir, 'subject');
    const krlFile = path.join(dir, 'keyhold.krl');
    fs.writeFileSync(
      krlFile,
      buildKrl({
        version: 1n,
        generatedAt: 1700000000,
        comment: 'keyhold',
        cas: [
          { caPublicBlob: ca.publicBlob, serials: [5n, 300n, 302n, 304n, 99999n], serialRanges: [[100n, 200n]], keyIds: ['revoked-id'] },
          { caPublicBlob: null, keyIds: ['revoked-anywhere'] },
        ],
        revokedKeys: [plain[0]!.publicBlob],
        revokedSha256: [createHash('sha256').update(plain[1]!.publicBlob).digest()],
      }),
    );
    assert.deepEqual(new Set(parseKrl(fs.readFileSync(krlFile)).cas[0]!.serialSections.map((s) => s.kind)), new Set(['bitmap', 'range', 'list']));

    const cert = (name: string, serial: bigint, keyId = 'someone', signer = ca, key = subject) => {
      const file = path.join(dir, `${name}-cert.pub`);
      const blob = buildCertificate({
        subjectPublicBlob: key.publicBlob,
        type: 'user',
        serial,
        keyId,
        principals: ['u'],
        validAfter: 0,
        validBefore: 'forever',
        ca: signer.signingKey,
      });
      fs.writeFileSync(file, certificateLine(blob, name) + '\n');
      return file;
    };
    const expected: [string, boolean][] = [
      [cert('serial-5', 5n), true],
      [cert('serial-6', 6n), false],
      [cert('serial-100', 100n), true],
      [cert('serial-150', 150n), true],
      [cert('serial-200', 200n), true],
      [cert('serial-201', 201n), false],
      [cert('serial-99', 99n), false],
      [cert('serial-302', 302n), true],
      [cert('serial-303', 303n), false],
      [cert('serial-99999', 99999n), true],
      [cert('serial-0', 0n), false],
      [cert('id-revoked', 0n, 'revoked-id'), true],
      [cert('id-revoked-other-serial', 6n, 'revoked-id'), true],
      [cert('id-fine', 0n, 'fine-id'), false],
      [cert('other-ca-serial-5', 5n, 'someone', otherCa), false],
      [cert('other-ca-id-revoked', 0n, 'revoked-id', otherCa), false],
      [cert('other-ca-id-revoked-anywhere', 0n, 'revoked-anywhere', otherCa), true],
      [cert('cert-of-revoked-key', 6n, 'someone', ca, plain[0]), true],
      [cert('cert-of-revoked-hash', 6n, 'someone', ca, plain[1]), true],
      [plain[0]!.pubPath, true],
      [plain[1]!.pubPath, true],
      [plain[2]!.pubPath, false],
      [subject.pubPath, false],
    ];
    const res = sshKeygen(['-Q', '-f', krlFile, ...expected.map(([f]) => f)], { allowFail: true });
    assert.equal(res.status, 1, res.stderr);
    const lines = res.stdout.trim().split('\n');
    assert.equal(lines.length, expected.length, res.stdout);
    expected.forEach(([file, revoked], i) => {
      assert.ok(lines[i]!.startsWith(file), lines[i]);
      assert.ok(lines[i]!.endsWith(revoked ? ': REVOKED' : ': ok'), `${path.basename(file)} should be ${revoked ? 'revoked' : 'ok'}: ${lines[i]}`);
    });
  });
});
