import { SshReader, SshWriter, WireError } from './wire.js';

/**
 * Plain SSH public key blobs (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4) of the types keyhold
 * certifies: checked field by field and re-encoded canonically, so a certificate or KRL never
 * carries a blob OpenSSH would refuse to parse.
 */

/** The plain public key types a certificate can be issued for, or signed by. */
export const CERTIFIABLE_KEY_TYPES = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521'] as const;
export type CertifiableKeyType = (typeof CERTIFIABLE_KEY_TYPES)[number];

/** Uncompressed point sizes (0x04 ‖ X ‖ Y) per curve. */
const EC_POINT_BYTES: Record<string, number> = { nistp256: 65, nistp384: 97, nistp521: 133 };

/** A public key blob taken apart: its type and the encoded fields after the type string. */
export interface PublicKeyParts {
  type: CertifiableKeyType;
  /** The key's fields as they follow the type string (`mpint e, mpint n`; `string curve, string Q`; `string pk`), canonically encoded. */
  body: Buffer;
  /** RSA modulus size in bits (0 for other types). */
  rsaBits: number;
}

const isCertifiable = (t: string): t is CertifiableKeyType => (CERTIFIABLE_KEY_TYPES as readonly string[]).includes(t);

/** The number of significant bits in a big-endian magnitude without leading zeros. */
function bitLength(magnitude: Buffer): number {
  if (magnitude.length === 0) return 0;
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]!));
}

/** Reads one key's fields of `type` from `r` and writes them canonically to `w`; answers the RSA modulus size. */
export function readKeyBody(type: string, r: SshReader, w: SshWriter): number {
  if (type === 'ssh-ed25519') {
    const pk = r.string();
    if (pk.length !== 32) throw new WireError('Ed25519 public key is not 32 bytes');
    w.string(pk);
    return 0;
  }
  if (type === 'ssh-rsa') {
    const e = r.mpint();
    const n = r.mpint();
    if (e.length === 0 || n.length === 0) throw new WireError('RSA public key has an empty exponent or modulus');
    w.mpint(e).mpint(n);
    return bitLength(n);
  }
  const curve = type.startsWith('ecdsa-sha2-') ? type.slice('ecdsa-sha2-'.length) : '';
  const size = EC_POINT_BYTES[curve];
  if (size !== undefined) {
    const named = r.text();
    if (named !== curve) throw new WireError(`ECDSA key of type ${type} names curve ${named}`);
    const q = r.string();
    if (q.length !== size || q[0] !== 0x04) throw new WireError(`ECDSA ${curve} point is not an uncompressed ${size}-byte point`);
    w.string(named).string(q);
    return 0;
  }
  throw new WireError(`unsupported public key type ${type}`);
}

/** Takes a plain public key blob apart, refusing certificates, unknown types, bad sizes and trailing bytes. */
export function parsePublicKeyBlob(blob: Buffer): PublicKeyParts {
  const r = new SshReader(blob);
  const type = r.text();
  if (!isCertifiable(type)) throw new WireError(`unsupported public key type ${type}`);
  const w = new SshWriter();
  const rsaBits = readKeyBody(type, r, w);
  r.end('public key');
  return { type, body: w.bytes(), rsaBits };
}

/** The canonical encoding of a plain public key blob (`string type` ‖ fields). */
export function canonicalPublicKeyBlob(blob: Buffer): Buffer {
  const { type, body } = parsePublicKeyBlob(blob);
  return new SshWriter().string(type).raw(body).bytes();
}

/** An `authorized_keys`-style line (`type base64 [comment]`) to its blob; the type word must match the blob's. */
export function parsePublicKeyLine(line: string): Buffer {
  const [word, b64] = line.trim().split(/\s+/);
  if (!word || !b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new WireError('not a public key line');
  const blob = Buffer.from(b64, 'base64');
  const inner = new SshReader(blob).text();
  if (inner !== word) throw new WireError(`public key line says ${word} but holds ${inner}`);
  return blob;
}

/** `type base64 [comment]`, as ssh-keygen writes a `.pub` file (without the newline). */
export function publicKeyLine(blob: Buffer, comment?: string): string {
  const type = new SshReader(blob).text();
  return comment ? `${type} ${blob.toString('base64')} ${comment}` : `${type} ${blob.toString('base64')}`;
}
