// A real sshd (TrustedUserCAKeys + AuthorizedPrincipalsFile) accepts keyhold's user certificates
// and refuses the ones it must: wrong principal, expired, wrong source address, another CA.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCertificate, certificateLine, DEFAULT_USER_EXTENSIONS, parseCertificate, type BuildCertificateOptions } from '../../src/ssh/certificate.ts';
import { signSsh } from '../../src/ssh/signature.ts';
import { SshWriter } from '../../src/ssh/wire.ts';
import { type Sshd, startSshd } from '../helpers/sshd.ts';
import { makeKey, tempDir, type KeyFiles } from './tools.ts';

describe('sshd accepts and refuses keyhold user certificates', () => {
  let sshd: Sshd;
  let dir: string;
  let cleanup: () => void;
  let ca: KeyFiles;
  let rsaCa: KeyFiles;
  let otherCa: KeyFiles;
  let user: KeyFiles;
  let ecdsaUser: KeyFiles;
  let n = 0;
  const now = () => Math.floor(Date.now() / 1000);

  /** Writes a certificate for `key` to its own file (not `<key>-cert.pub`, which ssh would load by itself). */
  const issue = (key: KeyFiles, over: Partial<BuildCertificateOptions> = {}) => {
    const blob = buildCertificate({
      subjectPublicBlob: key.publicBlob,
      type: 'user',
      serial: 1n,
      keyId: 'test',
      principals: ['ops'],
      validAfter: now() - 300,
      validBefore: now() + 3600,
      extensions: DEFAULT_USER_EXTENSIONS,
      ca: ca.signingKey,
      ...over,
    });
    const file = path.join(dir, `cert-${++n}.pub`);
    fs.writeFileSync(file, certificateLine(blob, 'test') + '\n');
    return file;
  };

  before(async () => {
    ({ dir, cleanup } = tempDir());
    ca = makeKey(dir, 'ca', 'ed25519');
    rsaCa = makeKey(dir, 'rsa-ca', 'rsa');
    otherCa = makeKey(dir, 'other-ca', 'ed25519');
    user = makeKey(dir, 'user', 'ed25519');
    ecdsaUser = makeKey(dir, 'ecdsa-user', 'ecdsa-256');
    fs.writeFileSync(path.join(dir, 'trusted-user-cas'), `${ca.pubLine}\n${rsaCa.pubLine}\n`);
    fs.mkdirSync(path.join(dir, 'principals'));
    fs.writeFileSync(path.join(dir, 'principals', 'root'), 'ops\nbackup\n');
    sshd = await startSshd({
      config: [`TrustedUserCAKeys ${path.join(dir, 'trusted-user-cas')}`, `AuthorizedPrincipalsFile ${path.join(dir, 'principals', '%u')}`],
    });
  });
  after(async () => {
    if (process.env.KEEP_SSHD_LOG && sshd) fs.writeFileSync(process.env.KEEP_SSHD_LOG, sshd.logs());
    await sshd?.stop();
    cleanup?.();
  });

  const login = async (cert: string, key = user, command = 'echo ok') => sshd.ssh({ identity: key.path, certificate: cert, command });
  /** Logs in, expects sshd to refuse, and answers what sshd logged about this attempt (once it logged the failure). */
  const refused = async (cert: string) => {
    const mark = sshd.logs().length;
    const r = await login(cert);
    assert.equal(r.code, 255, r.stderr);
    assert.match(r.stderr, /Permission denied/);
    assert.equal(r.stdout, '');
    return sshd.waitForLog(/Connection closed by authenticating user|Disconnected from authenticating user/, mark);
  };

  it('logs in with an Ed25519-CA certificate whose principal is in the principals file', async () => {
    const r = await login(issue(user));
    assert.equal(r.stdout, 'ok\n', `${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.code, 0);
  });

  it('logs in with an RSA-CA certificate (rsa-sha2-512) for an ECDSA key, matched by its second principal', async () => {
    const r = await login(issue(ecdsaUser, { ca: rsaCa.signingKey, principals: ['nobody-listed', 'backup'] }), ecdsaUser);
    assert.equal(r.stdout, 'ok\n', `${r.stderr}\n${sshd.logs()}`);
  });

  it('logs in with a certificate valid forever', async () => {
    const r = await login(issue(user, { validAfter: 0, validBefore: 'forever', serial: 0n }));
    assert.equal(r.stdout, 'ok\n', r.stderr);
  });

  it('refuses a principal that is not in the principals file', async () => {
    assert.match(await refused(issue(user, { principals: ['intruder'] })), /Certificate does not contain an authorized principal/);
  });

  it('refuses an expired certificate', async () => {
    assert.match(await refused(issue(user, { validAfter: now() - 7200, validBefore: now() - 3600 })), /Certificate invalid: expired/);
  });

  it('refuses a certificate that is not valid yet', async () => {
    assert.match(await refused(issue(user, { validAfter: now() + 3600, validBefore: now() + 7200 })), /Certificate invalid: not yet valid/);
  });

  it('refuses a certificate whose source-address excludes the client', async () => {
    assert.match(await refused(issue(user, { criticalOptions: { 'source-address': '10.9.9.9/32' } })), /not from a permitted source address/);
  });

  it('accepts a certificate whose source-address includes the client', async () => {
    const r = await login(issue(user, { criticalOptions: { 'source-address': '10.9.9.9/32,127.0.0.1/32' } }));
    assert.equal(r.stdout, 'ok\n', r.stderr);
  });

  it('refuses a certificate signed by a CA sshd does not trust', async () => {
    const log = await refused(issue(user, { ca: otherCa.signingKey }));
    assert.match(log, new RegExp(`Failed publickey for root .* ED25519-CERT .* CA ED25519 ${otherCa.fingerprint.replace(/[+/]/g, '\\$&')}`));
  });

  it('refuses a certificate an RSA CA signed with ssh-rsa (SHA-1), which is why keyhold signs with rsa-sha2-512', async () => {
    const good = parseCertificate(fs.readFileSync(issue(user, { ca: rsaCa.signingKey }), 'utf8'));
    const sha1 = new SshWriter()
      .raw(good.signedData)
      .string(signSsh(rsaCa.signingKey, good.signedData, 'ssh-rsa'))
      .bytes();
    assert.equal(parseCertificate(sha1).signatureAlgorithm, 'ssh-rsa');
    const file = path.join(dir, 'sha1-cert.pub');
    fs.writeFileSync(file, certificateLine(sha1) + '\n');
    assert.match(await refused(file), /certificate signature algorithm ssh-rsa: signature algorithm not supported/);
  });

  it('runs the force-command whatever the client asks for', async () => {
    const r = await login(issue(user, { criticalOptions: { 'force-command': 'echo forced' } }), user, 'echo asked-for');
    assert.equal(r.stdout, 'forced\n', r.stderr);
  });
});
