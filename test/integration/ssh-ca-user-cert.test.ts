import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { AUTH_GAVE_UP, caSshd, type CaWorld, type Issued, keygenList, keygenTime, literal, startCaWorld } from '../helpers/ssh-ca.js';
import { DEPLOY_USER, type Sshd } from '../helpers/sshd.js';
import { makeKey, type TestKey } from '../helpers/ssh-keys.js';

/**
 * User certificates from keyhold's HTTP API, for keys ssh-keygen made, against a real sshd that
 * trusts the CA's `public-key` line (TrustedUserCAKeys) and lists principals per user
 * (AuthorizedPrincipalsFile): they log in, say exactly what was asked (ssh-keygen -L), and sshd
 * refuses what it must (a principal it does not list, an expired certificate, another source
 * address), runs a role's force-command, and accepts an RSA CA's rsa-sha2-512 signatures.
 */
describe(`user certificates from keyhold and a real sshd (${dialectUnderTest})`, () => {
  let w: CaWorld;
  let sshd: Sshd;
  let ca: { fingerprint: string; public_key: string };
  let rsaCa: { fingerprint: string };
  let alice: TestKey;
  let ecdsa: TestKey;
  /** Issued first, with a TTL of 3 s, so that the expiry test waits as little as possible. */
  let shortLived: { issued: Issued; file: string };

  before(async () => {
    w = await startCaWorld();
    ca = await w.createCa('users');
    // An RSA CA: a stored key made by ssh-keygen, named by uuid.
    const rsaKey = makeKey(w.dir, 'rsa', 'rsa-ca-key');
    const stored = await w.ok('POST', '/v1/private-keys', { name: 'rsa-ca', private_key: rsaKey.privateText }, w.root, 201);
    rsaCa = await w.createCa('legacy', 'user', stored.uuid);
    await w.createRole({
      name: 'ops',
      ca: 'users',
      principals: ['ops', 'deploy', 'dev-*'],
      max_ttl: '8h',
      default_ttl: '1h',
      extensions: ['permit-pty', 'permit-agent-forwarding'],
      critical_options: { 'source-address': '127.0.0.1/32,10.0.0.0/8' },
    });
    await w.createRole({
      name: 'elsewhere',
      ca: 'users',
      principals: ['ops'],
      max_ttl: '1h',
      default_ttl: '5m',
      critical_options: { 'source-address': '10.9.9.9/32' },
    });
    await w.createRole({
      name: 'forced',
      ca: 'users',
      principals: ['ops'],
      max_ttl: '1h',
      default_ttl: '5m',
      critical_options: { 'force-command': 'echo forced-by-keyhold' },
    });
    await w.createRole({ name: 'rsa-ops', ca: 'legacy', principals: ['ops'], max_ttl: '1h', default_ttl: '5m' });
    alice = makeKey(w.dir, 'ed25519', 'alice');
    ecdsa = makeKey(w.dir, 'ecdsa', 'ecdsa-user');
    const issued = await w.issue({ role: 'ops', public_key: alice.publicLine, principals: ['ops'], ttl: '3s', key_id: 'short-lived' });
    shortLived = { issued, file: w.writeCert('short-lived.cert', issued.certificate) };
    sshd = await caSshd([await w.caLine('users'), await w.caLine('legacy')], { root: ['ops', 'dev-alice'], [DEPLOY_USER]: ['deploy'] });
  });
  after(async () => {
    await sshd?.stop();
    await w?.close();
  });

  /** Logs in; expects "ok". */
  const logsIn = async (cert: string, key: TestKey, user = 'root') => {
    const r = await sshd.ssh({ identity: key.path, certificate: cert, user });
    assert.equal(r.code, 0, `${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.stdout, 'ok\n');
  };
  /** Expects sshd to refuse the certificate (serial `serial`, when given); answers what sshd logged about this attempt. */
  const refused = async (cert: string, key: TestKey, user = 'root', serial?: number) => {
    const mark = sshd.logs().length;
    const r = await sshd.ssh({ identity: key.path, certificate: cert, user });
    assert.equal(r.code, 255, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /Permission denied \(publickey\)/);
    assert.equal(r.stdout, '');
    const log = await sshd.waitForLog(AUTH_GAVE_UP, mark);
    if (serial !== undefined) assert.match(log, new RegExp(`Failed publickey for ${user} from 127\\.0\\.0\\.1 .* ED25519-CERT .* \\(serial ${serial}\\) CA `));
    return log;
  };

  it('a certificate for an ssh-keygen key logs in, and ssh-keygen -L shows exactly what was asked (and what the API answered)', async () => {
    const issued = await w.issue({ role: 'ops', public_key: alice.publicLine, principals: ['ops', 'dev-alice'], ttl: '2h', key_id: 'alice laptop' });
    assert.equal(issued.key_id, 'alice laptop');
    assert.deepEqual(issued.principals, ['ops', 'dev-alice']);
    assert.equal(
      Date.parse(issued.valid_before) - Date.parse(issued.valid_after),
      2 * 3600_000 + 60_000,
      'two hours, plus the minute valid_after is backdated',
    );
    assert.match(issued.certificate, /^ssh-ed25519-cert-v01@openssh\.com [A-Za-z0-9+/=]+ alice@keyhold-test$/);
    const stored = await w.ok('GET', `/v1/ssh/certificates/${issued.serial}`);
    assert.equal(stored.state, 'active');
    assert.equal(stored.public_key_fingerprint, alice.fingerprint);
    assert.equal(stored.valid_before, issued.valid_before);

    const file = w.writeCert('alice.cert', issued.certificate);
    assert.equal(
      await keygenList(file),
      [
        '        Type: ssh-ed25519-cert-v01@openssh.com user certificate',
        `        Public key: ED25519-CERT ${alice.fingerprint}`,
        `        Signing CA: ED25519 ${ca.fingerprint} (using ssh-ed25519)`,
        '        Key ID: "alice laptop"',
        `        Serial: ${issued.serial}`,
        `        Valid: from ${keygenTime(issued.valid_after)} to ${keygenTime(issued.valid_before)}`,
        '        Principals: ',
        '                ops',
        '                dev-alice',
        '        Critical Options: ',
        '                source-address 127.0.0.1/32,10.0.0.0/8',
        '        Extensions: ',
        '                permit-agent-forwarding',
        '                permit-pty',
        '',
      ].join('\n'),
    );

    const mark = sshd.logs().length;
    await logsIn(file, alice);
    await sshd.waitForLog(literal(`Accepted publickey for root from 127.0.0.1 port`), mark);
    assert.match(sshd.logs().slice(mark), literal(`ED25519-CERT ${alice.fingerprint} ID alice laptop (serial ${issued.serial}) CA ED25519 ${ca.fingerprint}`));
  });

  it("each user's principals file decides: a certificate for deploy logs in as keyhold-deploy, not as root", async () => {
    const { certificate } = await w.issue({ role: 'ops', public_key: alice.publicLine, principals: ['deploy'] });
    const file = w.writeCert('deploy.cert', certificate);
    await logsIn(file, alice, DEPLOY_USER);
    assert.match(await refused(file, alice, 'root'), /Certificate does not contain an authorized principal/);
  });

  it('sshd refuses a principal the role allows but its principals file does not list, and says why', async () => {
    const { certificate, serial } = await w.issue({ role: 'ops', public_key: alice.publicLine, principals: ['dev-bob'] });
    assert.match(await refused(w.writeCert('bob.cert', certificate), alice, 'root', serial), /Certificate does not contain an authorized principal/);
  });

  it('sshd refuses a certificate whose source-address is another address (10.9.9.9/32)', async () => {
    const { certificate, serial } = await w.issue({ role: 'elsewhere', public_key: alice.publicLine });
    const file = w.writeCert('elsewhere.cert', certificate);
    assert.match(await keygenList(file), /^ {16}source-address 10\.9\.9\.9\/32$/m);
    assert.match(await refused(file, alice, 'root', serial), /with valid certificate but not from a permitted source address \(127\.0\.0\.1\)/);
  });

  it("runs the role's force-command, whatever the client asks for", async () => {
    const { certificate } = await w.issue({ role: 'forced', public_key: alice.publicLine });
    const file = w.writeCert('forced.cert', certificate);
    assert.match(await keygenList(file), /^ {8}Critical Options: \n {16}force-command echo forced-by-keyhold\n/m);
    const r = await sshd.ssh({ identity: alice.path, certificate: file, command: 'echo asked-for; id -u' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'forced-by-keyhold\n');
  });

  it('an RSA CA signs with rsa-sha2-512 (never SHA-1), and its certificate (for an ECDSA key) logs in', async () => {
    const { certificate, serial } = await w.issue({ role: 'rsa-ops', public_key: ecdsa.publicLine, key_id: 'rsa-signed' });
    const file = w.writeCert('rsa.cert', certificate);
    const listed = await keygenList(file);
    assert.match(listed, /^ {8}Type: ecdsa-sha2-nistp256-cert-v01@openssh\.com user certificate$/m);
    assert.match(listed, new RegExp(`^ {8}Signing CA: RSA ${literal(rsaCa.fingerprint).source} \\(using rsa-sha2-512\\)$`, 'm'));
    assert.match(listed, new RegExp(`^ {8}Serial: ${serial}$`, 'm'));
    // Default extensions, as ssh-keygen -s gives (the role names none).
    assert.match(
      listed,
      / {8}Extensions: \n {16}permit-X11-forwarding\n {16}permit-agent-forwarding\n {16}permit-port-forwarding\n {16}permit-pty\n {16}permit-user-rc\n$/,
    );
    const mark = sshd.logs().length;
    await logsIn(file, ecdsa);
    assert.match(await sshd.waitForLog(/Accepted publickey for root/, mark), literal(`ID rsa-signed (serial ${serial}) CA RSA ${rsaCa.fingerprint}`));
  });

  it('sshd refuses an expired certificate (a TTL of 3 s, waited out), and logs that it expired', async () => {
    const expiresAt = Date.parse(shortLived.issued.valid_before);
    assert.equal(expiresAt - Date.parse(shortLived.issued.valid_after), 63_000);
    // The one deliberate wait: until sshd's clock is past valid_before (sshd refuses from that second on).
    while (Date.now() < expiresAt + 1000) await new Promise((r) => setTimeout(r, Math.min(500, expiresAt + 1000 - Date.now())));
    assert.match(await refused(shortLived.file, alice, 'root', shortLived.issued.serial), /Certificate invalid: expired/);
    const listed = await w.ok('GET', '/v1/ssh/certificates?key_id=short-lived');
    assert.deepEqual(
      listed.certificates.map((c: { state: string }) => c.state),
      ['expired'],
    );
  });
});
