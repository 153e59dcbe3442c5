import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src/config.js';
import type { Clock } from '../../src/domain/types.js';
import { parseKrl } from '../../src/ssh/krl.js';
import { type CliResult, keyholdAsync } from './cli.js';
import { runTool } from './run-tool.js';
import { startTestServer, type TestResponse, type TestServer } from './server.js';
import { ensureUser, DEPLOY_USER, type Sshd, type SshdOptions, startSshd } from './sshd.js';
import { removeDir, tempDir } from './ssh-keys.js';

/**
 * keyhold as an SSH CA, end to end: a test server (SQLite, or PostgreSQL with
 * KEYHOLD_TEST_DATABASE_URL), a root token, a temp dir for keys, certificates and KRLs, the HTTP
 * API with status checks, the compiled CLI run without blocking the server in this process, and
 * sshds from test/helpers/sshd.ts that trust the CA (TrustedUserCAKeys) and a principals file per user.
 */

export interface CaWorld {
  s: TestServer;
  /** A root token of team acme. */
  root: string;
  /** Temp dir for keys, certificates and KRLs (removed by close). */
  dir: string;
  /** A call as any client makes it; no status check. */
  api(method: string, url: string, body?: unknown, token?: string): Promise<TestResponse>;
  /** A call that must answer `status` (default: any 2xx); its JSON (or text), else an assertion error with the body. */
  ok(method: string, url: string, body?: unknown, token?: string, status?: number): Promise<any>;
  /** `POST /v1/ssh/cas` (201). */
  createCa(name: string, type?: 'user' | 'host', privateKeyUuid?: string): Promise<any>;
  /** `POST /v1/ssh/roles` (201). */
  createRole(body: Record<string, unknown>): Promise<any>;
  /** `POST /v1/ssh/certificates` (201), by default with the root token. */
  issue(body: Record<string, unknown>, token?: string): Promise<Issued>;
  /** A token of team acme with these abilities (and role restriction), through `POST /v1/tokens`. */
  token(abilities: string[], sshRoles?: string[]): Promise<string>;
  /** The CA's `public-key` line (text/plain). */
  caLine(name: string): Promise<string>;
  /** Writes a certificate line to `<dir>/<name>` (never `<key>-cert.pub`, which ssh would load by itself); answers the path. */
  writeCert(name: string, line: string): string;
  /** `keyhold …` (the compiled CLI) with KEYHOLD_URL set and `token` as KEYHOLD_TOKEN (default root). */
  cli(args: string[], opts?: { token?: string; env?: Record<string, string>; cwd?: string }): Promise<CliResult>;
  close(): Promise<void>;
}

export interface Issued {
  serial: number;
  certificate: string;
  key_id: string;
  principals: string[];
  valid_after: string;
  valid_before: string;
}

export async function startCaWorld(opts: { clock?: Clock; config?: Partial<Config> } = {}): Promise<CaWorld> {
  const s = await startTestServer(opts);
  const dir = tempDir('keyhold-ca-e2e-');
  // sshd reads a user's principals file as that user: keyhold-deploy must be able to reach files here.
  fs.chmodSync(dir, 0o755);
  const root = await s.token('root');
  const api = (method: string, url: string, body?: unknown, token = root) => s.request(method, url, { token, body });
  const ok = async (method: string, url: string, body?: unknown, token = root, status?: number) => {
    const r = await api(method, url, body, token);
    if (status === undefined) assert.ok(r.status >= 200 && r.status < 300, `${method} ${url}: ${r.status} ${r.text}`);
    else assert.equal(r.status, status, `${method} ${url}: ${r.status} ${r.text}`);
    if (!r.text) return undefined;
    return (r.headers.get('content-type') ?? '').includes('json') ? r.json() : r.text;
  };
  return {
    s,
    root,
    dir,
    api,
    ok,
    createCa: (name, type = 'user', privateKeyUuid) =>
      ok('POST', '/v1/ssh/cas', { name, type, ...(privateKeyUuid ? { private_key_uuid: privateKeyUuid } : {}) }, root, 201),
    createRole: (body) => ok('POST', '/v1/ssh/roles', body, root, 201),
    issue: (body, token = root) => ok('POST', '/v1/ssh/certificates', body, token, 201),
    async token(abilities, sshRoles) {
      const body = { name: `t-${abilities.join('-')}`, abilities, ...(sshRoles ? { ssh_roles: sshRoles } : {}) };
      return (await ok('POST', '/v1/tokens', body, root, 201)).token as string;
    },
    async caLine(name) {
      const r = await api('GET', `/v1/ssh/cas/${name}/public-key`);
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(r.text, /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+ keyhold-ca-[a-z0-9-]+\n$/);
      return r.text.trim();
    },
    writeCert(name, line) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, `${line}\n`);
      return file;
    },
    cli: (args, o = {}) => keyholdAsync(args, { KEYHOLD_URL: s.url, KEYHOLD_TOKEN: o.token ?? root, ...o.env }, o.cwd),
    async close() {
      await s.close();
      removeDir(dir);
    },
  };
}

/**
 * An sshd trusting `caLines` (TrustedUserCAKeys) whose AuthorizedPrincipalsFile, per user, lists
 * `principals[user]` (root, and keyhold-deploy, made when missing); more config lines after.
 */
export async function caSshd(caLines: string[], principals: Record<string, string[]>, more: Pick<SshdOptions, 'config' | 'prepare'> = {}): Promise<Sshd> {
  if (principals[DEPLOY_USER]) ensureUser();
  return startSshd({
    async prepare(dir, hostKeys) {
      fs.writeFileSync(path.join(dir, 'trusted-user-ca-keys'), caLines.map((l) => `${l}\n`).join(''));
      fs.mkdirSync(path.join(dir, 'principals'), { mode: 0o755 });
      for (const [user, names] of Object.entries(principals))
        fs.writeFileSync(path.join(dir, 'principals', user), names.map((n) => `${n}\n`).join(''), { mode: 0o644 });
      await more.prepare?.(dir, hostKeys);
    },
    config: (dir) => [
      `TrustedUserCAKeys ${path.join(dir, 'trusted-user-ca-keys')}`,
      `AuthorizedPrincipalsFile ${path.join(dir, 'principals', '%u')}`,
      ...(typeof more.config === 'function' ? more.config(dir) : (more.config ?? [])),
    ],
  });
}

/** `ssh-keygen -L -f file` in UTC, without its first line (the file name). */
export async function keygenList(file: string): Promise<string> {
  const r = await runTool('ssh-keygen', ['-L', '-f', file], { env: { TZ: 'UTC' } });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.replace(`${file}:\n`, '');
}

/** An API time (`2026-01-31T12:00:00.000Z`) as ssh-keygen -L prints it in UTC (`2026-01-31T12:00:00`). */
export const keygenTime = (iso: string) => iso.slice(0, 19);

/** `ssh-keygen -Q -f krl files…`: each file's verdict, `REVOKED` or `ok`, in order. */
export async function krlQuery(krl: string, files: string[]): Promise<string[]> {
  const r = await runTool('ssh-keygen', ['-Q', '-f', krl, ...files]);
  assert.ok(r.code === 0 || r.code === 1, `ssh-keygen -Q exited ${r.code}: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, files.length, r.stdout);
  return lines.map((l, i) => {
    // `<file>: verdict`, or `<file> (<comment>): verdict` for a key or certificate with a comment.
    assert.ok(l.startsWith(`${files[i]}: `) || l.startsWith(`${files[i]} (`), l);
    return l.slice(l.lastIndexOf(': ') + 2);
  });
}

/** The KRL file's version (its header's krl_version). */
export const krlVersion = (file: string) => parseKrl(fs.readFileSync(file)).version;

/** A regular expression matching `text` literally. */
export const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));

/** sshd's last line for a connection that failed to authenticate (after which its reasons are all logged). */
export const AUTH_GAVE_UP = /(Connection closed by|Disconnected from) authenticating user/;
