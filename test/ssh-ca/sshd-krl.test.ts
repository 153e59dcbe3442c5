// A real sshd with `RevokedKeys <keyhold's KRL>` refuses a revoked serial, a revoked key id and a
// revoked public key, while unrevoked certificates of the same CA still log in.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCertificate, certificateLine, DEFAULT_USER_EXTENSIONS } from '../../src/ssh/certificate.ts';
import { buildKrl } from '../../src/ssh/krl.ts';
import { type Sshd, startSshd } from '../helpers/sshd.ts';
import { makeKey, tempDir, type KeyFiles } from './tools.ts';

describe('sshd RevokedKeys with a keyhold KRL', () => {
  let sshd: Sshd;
  let dir: string;
  let cleanup: () => void;
  let ca: KeyFiles;
  let user: KeyFiles;
  let revokedKey: KeyFiles;
  let hashedKey: KeyFiles;
  let n = 0;

  const issue = (key: KeyFiles, serial: bigint, keyId = 'someone') => {
    const blob = buildCertificate({
      subjectPublicBlob: key.publicBlob,
      type: 'user',
      serial,
      keyId,
      principals: ['root'],
      validAfter: 0,
      validBefore: 'forever',
      extensions: DEFAULT_USER_EXTENSIONS,
      ca: ca.signingKey,
    });
    const file = path.join(dir, `cert-${++n}.pub`);
    fs.writeFileSync(file, certificateLine(blob) + '\n');
    return file;
  };

  before(async () => {
    ({ dir, cleanup } = tempDir());
    ca = makeKey(dir, 'ca', 'rsa');
    user = makeKey(dir, 'user');
    revokedKey = makeKey(dir, 'revoked-key', 'ecdsa-256');
    hashedKey = makeKey(dir, 'hashed-key');
    const krl = path.join(dir, 'revoked.krl');
    fs.writeFileSync(
      krl,
      buildKrl({
        version: 1n,
        generatedAt: Math.floor(Date.now() / 1000),
        cas: [{ caPublicBlob: ca.publicBlob, serials: [13n, 40n, 42n], serialRanges: [[1000n, 1999n]], keyIds: ['fired'] }],
        revokedKeys: [revokedKey.publicBlob],
        revokedSha256: [createHash('sha256').update(hashedKey.publicBlob).digest()],
      }),
    );
    fs.writeFileSync(path.join(dir, 'trusted-user-cas'), ca.pubLine + '\n');
    // No AuthorizedPrincipalsFile: sshd then wants the user name (root) among the certificate's principals.
    sshd = await startSshd({ config: [`TrustedUserCAKeys ${path.join(dir, 'trusted-user-cas')}`, `RevokedKeys ${krl}`] });
  });
  after(async () => {
    await sshd?.stop();
    cleanup?.();
  });

  const login = (cert: string, key = user) => sshd.ssh({ identity: key.path, certificate: cert });
  /** Expects sshd to refuse; answers what it logged. sshd logs "revoked by file" only for SSH_ERR_KEY_REVOKED, not for a KRL it cannot read (auth.c). */
  const refused = async (cert: string, key = user) => {
    const mark = sshd.logs().length;
    const r = await login(cert, key);
    assert.equal(r.code, 255, r.stderr);
    assert.match(r.stderr, /Permission denied/);
    return sshd.waitForLog(/Connection closed by authenticating user|Disconnected from authenticating user/, mark);
  };

  for (const serial of [12n, 14n, 41n, 999n, 2000n]) {
    it(`logs in with an unrevoked serial (${serial}) of the same CA`, async () => {
      const r = await login(issue(user, serial));
      assert.equal(r.stdout, 'ok\n', `${r.stderr}\n${sshd.logs()}`);
    });
  }

  for (const serial of [13n, 42n, 1000n, 1500n, 1999n]) {
    it(`refuses revoked serial ${serial}`, async () => {
      assert.match(await refused(issue(user, serial)), /Authentication key .* revoked by file /);
    });
  }

  it('refuses a revoked key id, whatever its serial', async () => {
    assert.match(await refused(issue(user, 0n, 'fired')), /Authentication key .* revoked by file /);
    assert.match(await refused(issue(user, 77n, 'fired')), /Authentication key .* revoked by file /);
  });

  it('refuses a certificate for an explicitly revoked public key', async () => {
    assert.match(await refused(issue(revokedKey, 5n), revokedKey), /Authentication key .* revoked by file /);
  });

  it('refuses a certificate for a key revoked by SHA-256 fingerprint', async () => {
    assert.match(await refused(issue(hashedKey, 6n), hashedKey), /Authentication key .* revoked by file /);
  });

  it('still logs in with an unrevoked key id and serial 0', async () => {
    const r = await login(issue(user, 0n, 'hired'));
    assert.equal(r.stdout, 'ok\n', r.stderr);
  });
});
