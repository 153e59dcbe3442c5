import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI_ARGS, ROOT } from './cli.js';
import { runTool, type ToolResult } from './run-tool.js';
import type { TestServer } from './server.js';
import { type Sshd, sshArgs, type SshCommandOptions } from './sshd.js';
import { type KeyKind, makeKey, type TestKey } from './ssh-keys.js';

/**
 * The pieces the `keyhold agent` end-to-end tests (test/integration/ssh-agent*.test.ts) share: keys
 * stored in a real test server (their private files deleted once uploaded), `sign` tokens, the
 * real CLI run as `keyhold agent -- COMMAND` or in the foreground, and ssh argument lists for the
 * harness's sshd.
 */

/** The compiled CLI's entry (bin/keyhold.mjs), as users run it. */
export const KEYHOLD_BIN = CLI_ARGS[0]!;
/** git's gpg.ssh.program for keys in keyhold. */
export const SSH_SIGN_BIN = path.join(ROOT, 'bin', 'keyhold-ssh-sign.mjs');

/** A key stored in keyhold: its ssh-keygen files (the private one deleted) and its uuid. */
export interface StoredKey extends TestKey {
  uuid: string;
}

/** Makes a key with ssh-keygen in `dir`, stores it through the API, and deletes its private file. */
export async function storeKey(s: TestServer, root: string, dir: string, kind: KeyKind, name: string): Promise<StoredKey> {
  const key = makeKey(dir, kind, name);
  const created = await s.request('POST', '/v1/private-keys', { token: root, body: { name, private_key: key.privateText } });
  assert.equal(created.status, 201, created.text);
  fs.rmSync(key.path);
  return { ...key, uuid: created.json().uuid };
}

/** A token made through POST /v1/tokens (abilities `sign` unless told, restricted to `privateKeys` when given). */
export async function makeToken(
  s: TestServer,
  root: string,
  opts: { abilities?: string[]; privateKeys?: string[]; name?: string } = {},
): Promise<{ id: number; token: string }> {
  const body = { name: opts.name ?? 'ci', abilities: opts.abilities ?? ['sign'], ...(opts.privateKeys ? { private_keys: opts.privateKeys } : {}) };
  const r = await s.request('POST', '/v1/tokens', { token: root, body });
  assert.equal(r.status, 201, r.text);
  return { id: r.json().id, token: r.json().token };
}

/** Replaces a key's signing policy (PATCH /v1/private-keys/{uuid} `signing`). */
export async function setPolicy(s: TestServer, root: string, uuid: string, signing: Record<string, unknown> | null): Promise<void> {
  const r = await s.request('PATCH', `/v1/private-keys/${uuid}`, { token: root, body: { signing } });
  assert.equal(r.status, 200, r.text);
}

/** The env that points the agent (or keyhold-ssh-sign) at keyhold. */
export const agentEnv = (s: TestServer | { url: string }, token: string): Record<string, string> => ({ KEYHOLD_URL: s.url, KEYHOLD_TOKEN: token });

/** `keyhold agent -- COMMAND…`, the real CLI in a child process. */
export function agentRun(env: Record<string, string>, command: string[], opts: { input?: string; cwd?: string } = {}): Promise<ToolResult> {
  return runTool(process.execPath, [KEYHOLD_BIN, 'agent', '--', ...command], { env, ...opts });
}

/** The ssh arguments for a login to the harness sshd with the agent at SSH_AUTH_SOCK (the default) or `agent`. */
export function loginArgs(sshd: Sshd, key: TestKey, knownHostsFile: string, user: string, command: string, extra: Partial<SshCommandOptions> = {}): string[] {
  return sshArgs({ port: sshd.port, user, knownHostsFile, identityAgent: 'SSH_AUTH_SOCK', identityFile: key.pubPath, command, ...extra });
}

/** Writes a known_hosts file trusting each sshd, and answers its path. */
export function knownHostsFor(dir: string, ...servers: Sshd[]): string {
  const file = path.join(dir, 'known_hosts');
  fs.writeFileSync(file, servers.map((x) => x.knownHosts()).join(''));
  return file;
}

/** `keyhold agent` in the foreground: the socket it printed, its output so far, and a way to stop it. */
export interface ForegroundAgent {
  child: ChildProcess;
  socket: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `keyhold agent [args]` and waits for its first stdout line, `SSH_AUTH_SOCK=<path>`. */
export async function startForegroundAgent(env: Record<string, string>, args: string[] = []): Promise<ForegroundAgent> {
  const { SSH_AUTH_SOCK: _ignored, ...base } = process.env;
  const child = spawn(process.execPath, [KEYHOLD_BIN, 'agent', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const socket = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    void exited.then(({ code }) => reject(new Error(`keyhold agent exited with ${code} before printing its socket: ${err}`)));
  });
  const m = /^SSH_AUTH_SOCK=(\/\S+)$/.exec(socket);
  if (!m) {
    child.kill('SIGKILL');
    throw new Error(`keyhold agent's first stdout line is not SSH_AUTH_SOCK=<path>: ${JSON.stringify(socket)}`);
  }
  return {
    child,
    socket: m[1]!,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The audit rows `private_key.sign` of one key, newest first (GET /v1/private-keys/{uuid}/signatures). */
export async function signatures(
  s: TestServer,
  token: string,
  uuid: string,
): Promise<Array<{ detail: Record<string, unknown>; token_id: number; action: string }>> {
  const r = await s.request('GET', `/v1/private-keys/${uuid}/signatures`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json().events;
}

/** A counter's value in GET /metrics for exactly these labels (0 when the series is absent). */
export async function metricValue(s: TestServer, name: string, labels: Record<string, string>): Promise<number> {
  const text = (await s.request('GET', '/metrics')).text;
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const m = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (m[2]!.split(',').sort().join(',') === want) return Number(m[3]);
  }
  return 0;
}

/** Single-quotes a word for a POSIX shell. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
