import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runTool, type ToolResult } from './run-tool.js';
import { keygenFingerprint, removeDir, tempDir } from './ssh-keys.js';

/**
 * A real OpenSSH server for tests: `/usr/sbin/sshd -D -e -f <generated config>` on 127.0.0.1 and a
 * free port, with its own host keys (ssh-keygen, in a temp dir), authorized_keys per user in that
 * dir, StrictModes and PAM off, LogLevel VERBOSE captured. It never reads /etc/ssh or anyone's
 * ~/.ssh, never listens on port 22, and `stop()` kills it and every process it started.
 *
 * Runs as root (as the tests do here). sshd needs its privilege separation directory, /run/sshd;
 * when the machine has none (no sshd service) the harness creates it, empty, as the openssh-server
 * package would: that is the one path outside the temp dir it touches.
 */

export const SSHD = '/usr/sbin/sshd';
export const PRIVSEP_DIR = '/run/sshd';
/** The second local user tests may log in as; made by `ensureUser` when missing. */
export const DEPLOY_USER = 'keyhold-deploy';

export type HostKeyType = 'ed25519' | 'rsa' | 'ecdsa';

export interface SshdOptions {
  /**
   * Extra sshd_config lines, written after the harness's own (e.g. TrustedUserCAKeys,
   * AuthorizedPrincipalsFile, RevokedKeys, HostCertificate), or a function of the temp dir that
   * answers them, for lines naming files made in `prepare`.
   */
  config?: string[] | ((dir: string) => string[]);
  /** Host keys to generate, in order; the first is the one `hostKeyPublic`/`hostKeyFingerprint` describe. Default: ed25519. */
  hostKeyTypes?: HostKeyType[];
  /** More host key files (private keys made by the caller, e.g. in `sshd.dir`), listed after the generated ones. */
  extraHostKeys?: string[];
  /**
   * Called with the temp dir and the host keys once they exist and before sshd starts, to put files
   * there that `config` names (a CA, a principals file, a host certificate for `hostKeys[0]`…). It
   * may be async (a certificate asked of a keyhold server in the same process).
   */
  prepare?(dir: string, hostKeys: HostKey[]): void | Promise<void>;
}

export interface HostKey {
  path: string;
  /** The `.pub` line. */
  publicLine: string;
  /** `SHA256:…` as `ssh-keygen -l -f` prints it. */
  fingerprint: string;
}

export interface Sshd {
  port: number;
  /** The listening sshd's pid. */
  pid: number;
  /** The temp dir holding config, host keys, authorized keys and the pid file. */
  dir: string;
  configPath: string;
  /** The first host key's `.pub` line. */
  hostKeyPublic: string;
  /** The first host key's fingerprint, as `ssh-keygen -l -f` prints it. */
  hostKeyFingerprint: string;
  hostKeys: HostKey[];
  /** Lines for a known_hosts file trusting every host key of this server, as `[127.0.0.1]:port type base64`. */
  knownHosts(): string;
  /** `<dir>/known_hosts`, holding `knownHosts()`: the default known_hosts of `ssh()`. */
  knownHostsFile: string;
  /** Appends a line to `<dir>/authorized_keys/<user>` (the AuthorizedKeysFile). */
  addAuthorizedKey(user: string, line: string): void;
  /** Everything sshd logged so far (stderr, -e). */
  logs(): string;
  /**
   * Waits (polling, up to `timeoutMs`, default 10 s) until what sshd logged after offset `from`
   * (a `logs().length` taken earlier) matches `pattern`; answers that part of the log. A line a
   * session process writes may reach this process a little after the client has exited.
   */
  waitForLog(pattern: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  /** Runs `ssh` to this server (see `SshOptions`) without blocking the event loop. */
  ssh(o: SshOptions): Promise<ToolResult>;
  /** Kills sshd and every process under it, and removes the temp dir. */
  stop(): Promise<void>;
}

/** `ssh-keygen` a key with no passphrase; answers the private key path. */
export function sshKeygen(file: string, type: HostKeyType, comment = path.basename(file)): string {
  const args = type === 'rsa' ? ['-t', 'rsa', '-b', '2048'] : ['-t', type];
  execFileSync('ssh-keygen', ['-q', ...args, '-N', '', '-C', comment, '-f', file]);
  return file;
}

/**
 * Makes the local user `name` (default `keyhold-deploy`) when missing: a system user with /bin/sh,
 * no home, and `*` as password so that sshd (UsePAM no) does not count the account as locked.
 */
export function ensureUser(name = DEPLOY_USER): void {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return;
  } catch {
    // Not there yet.
  }
  execFileSync('useradd', ['--system', '--shell', '/bin/sh', '--home-dir', '/nonexistent', '--no-create-home', name]);
  execFileSync('usermod', ['-p', '*', name]);
}

/** Every process under `root` (not `root` itself), from /proc's parent links. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    for (const c of children.get(todo.pop()!) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

/** Is `pid` running (a zombie waiting to be reaped counts as gone)? */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Resolves once `port` answers with an SSH banner. */
function banner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('data', (d: Buffer) => {
      s.destroy();
      resolve(d.toString('latin1').startsWith('SSH-2.0-'));
    });
    s.once('error', () => resolve(false));
  });
}

function configText(dir: string, port: number, hostKeys: string[], extra: string[]): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    ...hostKeys.map((k) => `HostKey ${k}`),
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys', '%u')}`,
    'AuthorizedKeysCommand none',
    'StrictModes no',
    'UsePAM no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'HostbasedAuthentication no',
    'PermitRootLogin prohibit-password',
    'AllowAgentForwarding yes',
    'AllowTcpForwarding no',
    'X11Forwarding no',
    'PermitTTY no',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'PermitUserEnvironment no',
    'LogLevel VERBOSE',
    ...extra,
    '',
  ].join('\n');
}

/** Starts sshd; see the module comment. Call `stop()` in `after()`. */
export async function startSshd(opts: SshdOptions = {}): Promise<Sshd> {
  if (!fs.existsSync(PRIVSEP_DIR)) fs.mkdirSync(PRIVSEP_DIR, { mode: 0o755 });
  const dir = tempDir('keyhold-sshd-');
  // sshd reads a user's authorized_keys as that user: the dir must be traversable by them.
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, 'authorized_keys'), { mode: 0o755 });
  const generated = (opts.hostKeyTypes ?? ['ed25519']).map((t) => sshKeygen(path.join(dir, `ssh_host_${t}_key`), t, `keyhold-test-host-${t}`));
  const keyFiles = [...generated, ...(opts.extraHostKeys ?? [])];
  const hostKeys = keyFiles.map((p) => ({ path: p, publicLine: fs.readFileSync(`${p}.pub`, 'utf8').trim(), fingerprint: keygenFingerprint(`${p}.pub`) }));
  const hostKeysFile = path.join(dir, 'known_hosts');
  await opts.prepare?.(dir, hostKeys);
  const extra = typeof opts.config === 'function' ? opts.config(dir) : (opts.config ?? []);
  const configPath = path.join(dir, 'sshd_config');

  let log = '';
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    fs.writeFileSync(configPath, configText(dir, port, keyFiles, extra));
    const c = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout.on('data', (d: Buffer) => (log += d.toString()));
    c.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const died = new Promise<boolean>((resolve) => c.once('exit', () => resolve(false)));
    // Ready once it logs that it listens and the port answers with a banner; an exit means a bad config or a taken port.
    const ready = (async () => {
      while (c.exitCode === null) {
        if (log.includes(`Server listening on 127.0.0.1 port ${port}`) && (await banner(port))) return true;
        await new Promise((r) => setTimeout(r, 25));
      }
      return false;
    })();
    if (await Promise.race([ready, died])) child = c;
    else if (!log.includes('Address already in use')) throw new Error(`sshd did not start:\n${log}`);
  }
  if (!child) throw new Error(`sshd found no free port:\n${log}`);
  const pid = child.pid!;
  const knownHosts = () => hostKeys.map((k) => `[127.0.0.1]:${port} ${k.publicLine.split(' ').slice(0, 2).join(' ')}\n`).join('');
  fs.writeFileSync(hostKeysFile, knownHosts());
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

  // If a test file dies without stop(), leave no sshd behind.
  const onExit = () => signal([pid, ...descendants(pid)], 'SIGKILL');
  process.on('exit', onExit);

  return {
    port,
    pid,
    dir,
    configPath,
    hostKeyPublic: hostKeys[0]!.publicLine,
    hostKeyFingerprint: hostKeys[0]!.fingerprint,
    hostKeys,
    knownHosts,
    knownHostsFile: hostKeysFile,
    addAuthorizedKey(user, line) {
      const file = path.join(dir, 'authorized_keys', user);
      fs.appendFileSync(file, `${line.trim()}\n`);
      fs.chmodSync(file, 0o644);
    },
    logs: () => log,
    async waitForLog(pattern, from = 0, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(log.slice(from))) {
        if (Date.now() > deadline) throw new Error(`sshd did not log ${pattern} within ${timeoutMs} ms; it logged:\n${log.slice(from)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return log.slice(from);
    },
    ssh: (o) =>
      runTool(
        'ssh',
        sshArgs({
          port,
          host: o.host,
          user: o.user ?? 'root',
          knownHostsFile: o.knownHostsFile ?? hostKeysFile,
          identityFile: o.identity,
          certificateFile: o.certificate,
          identityAgent: o.identityAgent,
          identitiesOnly: o.identitiesOnly,
          options: o.options,
          command: o.command ?? 'echo ok',
        }),
        { env: o.env },
      ),
    async stop() {
      process.off('exit', onExit);
      // Sessions first, so that the listener is still there to reap them (this machine's init reaps
      // orphans late), then the listener; whatever has not gone after a grace gets SIGKILL.
      const under = descendants(pid);
      const settle = async (pids: number[]) => {
        for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 20));
      };
      signal(under, 'SIGTERM');
      await settle(under);
      signal([pid], 'SIGTERM');
      await settle([pid, ...under]);
      signal([pid, ...under].filter(alive), 'SIGKILL');
      await exited;
      removeDir(dir);
    },
  };
}

export interface SshOptions {
  /** The private key file (or, with `identityAgent`, the `.pub` whose private half the agent holds); none: only what the agent offers (with `identitiesOnly: false`). */
  identity?: string;
  /** A certificate file for it (`CertificateFile`); give one not named `<identity>-cert.pub` to be sure which is offered. */
  certificate?: string;
  /** Default `echo ok`. */
  command?: string;
  /** Default `root`. */
  user?: string;
  /** Default: this server's own `knownHostsFile`. */
  knownHostsFile?: string;
  /** Default `127.0.0.1` (sshd listens only there; `localhost` reaches it with `AddressFamily=inet`). */
  host?: string;
  identityAgent?: string;
  identitiesOnly?: boolean;
  /** More `-o` options, as `Name=value`. */
  options?: string[];
  /** Environment for ssh (SSH_AUTH_SOCK is never inherited). */
  env?: Record<string, string>;
}

export interface SshCommandOptions {
  port: number;
  /** Default `127.0.0.1`. */
  host?: string;
  user: string;
  /** The known_hosts file to use (and, with `accept-new`, to write). */
  knownHostsFile: string;
  /** Default `yes`: the host key must already be in `knownHostsFile`. */
  strictHostKeyChecking?: 'yes' | 'no' | 'accept-new';
  /** The agent socket (`IdentityAgent`); default `none`. */
  identityAgent?: string;
  /**
   * The identity to offer, usually a `.pub` file whose private half is in the agent. With
   * IdentitiesOnly (the default) ssh offers only this one, so no ~/.ssh default key is ever tried.
   * Left out, no IdentityFile is set: with `identitiesOnly: false` ssh offers the agent's keys.
   */
  identityFile?: string;
  /** `CertificateFile`: a certificate to offer with the identity. */
  certificateFile?: string;
  identitiesOnly?: boolean;
  /** `-A`: forward the agent. */
  forwardAgent?: boolean;
  /** More `-o` options, as `Name=value`. */
  options?: string[];
  /** The remote command, passed to the remote shell as one string. */
  command: string;
}

/**
 * The argument list for `ssh` to the harness's sshd, explicit about everything: `-F /dev/null` so
 * no ssh_config is read, its own known_hosts file, BatchMode, no password prompts, no ~/.ssh keys.
 */
export function sshArgs(o: SshCommandOptions): string[] {
  const opt = [
    `UserKnownHostsFile=${o.knownHostsFile}`,
    'GlobalKnownHostsFile=/dev/null',
    `StrictHostKeyChecking=${o.strictHostKeyChecking ?? 'yes'}`,
    'UpdateHostKeys=no',
    'BatchMode=yes',
    'PasswordAuthentication=no',
    'KbdInteractiveAuthentication=no',
    'ControlMaster=no',
    'ControlPath=none',
    'ConnectTimeout=60',
    `IdentityAgent=${o.identityAgent ?? 'none'}`,
    ...(o.identityFile ? [`IdentityFile=${o.identityFile}`] : []),
    ...(o.certificateFile ? [`CertificateFile=${o.certificateFile}`] : []),
    `IdentitiesOnly=${o.identitiesOnly === false ? 'no' : 'yes'}`,
    `ForwardAgent=${o.forwardAgent ? 'yes' : 'no'}`,
    ...(o.options ?? []),
  ];
  return ['-F', '/dev/null', ...opt.flatMap((x) => ['-o', x]), '-p', String(o.port), `${o.user}@${o.host ?? '127.0.0.1'}`, '--', o.command];
}
