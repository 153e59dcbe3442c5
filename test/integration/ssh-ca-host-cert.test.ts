import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { type CaWorld, keygenList, literal, startCaWorld } from '../helpers/ssh-ca.js';
import { type Sshd, startSshd } from '../helpers/sshd.js';
import { makeKey, type TestKey } from '../helpers/ssh-keys.js';

/**
 * Host certificates: `keyhold ssh host-cert` certifies the harness sshd's own host key from a host
 * role (writing `<key>-cert.pub` beside it), sshd presents it (`HostCertificate`), and a client
 * that knows nothing but the host CA (`@cert-authority` in known_hosts, StrictHostKeyChecking yes)
 * connects, and refuses a server whose certificate another CA signed.
 */
describe(`host certificates from keyhold ssh host-cert (${dialectUnderTest})`, () => {
  let w: CaWorld;
  let user: TestKey;
  let hostsLine: string;
  let otherLine: string;
  let hostsCa: { fingerprint: string };
  const servers: Sshd[] = [];
  /** What `keyhold ssh host-cert` printed and wrote, per server. */
  const made = new Map<Sshd, { stdout: string; stderr: string; certFile: string }>();

  /** An sshd whose Ed25519 host key `keyhold ssh host-cert` certified (before sshd started) from `role`. */
  async function certifiedSshd(role: string, token: string): Promise<Sshd> {
    let result: { stdout: string; stderr: string; certFile: string } | undefined;
    const sshd = await startSshd({
      prepare: async (dir, [hostKey]) => {
        const r = await w.cli(
          ['ssh', 'host-cert', '--role', role, '--principal', '127.0.0.1,web1.internal', '--host-key', `${hostKey!.path}.pub`, '--ttl', '30d'],
          { token },
        );
        assert.equal(r.status, 0, r.stderr);
        result = { stdout: r.stdout, stderr: r.stderr, certFile: path.join(dir, 'ssh_host_ed25519_key-cert.pub') };
      },
      config: (dir) => [`HostCertificate ${path.join(dir, 'ssh_host_ed25519_key-cert.pub')}`],
    });
    sshd.addAuthorizedKey('root', user.publicLine);
    servers.push(sshd);
    made.set(sshd, result!);
    return sshd;
  }
  const knownHosts = (name: string, text: string) => {
    const file = path.join(w.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const connect = (sshd: Sshd, knownHostsFile: string, options: string[] = []) =>
    sshd.ssh({ identity: user.path, knownHostsFile, options: ['LogLevel=DEBUG1', ...options] });

  before(async () => {
    w = await startCaWorld();
    hostsCa = await w.createCa('hosts', 'host');
    await w.createCa('other-hosts', 'host');
    await w.createRole({ name: 'servers', ca: 'hosts', principals: ['127.0.0.1', 'web*.internal'], max_ttl: '90d', default_ttl: '30d' });
    await w.createRole({ name: 'other-servers', ca: 'other-hosts', principals: ['127.0.0.1', 'web*.internal'], max_ttl: '90d', default_ttl: '30d' });
    hostsLine = await w.caLine('hosts');
    otherLine = await w.caLine('other-hosts');
    user = makeKey(w.dir, 'ed25519', 'user');
  });
  after(async () => {
    for (const s of servers) await s.stop();
    await w?.close();
  });

  it('host-cert writes <key>-cert.pub for the host key: a host certificate for exactly the principals asked, no options', async () => {
    const token = await w.token(['certify'], ['servers']);
    const sshd = await certifiedSshd('servers', token);
    const { stdout, stderr, certFile } = made.get(sshd)!;
    assert.equal(stdout, `${certFile}\n`);
    assert.match(stderr, /^certificate \d+ for 127\.0\.0\.1, web1\.internal, valid until \S+; point sshd's HostCertificate at it and reload sshd\n$/);
    const serial = Number(/^certificate (\d+)/.exec(stderr)![1]);
    const listed = await keygenList(certFile);
    assert.match(listed, /^ {8}Type: ssh-ed25519-cert-v01@openssh\.com host certificate$/m);
    assert.match(listed, new RegExp(`^ {8}Public key: ED25519-CERT ${literal(sshd.hostKeyFingerprint).source}$`, 'm'));
    assert.match(listed, new RegExp(`^ {8}Signing CA: ED25519 ${literal(hostsCa.fingerprint).source} \\(using ssh-ed25519\\)$`, 'm'));
    assert.match(listed, new RegExp(`^ {8}Serial: ${serial}$`, 'm'));
    assert.match(listed, / {8}Principals: \n {16}127\.0\.0\.1\n {16}web1\.internal\n {8}Critical Options: \(none\)\n {8}Extensions: \(none\)\n$/);
    const inventory = await w.ok('GET', `/v1/ssh/certificates/${serial}`);
    assert.equal(inventory.type, 'host');
    assert.equal(Date.parse(inventory.valid_before) - Date.parse(inventory.valid_after), 30 * 86_400_000 + 60_000);
  });

  it('a client with only "@cert-authority [127.0.0.1]:* <CA line>" and StrictHostKeyChecking yes connects to the sshd presenting it', async () => {
    const sshd = servers[0]!;
    const r = await connect(sshd, knownHosts('kh-ca', `@cert-authority [127.0.0.1]:* ${hostsLine}\n`));
    assert.equal(r.code, 0, `${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.stdout, 'ok\n');
    assert.match(r.stderr, /Server host certificate: ssh-ed25519-cert-v01@openssh\.com SHA256:\S+, serial \d+ ID "[^"]+" CA ssh-ed25519 /);
    assert.match(r.stderr, literal(`Host '[127.0.0.1]:${sshd.port}' is known and matches the ED25519-CERT host certificate.`));
    assert.ok(!fs.readFileSync(path.join(w.dir, 'kh-ca'), 'utf8').includes(sshd.hostKeyPublic.split(' ')[1]!), 'ssh wrote no host key to known_hosts');
  });

  it('by name: HostKeyAlias=web1.internal with "@cert-authority *.internal <CA line>"', async () => {
    const r = await connect(servers[0]!, knownHosts('kh-name', `@cert-authority *.internal ${hostsLine}\n`), ['HostKeyAlias=web1.internal']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ok\n');
    // A name the certificate does not list is refused, though the pattern matches it.
    const other = await connect(servers[0]!, knownHosts('kh-name', `@cert-authority *.internal ${hostsLine}\n`), ['HostKeyAlias=db1.internal']);
    assert.equal(other.code, 255);
    assert.match(other.stderr, /Host key verification failed/);
  });

  it('refuses an sshd whose host certificate another CA signed (and trusts it only with that CA line)', async () => {
    const sshd = await certifiedSshd('other-servers', w.root);
    const r = await connect(sshd, knownHosts('kh-ca', `@cert-authority [127.0.0.1]:* ${hostsLine}\n`));
    assert.equal(r.code, 255);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Host key verification failed/);
    assert.doesNotMatch(sshd.logs(), /Accepted publickey/);
    const ok = await connect(sshd, knownHosts('kh-other', `@cert-authority [127.0.0.1]:* ${otherLine}\n`));
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('refuses with an empty known_hosts: the CA line is what made the difference', async () => {
    const r = await connect(servers[0]!, knownHosts('kh-empty', ''));
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Host key verification failed/);
  });
});
