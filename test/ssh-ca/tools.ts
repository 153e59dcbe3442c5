// OpenSSH tools for the ssh-ca tests: keys made by ssh-keygen in temp dirs, ssh-keygen runs with
// a fixed time zone (its -L output is local time), nothing outside the temp dirs.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprintOf, loadSigningKey, type SigningKey } from '../../src/ssh/signature.ts';
import { parsePublicKeyLine } from '../../src/ssh/public-key.ts';

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'keyhold-ssh-ca-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** ssh-keygen's environment: UTC (for -L), no agent. */
const env = () => {
  const e: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC' };
  delete e.SSH_AUTH_SOCK;
  return e;
};

export interface KeyFiles {
  /** Private key path (OpenSSH format, no passphrase). */
  path: string;
  pubPath: string;
  pubLine: string;
  publicBlob: Buffer;
  /** `SHA256:…` */
  fingerprint: string;
  signingKey: SigningKey;
}

export type KeySpec = 'ed25519' | 'rsa' | 'ecdsa-256' | 'ecdsa-384' | 'ecdsa-521';

/** A key made by `ssh-keygen -t … -f dir/name`. */
export function makeKey(dir: string, name: string, spec: KeySpec = 'ed25519', comment = name): KeyFiles {
  const file = path.join(dir, name);
  const [t, bits] = spec.startsWith('ecdsa') ? ['ecdsa', spec.slice(6)] : spec === 'rsa' ? ['rsa', '2048'] : ['ed25519', undefined];
  execFileSync('ssh-keygen', ['-q', '-t', t, ...(bits ? ['-b', bits] : []), '-N', '', '-C', comment, '-f', file], { env: env() });
  const pubLine = fs.readFileSync(`${file}.pub`, 'utf8').trim();
  return {
    path: file,
    pubPath: `${file}.pub`,
    pubLine,
    publicBlob: parsePublicKeyLine(pubLine),
    fingerprint: fingerprintOf(parsePublicKeyLine(pubLine)),
    signingKey: loadSigningKey(fs.readFileSync(file, 'utf8')),
  };
}

/** Runs ssh-keygen; throws with its stderr unless it exits 0 (or `allowFail`). */
export function sshKeygen(args: string[], opts: { cwd?: string; allowFail?: boolean } = {}): { status: number; stdout: string; stderr: string } {
  const res = spawnSync('ssh-keygen', args, { cwd: opts.cwd, env: env(), encoding: 'utf8' });
  const out = { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
  if (out.status !== 0 && !opts.allowFail) throw new Error(`ssh-keygen ${args.join(' ')} exited ${out.status}: ${out.stderr}`);
  return out;
}
