import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSigningKey, type SigningKey } from '../../src/ssh/signature.js';

/** Key types the SSH tests generate with ssh-keygen. */
export type KeyKind = 'ed25519' | 'rsa' | 'ecdsa' | 'ecdsa384' | 'ecdsa521';

/** A key ssh-keygen made in a temp dir: its files, its text and what keyhold reads from it. */
export interface TestKey {
  /** The private key file (OpenSSH format, no passphrase). */
  path: string;
  /** `<path>.pub`. */
  pubPath: string;
  privateText: string;
  /** The `.pub` line: `type base64 comment`. */
  publicLine: string;
  /** The public blob, base64-decoded from the `.pub` line. */
  blob: Buffer;
  /** `SHA256:…` as `ssh-keygen -l -f` prints it. */
  fingerprint: string;
  comment: string;
  signing: SigningKey;
}

const ARGS: Record<KeyKind, string[]> = {
  ed25519: ['-t', 'ed25519'],
  rsa: ['-t', 'rsa', '-b', '2048'],
  ecdsa: ['-t', 'ecdsa', '-b', '256'],
  ecdsa384: ['-t', 'ecdsa', '-b', '384'],
  ecdsa521: ['-t', 'ecdsa', '-b', '521'],
};

/** A fresh temp dir; the caller removes it (see `removeDir`). */
export function tempDir(prefix = 'keyhold-ssh-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** `ssh-keygen -l -f file` → its `SHA256:…` field. */
export function keygenFingerprint(file: string): string {
  const out = execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' });
  const fp = out.split(' ')[1];
  if (!fp?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -l output: ${out}`);
  return fp;
}

/** Generates a key of `kind` named `name` in `dir` with ssh-keygen. */
export function makeKey(dir: string, kind: KeyKind, name: string = kind): TestKey {
  const file = path.join(dir, name);
  const comment = `${name}@keyhold-test`;
  execFileSync('ssh-keygen', ['-q', ...ARGS[kind], '-N', '', '-C', comment, '-f', file]);
  const privateText = fs.readFileSync(file, 'utf8');
  const publicLine = fs.readFileSync(`${file}.pub`, 'utf8').trim();
  return {
    path: file,
    pubPath: `${file}.pub`,
    privateText,
    publicLine,
    blob: Buffer.from(publicLine.split(' ')[1]!, 'base64'),
    fingerprint: keygenFingerprint(`${file}.pub`),
    comment,
    signing: loadSigningKey(privateText),
  };
}
