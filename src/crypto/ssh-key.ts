import { createHash } from 'node:crypto';
import sshpk from 'sshpk';

/** A private key that passed the key check, with what Coolify derives from it. */
export interface ParsedSshKey {
  /** The stored form: trimmed text plus exactly one newline. */
  normalized: string;
  /** `<type> <base64 blob> ` with the trailing space phpseclib writes. */
  publicKey: string;
  /** base64(sha256(blob)) without padding or the `SHA256:` prefix, as `ssh-keygen -l` shows. */
  fingerprint: string;
  type: string;
}

const LABELS = new Set(['RSA PRIVATE KEY', 'DSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY']);
const ARMOUR = /^-----BEGIN ([A-Z ]+)-----\r?\n([\s\S]*?)\r?\n-----END ([A-Z ]+)-----$/;
const TYPES = new Set(['rsa', 'dsa', 'ecdsa', 'ed25519']);
const CURVES = new Set(['nistp256', 'nistp384', 'nistp521']);

/** PHP's trim(): ASCII whitespace and NUL. */
export function phpTrim(text: string): string {
  return text.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');
}

/** Coolify's `formatPrivateKey`: trim, then one trailing newline. */
export function normalizePrivateKey(text: string): string {
  return phpTrim(text) + '\n';
}

/**
 * Parses an unencrypted private key in OpenSSH, PKCS#1, PKCS#8 or SEC1 form.
 * Returns null for anything else: public keys, passphrase-protected keys, PuTTY files, garbage.
 */
export function parsePrivateKey(input: string): ParsedSshKey | null {
  const normalized = normalizePrivateKey(input);
  const text = normalized.slice(0, -1);
  const m = ARMOUR.exec(text);
  if (!m || m[1] !== m[3] || !LABELS.has(m[1]!)) return null;
  if (/Proc-Type:\s*4,ENCRYPTED/i.test(m[2]!)) return null;
  let key: sshpk.PrivateKey;
  try {
    key = sshpk.parsePrivateKey(text, m[1] === 'OPENSSH PRIVATE KEY' ? 'openssh' : 'pem');
  } catch {
    return null;
  }
  if (!TYPES.has(key.type)) return null;
  if (key.type === 'ecdsa' && !CURVES.has(String(key.curve))) return null;
  let blob: Buffer;
  try {
    blob = key.toPublic().toBuffer('rfc4253', {});
  } catch {
    return null;
  }
  const typeLen = blob.readUInt32BE(0);
  const type = blob.subarray(4, 4 + typeLen).toString('latin1');
  return {
    normalized,
    publicKey: `${type} ${blob.toString('base64')} `,
    fingerprint: createHash('sha256').update(blob).digest('base64').replace(/=$/, ''),
    type,
  };
}

/** Why a text that is not a key keyhold reads is not one, as far as can be told. */
export type KeyTextProblem = 'encrypted' | 'public' | 'putty' | 'unknown';

/**
 * The common mistakes: a passphrase-protected key (PEM `Proc-Type: 4,ENCRYPTED`, encrypted PKCS#8,
 * or an OpenSSH key whose cipher is not `none`), a public key pasted instead of the private one, a
 * PuTTY file. Anything else is `unknown`.
 */
export function keyTextProblem(input: string): KeyTextProblem {
  const text = phpTrim(input);
  if (/^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-(ssh|ecdsa)-[\w@.-]+)\s+AAAA/.test(text) || /-----BEGIN (SSH2 |RSA )?PUBLIC KEY-----/.test(text)) return 'public';
  if (/^PuTTY-User-Key-File-/m.test(text)) return 'putty';
  if (/Proc-Type:\s*4,ENCRYPTED/i.test(text) || /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text)) return 'encrypted';
  const m = ARMOUR.exec(text);
  if (m && m[1] === 'OPENSSH PRIVATE KEY') {
    // openssh-key-v1\0, then string ciphername: anything but "none" is passphrase-protected.
    const blob = Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64');
    const magic = 'openssh-key-v1\0';
    if (blob.subarray(0, magic.length).toString('latin1') === magic && blob.length >= magic.length + 4) {
      const len = blob.readUInt32BE(magic.length);
      const cipher = blob.subarray(magic.length + 4, magic.length + 4 + len).toString('latin1');
      if (cipher !== 'none') return 'encrypted';
    }
  }
  return 'unknown';
}
