// A real ssh client trusts an sshd whose HostCertificate keyhold signed, knowing nothing but the
// CA (`@cert-authority` in known_hosts, StrictHostKeyChecking yes), and refuses one from another CA.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCertificate, certificateLine, DEFAULT_USER_EXTENSIONS } from '../../src/ssh/certificate.ts';
import { parsePublicKeyLine } from '../../src/ssh/public-key.ts';
import { type Sshd, startSshd } from '../helpers/sshd.ts';
import { makeKey, tempDir, type KeyFiles } from './tools.ts';

const ALIAS = 'keyhold-test-host';

describe('ssh trusts host certificates from keyhold through @cert-authority', () => {
  let work: { dir: string; userCa: KeyFiles; hostCa: KeyFiles; otherCa: KeyFiles; user: KeyFiles; userCert: string; knownHosts: string };
  const servers: Sshd[] = [];
  let cleanup: (() => void) | undefined;
  const now = () => Math.floor(Date.now() / 1000);

  /** An sshd whose Ed25519 host key carries a host certificate signed by `ca` for `principals`. */
  async function sshdWithHostCert(ca: KeyFiles, principals: string[]): Promise<Sshd> {
    const sshd = await startSshd({
      // The harness's Ed25519 host key, certified before sshd starts.
      prepare: (dir, [hostKey]) => {
        const cert = buildCertificate({
          subjectPublicBlob: parsePublicKeyLine(hostKey!.publicLine),
          type: 'host',
          serial: 7n,
          keyId: 'test host',
          principals,
          validAfter: now() - 300,
          validBefore: now() + 3600,
          ca: ca.signingKey,
        });
        fs.writeFileSync(path.join(dir, 'ssh_host_ed25519_key-cert.pub'), certificateLine(cert) + '\n');
        fs.writeFileSync(path.join(dir, 'trusted-user-cas'), work.userCa.pubLine + '\n');
      },
      config: (dir) => [`HostCertificate ${path.join(dir, 'ssh_host_ed25519_key-cert.pub')}`, `TrustedUserCAKeys ${path.join(dir, 'trusted-user-cas')}`],
    });
    servers.push(sshd);
    return sshd;
  }

  before(() => {
    const { dir, cleanup: done } = tempDir();
    cleanup = done;
    const userCa = makeKey(dir, 'user-ca');
    const hostCa = makeKey(dir, 'host-ca', 'ecdsa-384');
    const otherCa = makeKey(dir, 'other-ca');
    const user = makeKey(dir, 'user');
    const userCert = path.join(dir, 'user.cert');
    const blob = buildCertificate({
      subjectPublicBlob: user.publicBlob,
      type: 'user',
      serial: 1n,
      keyId: 'u',
      principals: ['root'],
      validAfter: now() - 300,
      validBefore: now() + 3600,
      extensions: DEFAULT_USER_EXTENSIONS,
      ca: userCa.signingKey,
    });
    fs.writeFileSync(userCert, certificateLine(blob) + '\n');
    // Only the CA is known: no host key at all.
    const knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, `@cert-authority ${ALIAS},[localhost]:* ${hostCa.pubLine}\n`);
    work = { dir, userCa, hostCa, otherCa, user, userCert, knownHosts };
  });
  after(async () => {
    for (const s of servers) await s.stop();
    cleanup?.();
  });

  const connect = (sshd: Sshd, extra: { host?: string; options?: string[] }) =>
    sshd.ssh({ identity: work.user.path, certificate: work.userCert, knownHostsFile: work.knownHosts, ...extra });

  it('connects when the host certificate names the HostKeyAlias', async () => {
    const sshd = await sshdWithHostCert(work.hostCa, [ALIAS]);
    const r = await connect(sshd, { options: [`HostKeyAlias=${ALIAS}`] });
    assert.equal(r.stdout, 'ok\n', `${r.stderr}\n${sshd.logs()}`);
  });

  it('connects to localhost when the certificate names localhost (known_hosts pattern [localhost]:*)', async () => {
    const sshd = await sshdWithHostCert(work.hostCa, ['localhost', '127.0.0.1']);
    const r = await connect(sshd, { host: 'localhost', options: ['AddressFamily=inet'] });
    assert.equal(r.stdout, 'ok\n', `${r.stderr}\n${sshd.logs()}`);
  });

  it('refuses a host certificate from another CA', async () => {
    const sshd = await sshdWithHostCert(work.otherCa, [ALIAS]);
    const r = await connect(sshd, { options: [`HostKeyAlias=${ALIAS}`] });
    assert.equal(r.code, 255);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Host key verification failed/);
  });

  it('refuses a host certificate that does not name the host', async () => {
    const sshd = await sshdWithHostCert(work.hostCa, ['some-other-host']);
    const r = await connect(sshd, { options: [`HostKeyAlias=${ALIAS}`] });
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Host key verification failed/);
  });
});
