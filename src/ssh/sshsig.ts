import { createHash } from 'node:crypto';
import { SshReader, SshWriter, WireError } from './wire.js';

/**
 * SSH signatures of files and messages (OpenSSH's PROTOCOL.sshsig), as `ssh-keygen -Y sign` and
 * git's `gpg.format=ssh` make them: the "signed data" a signer hands to an agent (§3), and the
 * armored signature file built around the agent's answer (§1, §2).
 */

/** MAGIC_PREAMBLE: the six bytes that start both the signed data and the signature blob. */
export const SSHSIG_MAGIC = Buffer.from('SSHSIG');
/** SIG_VERSION of the signature blob. */
export const SSHSIG_VERSION = 1;
/** The hash algorithms PROTOCOL.sshsig allows, with their digest lengths. */
export const SSHSIG_HASHES: Readonly<Record<string, number>> = { sha256: 32, sha512: 64 };
/** ssh-keygen's default (sshsig.c HASHALG_DEFAULT). */
export const SSHSIG_DEFAULT_HASH = 'sha512';

const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';

/** What an SSHSIG signer asks to have signed. */
export interface SshsigSignedData {
  namespace: string;
  /** `sha256` or `sha512`. */
  hashAlgorithm: string;
  /** H(message), of the length the hash algorithm gives. */
  hash: Buffer;
  /** The reserved field; empty from every OpenSSH signer, and ignored by verifiers. */
  reserved: Buffer;
}

function checkNamespace(namespace: string): void {
  if (namespace.length === 0) throw new WireError('an SSHSIG namespace must not be empty');
}

function checkHash(hashAlgorithm: string, hash?: Buffer): void {
  const size = SSHSIG_HASHES[hashAlgorithm];
  if (size === undefined) throw new WireError(`SSHSIG hash algorithm ${hashAlgorithm} is not sha256 or sha512`);
  if (hash && hash.length !== size) throw new WireError(`a ${hashAlgorithm} hash has ${size} bytes, not ${hash.length}`);
}

/**
 * Parses the data an SSHSIG signer hands to an agent: `byte[6] "SSHSIG", string namespace,
 * string reserved, string hash_algorithm, string H(message)`. Throws `WireError` on anything else,
 * including trailing bytes and an unknown hash algorithm.
 */
export function parseSshsigSignedData(data: Buffer): SshsigSignedData {
  if (data.length < SSHSIG_MAGIC.length || !data.subarray(0, SSHSIG_MAGIC.length).equals(SSHSIG_MAGIC)) throw new WireError('not SSHSIG signed data');
  const r = new SshReader(data.subarray(SSHSIG_MAGIC.length));
  const namespace = r.text();
  const reserved = r.string();
  const hashAlgorithm = r.text();
  const hash = r.string();
  r.end('SSHSIG signed data');
  checkNamespace(namespace);
  checkHash(hashAlgorithm, hash);
  return { namespace, hashAlgorithm, hash, reserved };
}

/** The signed data for `message` in `namespace`, as ssh-keygen builds it before signing. */
export function buildSshsigSignedData(message: Buffer, namespace: string, hashAlgorithm: string = SSHSIG_DEFAULT_HASH): Buffer {
  checkNamespace(namespace);
  checkHash(hashAlgorithm);
  const hash = createHash(hashAlgorithm).update(message).digest();
  return new SshWriter().raw(SSHSIG_MAGIC).string(namespace).string('').string(hashAlgorithm).string(hash).bytes();
}

/** The parts of an SSHSIG signature blob. */
export interface SshsigParts {
  /** The signer's public key blob. */
  publicBlob: Buffer;
  namespace: string;
  hashAlgorithm: string;
  /** The SSH signature blob (`string algorithm, string signature`) over the signed data. */
  signature: Buffer;
}

/** The binary SSHSIG blob (PROTOCOL.sshsig §2), reserved field empty. */
export function buildSshsigBlob(parts: SshsigParts): Buffer {
  checkNamespace(parts.namespace);
  checkHash(parts.hashAlgorithm);
  return new SshWriter()
    .raw(SSHSIG_MAGIC)
    .uint32(SSHSIG_VERSION)
    .string(parts.publicBlob)
    .string(parts.namespace)
    .string('')
    .string(parts.hashAlgorithm)
    .string(parts.signature)
    .bytes();
}

/**
 * The armored signature file, byte for byte as ssh-keygen writes it (sshsig.c sshsig_armor and
 * sshbuf_dtob64): the header line, the blob's base64 in lines of 70 characters, the footer line.
 */
export function armorSshsig(parts: SshsigParts): string {
  const b64 = buildSshsigBlob(parts).toString('base64');
  const lines = b64.match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}
