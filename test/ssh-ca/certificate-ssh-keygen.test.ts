// Certificates byte for byte against `ssh-keygen -s`: ssh-keygen signs, parseCertificate reads
// the fields it wrote, and buildCertificate given the same inputs (and ssh-keygen's nonce) writes
// the same bytes. Ed25519 and RSA PKCS#1 v1.5 signatures are deterministic, so the whole blob
// matches; ECDSA signatures are randomised, so for an ECDSA CA everything but the signature must.
// Then `ssh-keygen -L` on keyhold's own certificates shows exactly the fields asked for.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  buildCertificate,
  certificateLine,
  DEFAULT_USER_EXTENSIONS,
  FOREVER,
  parseCertificate,
  type CertificateFields,
  type ParsedCertificate,
} from '../../src/ssh/certificate.ts';
import { verifySsh } from '../../src/ssh/signature.ts';
import { makeKey, sshKeygen, tempDir, type KeyFiles, type KeySpec } from './tools.ts';

const SUBJECT_TYPES: KeySpec[] = ['ed25519', 'rsa', 'ecdsa-256', 'ecdsa-384', 'ecdsa-521'];
const CA_TYPES: KeySpec[] = ['ed25519', 'rsa', 'ecdsa-256'];
const T2024 = BigInt(Date.UTC(2024, 0, 1) / 1000);
const T2025 = BigInt(Date.UTC(2025, 0, 1) / 1000);

type Fields = Omit<CertificateFields, 'subjectPublicBlob' | 'nonce'>;

/** ssh-keygen -s arguments and the same certificate in keyhold's terms. */
interface Case {
  name: string;
  args: string[];
  fields: Fields;
}

const CASES: Case[] = [
  {
    name: 'user, default extensions, two principals, fixed validity',
    args: ['-I', 'alice@example', '-n', 'alice,deploy', '-V', '20240101:20250101', '-z', '42'],
    fields: {
      type: 'user',
      serial: 42n,
      keyId: 'alice@example',
      principals: ['alice', 'deploy'],
      validAfter: T2024,
      validBefore: T2025,
      extensions: DEFAULT_USER_EXTENSIONS,
    },
  },
  {
    name: 'user, -O clear with force-command and source-address',
    args: [
      '-I',
      'batch',
      '-n',
      'backup',
      '-V',
      '20240101:20250101',
      '-z',
      '7',
      '-O',
      'clear',
      '-O',
      'source-address=10.0.0.0/8,127.0.0.1/32',
      '-O',
      'force-command=/usr/bin/rsync --server',
    ],
    fields: {
      type: 'user',
      serial: 7n,
      keyId: 'batch',
      principals: ['backup'],
      validAfter: T2024,
      validBefore: T2025,
      criticalOptions: { 'source-address': '10.0.0.0/8,127.0.0.1/32', 'force-command': '/usr/bin/rsync --server' },
      extensions: [],
    },
  },
  {
    name: 'user, no-pty and no-x11-forwarding, valid forever, no principals',
    args: ['-I', 'wide open', '-O', 'no-pty', '-O', 'no-x11-forwarding', '-z', '18446744073709551615'],
    fields: {
      type: 'user',
      serial: FOREVER,
      keyId: 'wide open',
      principals: [],
      validAfter: 0,
      validBefore: 'forever',
      extensions: ['permit-user-rc', 'permit-port-forwarding', 'permit-agent-forwarding'],
    },
  },
  {
    name: 'user, -O clear, permit-pty and a valued custom extension, valid after a date',
    args: ['-I', 'gh', '-n', 'git', '-V', '20240101:forever', '-O', 'clear', '-O', 'permit-pty', '-O', 'extension:login@github.com=octocat'],
    fields: {
      type: 'user',
      serial: 0n,
      keyId: 'gh',
      principals: ['git'],
      validAfter: T2024,
      validBefore: 'forever',
      extensions: { 'login@github.com': 'octocat', 'permit-pty': null },
    },
  },
  {
    name: 'host, two principals, always to a date',
    args: ['-h', '-I', 'web-1', '-n', 'web-1.example.com,10.1.2.3', '-V', 'always:20250101', '-z', '1000'],
    fields: { type: 'host', serial: 1000n, keyId: 'web-1', principals: ['web-1.example.com', '10.1.2.3'], validAfter: 0, validBefore: T2025 },
  },
];

describe('certificates byte for byte against ssh-keygen -s', () => {
  const { dir, cleanup } = tempDir();
  const cas = new Map<KeySpec, KeyFiles>();
  const subjects = new Map<KeySpec, KeyFiles>();
  let n = 0;
  before(() => {
    for (const t of CA_TYPES) cas.set(t, makeKey(dir, `ca-${t}`, t));
    for (const t of SUBJECT_TYPES) subjects.set(t, makeKey(dir, `subject-${t}`, t, `subject ${t}`));
  });
  after(cleanup);

  /** Signs a copy of the subject's .pub with ssh-keygen and answers the parsed certificate. */
  function keygenSign(ca: KeyFiles, subject: KeyFiles, args: string[]): ParsedCertificate {
    const pub = path.join(dir, `s${++n}.pub`);
    fs.copyFileSync(subject.pubPath, pub);
    sshKeygen(['-q', '-s', ca.path, ...args, pub]);
    return parseCertificate(fs.readFileSync(path.join(dir, `s${n}-cert.pub`), 'utf8'));
  }

  const check = (caType: KeySpec, subjectType: KeySpec, c: Case) => {
    const ca = cas.get(caType)!;
    const subject = subjects.get(subjectType)!;
    const theirs = keygenSign(ca, subject, c.args);
    // What ssh-keygen wrote is what the case says.
    assert.equal(theirs.type, c.fields.type);
    assert.equal(theirs.serial, c.fields.serial);
    assert.equal(theirs.keyId, c.fields.keyId);
    assert.deepEqual(theirs.principals, c.fields.principals);
    assert.equal(theirs.validAfter, BigInt(c.fields.validAfter));
    assert.equal(theirs.validBefore, c.fields.validBefore === 'forever' ? FOREVER : BigInt(c.fields.validBefore));
    assert.deepEqual(theirs.criticalOptions, c.fields.criticalOptions ?? {});
    assert.deepEqual(new Set(theirs.extensions), new Set(Array.isArray(c.fields.extensions) ? c.fields.extensions : Object.keys(c.fields.extensions ?? {})));
    assert.deepEqual(theirs.subjectPublicBlob, subject.publicBlob);
    assert.deepEqual(theirs.caPublicBlob, ca.publicBlob);
    assert.equal(theirs.nonce.length, 32);
    assert.equal(theirs.comment, `subject ${subjectType}`);
    if (caType === 'rsa') assert.equal(theirs.signatureAlgorithm, 'rsa-sha2-512');

    const ours = buildCertificate({ ...c.fields, subjectPublicBlob: subject.publicBlob, nonce: theirs.nonce, ca: ca.signingKey });
    if (caType.startsWith('ecdsa')) {
      const mine = parseCertificate(ours);
      assert.deepEqual(mine.signedData, theirs.signedData);
      assert.ok(verifySsh(ca.publicBlob, theirs.signedData, mine.signature));
      // ssh-keygen checks the CA signature when it loads a certificate (sshkey.c cert_parse).
      const file = path.join(dir, `ours${n}-cert.pub`);
      fs.writeFileSync(file, certificateLine(ours) + '\n');
      assert.match(sshKeygen(['-L', '-f', file]).stdout, /Signing CA: ECDSA .* \(using ecdsa-sha2-nistp256\)/);
    } else {
      assert.deepEqual(ours, theirs.blob);
    }
  };

  for (const caType of CA_TYPES) {
    for (const subjectType of SUBJECT_TYPES) {
      it(`${CASES[0]!.name}: ${subjectType} key, ${caType} CA`, () => check(caType, subjectType, CASES[0]!));
    }
  }
  for (const c of CASES.slice(1)) {
    for (const [caType, subjectType] of [
      ['ed25519', 'ed25519'],
      ['rsa', 'ecdsa-384'],
      ['ecdsa-256', 'rsa'],
    ] as const) {
      it(`${c.name}: ${subjectType} key, ${caType} CA`, () => check(caType, subjectType, c));
    }
  }
});

describe('ssh-keygen -L on keyhold certificates', () => {
  const { dir, cleanup } = tempDir();
  let ca: KeyFiles;
  let rsaCa: KeyFiles;
  let user: KeyFiles;
  let rsaUser: KeyFiles;
  before(() => {
    ca = makeKey(dir, 'ca');
    rsaCa = makeKey(dir, 'rsa-ca', 'rsa');
    user = makeKey(dir, 'user');
    rsaUser = makeKey(dir, 'rsa-user', 'rsa');
  });
  after(cleanup);

  const show = (blob: Buffer) => {
    const file = path.join(dir, 'shown-cert.pub');
    fs.writeFileSync(file, certificateLine(blob, 'shown') + '\n');
    return sshKeygen(['-L', '-f', file]).stdout.replace(`${file}:\n`, '');
  };

  it('shows the key id, serial, principals, validity, critical options and extensions of a user certificate', () => {
    const blob = buildCertificate({
      subjectPublicBlob: user.publicBlob,
      type: 'user',
      serial: 123456789n,
      keyId: 'carol laptop',
      principals: ['carol', 'admins'],
      validAfter: T2024,
      validBefore: T2025,
      criticalOptions: { 'source-address': '192.0.2.0/24', 'force-command': 'uptime' },
      extensions: ['permit-pty', 'permit-agent-forwarding'],
      ca: ca.signingKey,
    });
    assert.equal(
      show(blob),
      [
        '        Type: ssh-ed25519-cert-v01@openssh.com user certificate',
        `        Public key: ED25519-CERT ${user.fingerprint}`,
        `        Signing CA: ED25519 ${ca.fingerprint} (using ssh-ed25519)`,
        '        Key ID: "carol laptop"',
        '        Serial: 123456789',
        '        Valid: from 2024-01-01T00:00:00 to 2025-01-01T00:00:00',
        '        Principals: ',
        '                carol',
        '                admins',
        '        Critical Options: ',
        '                force-command uptime',
        '                source-address 192.0.2.0/24',
        '        Extensions: ',
        '                permit-agent-forwarding',
        '                permit-pty',
        '',
      ].join('\n'),
    );
  });

  it('shows a host certificate from an RSA CA signed with rsa-sha2-512, valid forever, with no options', () => {
    const blob = buildCertificate({
      subjectPublicBlob: rsaUser.publicBlob,
      type: 'host',
      serial: 0n,
      keyId: '',
      principals: ['db.internal'],
      validAfter: 0,
      validBefore: 'forever',
      ca: rsaCa.signingKey,
    });
    assert.equal(
      show(blob),
      [
        '        Type: ssh-rsa-cert-v01@openssh.com host certificate',
        `        Public key: RSA-CERT ${rsaUser.fingerprint}`,
        `        Signing CA: RSA ${rsaCa.fingerprint} (using rsa-sha2-512)`,
        '        Key ID: ""',
        '        Serial: 0',
        '        Valid: forever',
        '        Principals: ',
        '                db.internal',
        '        Critical Options: (none)',
        '        Extensions: (none)',
        '',
      ].join('\n'),
    );
  });

  it('shows "after" and "before" validities and "(none)" for an empty principal list', () => {
    const base = { subjectPublicBlob: user.publicBlob, type: 'user' as const, serial: 1n, keyId: 'k', principals: [], ca: ca.signingKey };
    const after = show(buildCertificate({ ...base, validAfter: T2024, validBefore: 'forever' }));
    assert.match(after, /^ {8}Valid: after 2024-01-01T00:00:00$/m);
    assert.match(after, /^ {8}Principals: \(none\)$/m);
    assert.match(after, /^ {8}Extensions: \(none\)$/m);
    assert.match(show(buildCertificate({ ...base, validAfter: 0, validBefore: T2025 })), /^ {8}Valid: before 2025-01-01T00:00:00$/m);
  });
});
