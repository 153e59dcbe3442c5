import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import sshpk from 'sshpk';
import { SshReader, SshWriter, WireError } from './wire.js';

/**
 * SSH signatures (RFC 4253 §6.6, RFC 5656 §3.1.2, RFC 8332, RFC 8709) made and checked with
 * node:crypto. sshpk parses key files; the signature blobs are written here, because sshpk has no
 * rsa-sha2-* and its blob layout is what OpenSSH expects only for some key types.
 */

/** The agent protocol's signature flags (draft-miller-ssh-agent §4.5.1). */
export const SSH_AGENT_RSA_SHA2_256 = 0x02;
export const SSH_AGENT_RSA_SHA2_512 = 0x04;

/** A private key ready to sign: its public blob (`string type, ...` as in `authorized_keys`) and the key itself. */
export interface SigningKey {
  /** The public key's wire type: `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, … */
  type: string;
  publicBlob: Buffer;
  privateKey: KeyObject;
}

const CURVE_HASH: Record<string, string> = { nistp256: 'sha256', nistp384: 'sha384', nistp521: 'sha512' };
const RSA_ALGORITHMS: Record<string, string> = { 'ssh-rsa': 'sha1', 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' };

/** The wire type at the start of a public key (or signature) blob. */
export function blobType(blob: Buffer): string {
  return new SshReader(blob).text();
}

/** `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints it. */
export function fingerprintOf(publicBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicBlob).digest('base64').replace(/=+$/, '')}`;
}

/** A named part of an sshpk key (`A`, `k`, …), as bytes. */
function part(key: sshpk.Key | sshpk.PrivateKey, name: string): Buffer {
  const found = (key as unknown as { part: Record<string, { data: Buffer } | undefined> }).part[name];
  if (!found) throw new WireError(`the key has no ${name} part`);
  return found.data;
}

/** A stored (unencrypted) private key in any format sshpk reads. */
export function loadSigningKey(privateKeyText: string): SigningKey {
  const key = sshpk.parsePrivateKey(privateKeyText, 'auto');
  const publicBlob = key.toPublic().toBuffer('rfc4253', {});
  // sshpk's PKCS#8 for Ed25519 is not what OpenSSL reads; a JWK from the raw parts is.
  const privateKey =
    key.type === 'ed25519'
      ? createPrivateKey({
          key: { kty: 'OKP', crv: 'Ed25519', d: part(key, 'k').subarray(0, 32).toString('base64url'), x: part(key, 'A').toString('base64url') },
          format: 'jwk',
        })
      : key.type === 'rsa'
        ? rsaPrivateKey(key)
        : createPrivateKey({ key: key.toBuffer('pkcs8', {}), format: 'pem' });
  return { type: blobType(publicBlob), publicBlob, privateKey };
}

const toBig = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);
const fromBig = (n: bigint) => {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
};
const unsigned = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);

/**
 * An RSA key with all its CRT parameters. OpenSSH's format stores n, e, d, iqmp, p and q but not
 * d mod (p-1) and d mod (q-1), and sshpk's PKCS#8 leaves those two empty, which makes OpenSSL sign
 * without the CRT (about 8 times slower); they are computed here.
 */
function rsaPrivateKey(key: sshpk.PrivateKey): KeyObject {
  const [n, e, d, p, q, iqmp] = ['n', 'e', 'd', 'p', 'q', 'iqmp'].map((name) => unsigned(part(key, name))) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  const dBig = toBig(d);
  const b64 = (b: Buffer) => b.toString('base64url');
  return createPrivateKey({
    key: { kty: 'RSA', n: b64(n), e: b64(e), d: b64(d), p: b64(p), q: b64(q), dp: fromBig(dBig % (toBig(p) - 1n)), dq: fromBig(dBig % (toBig(q) - 1n)), qi: b64(iqmp) },
    format: 'jwk',
  });
}

/** A public key blob as a node:crypto key, for checking signatures. */
export function publicKeyFromBlob(publicBlob: Buffer): KeyObject {
  const key = sshpk.parseKey(publicBlob, 'rfc4253');
  if (key.type === 'ed25519') return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: part(key, 'A').toString('base64url') }, format: 'jwk' });
  return createPublicKey({ key: key.toBuffer('pkcs8', {}), format: 'pem' });
}

/**
 * The signature algorithm an agent uses for `type` with these flags, as OpenSSH's agent decides it
 * (ssh-agent.c, agent_decode_alg): an RSA key signs with rsa-sha2-256 when that flag is set, else
 * with rsa-sha2-512 when that one is, and with SHA-1 `ssh-rsa` only when neither is. When both
 * flags are set, 256 wins. Other keys sign with their own type whatever the flags.
 */
export function signatureAlgorithm(type: string, flags: number): string {
  if (type !== 'ssh-rsa') return type;
  if (flags & SSH_AGENT_RSA_SHA2_256) return 'rsa-sha2-256';
  if (flags & SSH_AGENT_RSA_SHA2_512) return 'rsa-sha2-512';
  return 'ssh-rsa';
}

/** IEEE P1363 r‖s to the SSH form: `mpint r, mpint s`. */
function ecdsaToSsh(p1363: Buffer): Buffer {
  const half = p1363.length / 2;
  return new SshWriter().mpint(p1363.subarray(0, half)).mpint(p1363.subarray(half)).bytes();
}

/** The SSH form back to IEEE P1363 with each half `size` bytes. */
function ecdsaFromSsh(blob: Buffer, size: number): Buffer {
  const r = new SshReader(blob);
  const parts = [r.mpint(), r.mpint()];
  r.end('ecdsa signature');
  return Buffer.concat(
    parts.map((p) => {
      if (p.length > size) throw new WireError('ecdsa signature component too long');
      return Buffer.concat([Buffer.alloc(size - p.length), p]);
    }),
  );
}

const CURVE_BYTES: Record<string, number> = { nistp256: 32, nistp384: 48, nistp521: 66 };

/** The curve name of an `ecdsa-sha2-<curve>` type, or undefined. */
const curveOf = (type: string) => (type.startsWith('ecdsa-sha2-') ? type.slice('ecdsa-sha2-'.length) : undefined);

/**
 * Signs `data` and answers the SSH signature blob: `string algorithm, string signature`. Only an RSA
 * key has a choice of algorithm; any other key refuses an algorithm that is not its own type.
 */
export function signSsh(key: SigningKey, data: Buffer, algorithm = key.type): Buffer {
  if (key.type !== 'ssh-rsa' && algorithm !== key.type) throw new WireError(`a ${key.type} key cannot sign with ${algorithm}`);
  let sig: Buffer;
  if (key.type === 'ssh-ed25519') {
    sig = sign(null, data, key.privateKey);
  } else if (key.type === 'ssh-rsa') {
    const hash = RSA_ALGORITHMS[algorithm];
    if (!hash) throw new WireError(`an RSA key cannot sign with ${algorithm}`);
    sig = sign(hash, data, key.privateKey);
  } else {
    const hash = CURVE_HASH[curveOf(key.type) ?? ''];
    if (!hash) throw new WireError(`keys of type ${key.type} cannot sign here`);
    sig = ecdsaToSsh(sign(hash, data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }));
  }
  return new SshWriter().string(algorithm).string(sig).bytes();
}

/**
 * Does `signatureBlob` sign `data` with the key in `publicBlob`? The algorithm must suit the key
 * (an RSA key's `ssh-rsa`, `rsa-sha2-256` or `rsa-sha2-512`; any other key's own type).
 */
export function verifySsh(publicBlob: Buffer, data: Buffer, signatureBlob: Buffer): boolean {
  try {
    const type = blobType(publicBlob);
    const r = new SshReader(signatureBlob);
    const algorithm = r.text();
    const sig = r.string();
    r.end('signature');
    const key = publicKeyFromBlob(publicBlob);
    if (type === 'ssh-ed25519') return algorithm === type && verify(null, data, key, sig);
    if (type === 'ssh-rsa') {
      const hash = RSA_ALGORITHMS[algorithm];
      return hash !== undefined && verify(hash, data, key, sig);
    }
    const curve = curveOf(type) ?? '';
    const hash = CURVE_HASH[curve];
    const size = CURVE_BYTES[curve];
    if (hash && size && algorithm === type) return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, ecdsaFromSsh(sig, size));
    return false;
  } catch {
    return false;
  }
}
