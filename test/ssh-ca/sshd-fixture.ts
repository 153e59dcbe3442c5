// A private sshd for the ssh-ca tests: `/usr/sbin/sshd -D -e -f <generated config>` on a free
// 127.0.0.1 port, its own host key and files in a temp dir, logging to a file there. It never
// reads /etc/ssh or anyone's ~/.ssh (AuthorizedKeysFile none), and the client below runs
// `ssh -F /dev/null` with explicit identity, known_hosts and BatchMode. Tests run as root and log
// in as root (sshd's default PermitRootLogin prohibit-password allows certificates).
// The lead will later unify this with test/helpers/sshd.ts from the agent branch.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeKey } from './tools.ts';

export interface SshdOptions {
  /** Config lines placed before the fixture's defaults (sshd takes the first value of most keywords). */
  config?: string[];
  /** A host private key path; one is made with ssh-keygen (Ed25519) when absent. */
  hostKey?: string;
}

export interface SshResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface SshOptions {
  identity: string;
  certificate?: string;
  command?: string;
  user?: string;
  /** A known_hosts file; the fixture's own (its host key under [127.0.0.1]:port) by default. */
  knownHosts?: string;
  /** Host to connect to; 127.0.0.1 by default. */
  host?: string;
  /** Extra `-o` options (`Key=value`). */
  options?: string[];
}

const SSHD = '/usr/sbin/sshd';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

export class SshdFixture {
  private exited = false;

  private constructor(
    /** The fixture's temp dir (config, host key, log, pid file); tests may put their files here. */
    readonly dir: string,
    readonly port: number,
    readonly hostKey: string,
    /** known_hosts trusting this sshd's host key at [127.0.0.1]:port. */
    readonly knownHosts: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    child.once('exit', () => (this.exited = true));
  }

  /** Makes a temp dir for a fixture without starting it (to prepare host certificates and the like). */
  static makeDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-sshd-'));
  }

  /** Starts sshd and waits until its port accepts connections. `dir` defaults to a fresh temp dir. */
  static async start(opts: SshdOptions = {}, dir = SshdFixture.makeDir()): Promise<SshdFixture> {
    // sshd refuses to start without its privilege separation directory (Debian makes it when the service starts).
    if (!fs.existsSync('/run/sshd')) fs.mkdirSync('/run/sshd', { mode: 0o755 });
    const hostKey = opts.hostKey ?? makeKey(dir, 'ssh_host_ed25519_key', 'ed25519', 'fixture-host').path;
    const port = await freePort();
    const config = [
      ...(opts.config ?? []),
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'AuthorizedKeysFile none',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitUserRC no',
      'X11Forwarding no',
      'LogLevel VERBOSE',
    ];
    const configFile = path.join(dir, 'sshd_config');
    fs.writeFileSync(configFile, config.join('\n') + '\n');
    const hostPub = fs.readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    const knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`);
    const logFile = path.join(dir, 'sshd.log');
    const log = fs.openSync(logFile, 'a');
    const child = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const fixture = new SshdFixture(dir, port, hostKey, knownHosts, logFile, child);
    for (let i = 0; i < 200; i++) {
      if (fixture.exited) throw new Error(`sshd exited at start:\n${fixture.log()}`);
      if (await canConnect(port)) return fixture;
      await new Promise((r) => setTimeout(r, 50));
    }
    await fixture.stop();
    throw new Error(`sshd did not listen on ${port}:\n${fixture.log()}`);
  }

  /** What sshd has logged so far. */
  log(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }

  /** Runs `ssh -F /dev/null … user@host command` against this sshd. */
  ssh(o: SshOptions): Promise<SshResult> {
    const args = [
      '-F',
      '/dev/null',
      '-p',
      String(this.port),
      '-o',
      'BatchMode=yes',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'IdentityAgent=none',
      '-o',
      `UserKnownHostsFile=${o.knownHosts ?? this.knownHosts}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'CheckHostIP=no',
      '-o',
      'UpdateHostKeys=no',
      '-o',
      'ConnectTimeout=20',
      '-o',
      'ControlPath=none',
      ...(o.options ?? []).flatMap((opt) => ['-o', opt]),
      '-i',
      o.identity,
      ...(o.certificate ? ['-o', `CertificateFile=${o.certificate}`] : []),
      `${o.user ?? 'root'}@${o.host ?? '127.0.0.1'}`,
      '--',
      o.command ?? 'echo ok',
    ];
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.SSH_AUTH_SOCK;
    return new Promise((resolve, reject) => {
      const p = spawn('ssh', args, { stdio: ['ignore', 'pipe', 'pipe'], env });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.once('error', reject);
      p.once('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    });
  }

  /** Stops sshd (SIGTERM, then SIGKILL after 5 s) and removes its temp dir. */
  async stop(): Promise<void> {
    if (!this.exited && this.child.pid !== undefined) {
      const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
