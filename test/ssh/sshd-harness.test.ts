import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runTool } from '../helpers/run-tool.js';
import { type Sshd, sshArgs, sshKeygen, startSshd } from '../helpers/sshd.js';
import { keygenFingerprint, makeKey, removeDir, tempDir, type TestKey } from '../helpers/ssh-keys.js';

const alive = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
};

/**
 * test/helpers/sshd.ts itself: the ways other tests will use it (extra config lines written from
 * files made in `prepare`, here a user CA and a principals file; several host keys), and stop()
 * leaving nothing running, not even a live session's command.
 */
describe('sshd test harness', () => {
  let dir: string;
  let sshd: Sshd;
  let user: TestKey;
  let knownHosts: string;
  before(async () => {
    dir = tempDir();
    user = makeKey(dir, 'ed25519', 'user');
    sshd = await startSshd({
      hostKeyTypes: ['ed25519', 'ecdsa'],
      prepare: (d) => {
        sshKeygen(path.join(d, 'user_ca'), 'ed25519');
        fs.writeFileSync(path.join(d, 'principals'), 'deploy-principal\n');
      },
      config: (d) => [`TrustedUserCAKeys ${path.join(d, 'user_ca.pub')}`, `AuthorizedPrincipalsFile ${path.join(d, 'principals')}`],
    });
    knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, sshd.knownHosts());
  });
  after(async () => {
    await sshd?.stop();
    removeDir(dir);
  });

  it('generates each host key, reports the first as ssh-keygen -l does, and trusts them all in knownHosts()', () => {
    assert.equal(sshd.hostKeys.length, 2);
    assert.equal(sshd.hostKeyPublic, sshd.hostKeys[0]!.publicLine);
    assert.match(sshd.hostKeyPublic, /^ssh-ed25519 /);
    assert.equal(sshd.hostKeyFingerprint, keygenFingerprint(`${sshd.hostKeys[0]!.path}.pub`));
    assert.equal(sshd.knownHosts().split('\n').filter(Boolean).length, 2);
    assert.match(sshd.knownHosts(), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ecdsa-sha2-nistp256 `, 'm'));
  });

  it('takes config lines naming files made in prepare: a user certificate for an allowed principal logs in, with no authorized_keys line', async () => {
    const cert = await runTool('ssh-keygen', ['-q', '-s', path.join(sshd.dir, 'user_ca'), '-I', 'test-cert', '-n', 'deploy-principal', user.pubPath]);
    assert.equal(cert.code, 0, cert.stderr);
    const args = sshArgs({
      port: sshd.port,
      user: 'root',
      knownHostsFile: knownHosts,
      identityFile: user.path,
      options: [`CertificateFile=${user.path}-cert.pub`, 'HostKeyAlgorithms=ecdsa-sha2-nistp256'],
      command: 'echo cert-ok',
    });
    const r = await runTool('ssh', args);
    assert.equal(r.code, 0, `${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.stdout, 'cert-ok\n');
    assert.match(sshd.logs(), /Accepted publickey for root .* ED25519-CERT SHA256:\S+ ID test-cert/);
  });

  it("ssh() offers a key and a certificate with the server's own known_hosts; waitForLog waits for the line, or fails naming it", async () => {
    const cert = await runTool('ssh-keygen', ['-q', '-s', path.join(sshd.dir, 'user_ca'), '-I', 'helper-cert', '-n', 'deploy-principal', user.pubPath]);
    assert.equal(cert.code, 0, cert.stderr);
    const certFile = path.join(dir, 'helper.cert');
    fs.renameSync(`${user.path}-cert.pub`, certFile);
    assert.equal(fs.readFileSync(sshd.knownHostsFile, 'utf8'), sshd.knownHosts());
    const mark = sshd.logs().length;
    const r = await sshd.ssh({ identity: user.path, certificate: certFile, command: 'echo helper-ok' });
    assert.equal(r.code, 0, `${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.stdout, 'helper-ok\n');
    assert.match(await sshd.waitForLog(/Accepted publickey for root .* ID helper-cert/, mark), /ED25519-CERT/);
    await assert.rejects(sshd.waitForLog(/never logged/, mark, 100), /did not log \/never logged\//);
  });

  it('prepare() gets the host keys before sshd starts, and may be async', async () => {
    let seen: string[] = [];
    const other = await startSshd({
      prepare: async (_d, hostKeys) => {
        await new Promise((r) => setTimeout(r, 10));
        seen = hostKeys.map((k) => k.publicLine);
      },
    });
    try {
      assert.deepEqual(seen, [other.hostKeyPublic]);
    } finally {
      await other.stop();
    }
  });

  it('stop() kills sshd and a session still running, and the client sees the connection end', async () => {
    const other = await startSshd();
    other.addAuthorizedKey('root', user.publicLine);
    const kh = path.join(dir, 'known_hosts_other');
    fs.writeFileSync(kh, other.knownHosts());
    const client = spawn('ssh', sshArgs({ port: other.port, user: 'root', knownHostsFile: kh, identityFile: user.path, command: 'echo $$; exec sleep 600' }), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const clientExit = new Promise<number | null>((resolve) => client.once('exit', (code) => resolve(code)));
    const remotePid = await new Promise<number>((resolve, reject) => {
      let out = '';
      client.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(Number(out.trim()));
      });
      client.once('exit', () => reject(new Error(`ssh exited before the session started:\n${other.logs()}`)));
    });
    assert.ok(alive(remotePid));
    assert.ok(alive(other.pid));
    await other.stop();
    assert.ok(!alive(remotePid), 'the session command was left running');
    assert.ok(!alive(other.pid));
    assert.notEqual(await clientExit, 0);
    assert.ok(!fs.existsSync(other.dir));
  });
});
