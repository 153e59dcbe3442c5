import { randomBytes } from 'node:crypto';
import { parsePublicKeyBlob, publicKeyLine, readKeyBody, CERTIFIABLE_KEY_TYPES, type CertifiableKeyType } from './public-key.js';
import { signSsh, verifySsh, type SigningKey } from './signature.js';
import { SshReader, SshWriter, WireError } from './wire.js';

/**
 * OpenSSH certificates (PROTOCOL.certkeys, the `*-cert-v01@openssh.com` key types), written and
 * read by hand so that every field is under keyhold's control: the layout, the ordering of
 * options, the 32-byte nonce and the CA's signature algorithm are those of `ssh-keygen -s`
 * (ssh-keygen.c do_ca_sign, sshkey.c sshkey_certify_custom), byte for byte.
 */

/** SSH_CERT_TYPE_USER and SSH_CERT_TYPE_HOST. */
const CERT_TYPES = { user: 1, host: 2 } as const;
export type CertificateKind = keyof typeof CERT_TYPES;

/** `valid before` of a certificate that never expires (ssh-keygen's `forever`). */
export const FOREVER = 0xffffffffffffffffn;

/** OpenSSH refuses RSA keys below this size (SSH_RSA_MINIMUM_MODULUS_SIZE). */
const RSA_MINIMUM_BITS = 1024;
/** sshkey.c refuses certificates with more principals than this (SSHKEY_CERT_MAX_PRINCIPALS). */
export const MAX_PRINCIPALS = 256;

/**
 * The extensions `ssh-keygen -s` puts in a user certificate unless told otherwise
 * (CERTOPT_DEFAULT in ssh-keygen.c), in the order they are written (byte-wise sorted). Host
 * certificates get none by default (`-h` clears them).
 */
export const DEFAULT_USER_EXTENSIONS: readonly string[] = Object.freeze([
  'permit-X11-forwarding',
  'permit-agent-forwarding',
  'permit-port-forwarding',
  'permit-pty',
  'permit-user-rc',
]);

/** An option's value: a string (wrapped as `string value` in the option's data), or null for a flag (empty data). */
export type OptionValue = string | null;

export interface CertificateFields {
  /** The subject's plain public key blob (Ed25519, RSA, ECDSA P-256/384/521). */
  subjectPublicBlob: Buffer;
  type: CertificateKind;
  /** 0 when the CA does not number its certificates; KRLs revoke by serial only when it is not 0. */
  serial: bigint;
  keyId: string;
  /** Empty means valid for any principal (sshd then needs AuthorizedPrincipalsFile/-Command to accept it for a user). */
  principals: readonly string[];
  /** Seconds since the epoch; 0 is ssh-keygen's `always`. */
  validAfter: bigint | number;
  /** Seconds since the epoch, exclusive; `'forever'` (or {@link FOREVER}) never expires. */
  validBefore: bigint | number | 'forever';
  /** Critical options by name, e.g. `force-command`, `source-address`. Written byte-wise sorted by name. */
  criticalOptions?: Readonly<Record<string, OptionValue>>;
  /**
   * Extensions: names of flag extensions (`permit-pty`, …), or a record whose null values are
   * flags. Written byte-wise sorted by name, each once.
   */
  extensions?: readonly string[] | Readonly<Record<string, OptionValue>>;
  /** Defaults to 32 random bytes, as sshkey_certify_custom makes. */
  nonce?: Buffer;
}

export interface BuildCertificateOptions extends CertificateFields {
  /** The CA's key. An RSA CA signs with `rsa-sha2-512` (what ssh-keygen uses, and what sshd accepts by default). */
  ca: SigningKey;
}

/** A certificate read back: every field, plus what the signature covered and with what. */
export interface ParsedCertificate {
  /** `ssh-ed25519-cert-v01@openssh.com`, … */
  certType: string;
  /** The subject key's plain type: `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, … */
  keyType: CertifiableKeyType;
  nonce: Buffer;
  /** The subject's plain public key blob (the key without the certificate). */
  subjectPublicBlob: Buffer;
  serial: bigint;
  type: CertificateKind;
  keyId: string;
  principals: string[];
  validAfter: bigint;
  validBefore: bigint;
  criticalOptions: Record<string, OptionValue>;
  /** Extension names in the order written. */
  extensions: string[];
  /** Every extension with its value (null for flags). */
  extensionValues: Record<string, OptionValue>;
  reserved: Buffer;
  caPublicBlob: Buffer;
  /** The signature's algorithm: the CA's type, or `rsa-sha2-512`/`rsa-sha2-256`/`ssh-rsa` for an RSA CA. */
  signatureAlgorithm: string;
  signature: Buffer;
  /** The bytes the signature covers (everything before the signature field). */
  signedData: Buffer;
  /** The whole certificate blob. */
  blob: Buffer;
  /** The comment of a certificate line, if one was parsed. */
  comment?: string;
}

/** The certificate type string for a plain key type. */
export const certTypeOf = (keyType: string) => `${keyType}-cert-v01@openssh.com`;

/** The signature algorithm a CA signs certificates with: rsa-sha2-512 for RSA, the key's own type otherwise. */
export const caSignatureAlgorithm = (caType: string) => (caType === 'ssh-rsa' ? 'rsa-sha2-512' : caType);

const compareBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** A C string field (key id, principal, option name): no NUL, as sshbuf_get_cstring requires. */
function checkCString(s: string, what: string): void {
  if (s.includes('\0')) throw new WireError(`${what} contains a NUL character`);
}

/** `string name, string data` for each option, sorted byte-wise by name as PROTOCOL.certkeys requires. */
function encodeOptions(options: Readonly<Record<string, OptionValue>>, what: string): Buffer {
  const w = new SshWriter();
  for (const name of Object.keys(options).sort(compareBytes)) {
    checkCString(name, `${what} name`);
    if (name === '') throw new WireError(`empty ${what} name`);
    const value = options[name];
    if (value === null || value === undefined) {
      w.string(name).string(Buffer.alloc(0));
    } else {
      checkCString(value, `${what} ${name}`);
      w.string(name).string(new SshWriter().string(value).bytes());
    }
  }
  return w.bytes();
}

function toSeconds(v: bigint | number | 'forever', what: string): bigint {
  if (v === 'forever') return FOREVER;
  if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new RangeError(`${what} must be a whole number of seconds`);
  const b = BigInt(v);
  if (b < 0n || b > FOREVER) throw new RangeError(`${what} is out of range`);
  return b;
}

/**
 * Encodes and signs a certificate (PROTOCOL.certkeys "New public key formats"): type string,
 * nonce, the subject key's fields, serial, type, key id, principals, validity, critical options,
 * extensions, reserved, CA key, and the CA's signature over all of that.
 * Refuses what ssh-keygen refuses: an empty validity interval, empty or too many principals,
 * NUL characters, a CA or subject key OpenSSH would not load.
 */
export function buildCertificate(opts: BuildCertificateOptions): Buffer {
  const subject = parsePublicKeyBlob(opts.subjectPublicBlob);
  const ca = parsePublicKeyBlob(opts.ca.publicBlob);
  if (subject.type === 'ssh-rsa' && subject.rsaBits < RSA_MINIMUM_BITS) throw new WireError(`RSA subject key of ${subject.rsaBits} bits is too small`);
  if (ca.type === 'ssh-rsa' && ca.rsaBits < RSA_MINIMUM_BITS) throw new WireError(`RSA CA key of ${ca.rsaBits} bits is too small`);
  const kind = CERT_TYPES[opts.type];
  if (kind === undefined) throw new WireError(`certificate type must be user or host, not ${String(opts.type)}`);
  if (opts.serial < 0n || opts.serial > 0xffffffffffffffffn) throw new RangeError('serial is out of range');
  checkCString(opts.keyId, 'key id');
  if (opts.principals.length > MAX_PRINCIPALS) throw new WireError(`more than ${MAX_PRINCIPALS} principals`);
  const principals = new SshWriter();
  for (const p of opts.principals) {
    if (p === '') throw new WireError('empty principal name');
    checkCString(p, 'principal');
    principals.string(p);
  }
  const validAfter = toSeconds(opts.validAfter, 'validAfter');
  const validBefore = toSeconds(opts.validBefore, 'validBefore');
  if (validBefore <= validAfter) throw new RangeError('empty certificate validity interval');
  const extensions: Record<string, OptionValue> = Array.isArray(opts.extensions)
    ? Object.fromEntries((opts.extensions as readonly string[]).map((name) => [name, null]))
    : { ...(opts.extensions as Readonly<Record<string, OptionValue>> | undefined) };
  const nonce = opts.nonce ?? randomBytes(32);

  const w = new SshWriter()
    .string(certTypeOf(subject.type))
    .string(nonce)
    .raw(subject.body)
    .uint64(opts.serial)
    .uint32(kind)
    .string(opts.keyId)
    .string(principals.bytes())
    .uint64(validAfter)
    .uint64(validBefore)
    .string(encodeOptions(opts.criticalOptions ?? {}, 'critical option'))
    .string(encodeOptions(extensions, 'extension'))
    .string(Buffer.alloc(0))
    .string(new SshWriter().string(ca.type).raw(ca.body).bytes());
  const signed = w.bytes();
  const signature = signSsh(opts.ca, signed, caSignatureAlgorithm(ca.type));
  return new SshWriter().raw(signed).string(signature).bytes();
}

/** The one-line form ssh-keygen writes to `*-cert.pub`: `<cert type> <base64> [comment]`. */
export function certificateLine(blob: Buffer, comment?: string): string {
  if (comment !== undefined && /[\r\n]/.test(comment)) throw new WireError('a certificate comment cannot span lines');
  return publicKeyLine(blob, comment);
}

/** Options as written: each `string name, string data`, data empty (a flag) or exactly one string. */
function decodeOptions(data: Buffer, what: string): [string[], Record<string, OptionValue>] {
  const r = new SshReader(data);
  const names: string[] = [];
  const values: Record<string, OptionValue> = {};
  while (r.remaining > 0) {
    const name = r.text();
    checkCString(name, `${what} name`);
    const inner = r.string();
    let value: OptionValue = null;
    if (inner.length > 0) {
      const ir = new SshReader(inner);
      value = ir.text();
      ir.end(`${what} ${name}`);
    }
    if (Object.prototype.hasOwnProperty.call(values, name)) throw new WireError(`${what} ${name} appears twice`);
    names.push(name);
    values[name] = value;
  }
  return [names, values];
}

function certificateBlobOf(input: Buffer | string): { blob: Buffer; comment?: string } {
  if (Buffer.isBuffer(input)) return { blob: input };
  const m = /^\s*(\S+)\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*?))?\s*$/s.exec(input);
  if (!m) throw new WireError('not a certificate line');
  const blob = Buffer.from(m[2]!, 'base64');
  if (new SshReader(blob).text() !== m[1]) throw new WireError(`certificate line says ${m[1]} but holds another type`);
  return m[3] ? { blob, comment: m[3] } : { blob };
}

/**
 * Reads a certificate blob or line, checks its layout (sshkey.c cert_parse) and the CA's signature,
 * and answers every field. Throws WireError on anything malformed, truncated, with trailing bytes,
 * of an unsupported key type, with a chained (certificate) CA, or with a signature that does not verify.
 */
export function parseCertificate(input: Buffer | string): ParsedCertificate {
  const { blob, comment } = certificateBlobOf(input);
  const r = new SshReader(blob);
  const certType = r.text();
  const keyType = CERTIFIABLE_KEY_TYPES.find((t) => certTypeOf(t) === certType);
  if (!keyType) throw new WireError(`unsupported certificate type ${certType}`);
  const nonce = r.string();
  const body = new SshWriter();
  readKeyBody(keyType, r, body);
  const serial = r.uint64();
  const kind = r.uint32();
  const keyId = r.text();
  checkCString(keyId, 'key id');
  const principalsData = r.string();
  const validAfter = r.uint64();
  const validBefore = r.uint64();
  const critical = r.string();
  const exts = r.string();
  const reserved = r.string();
  const caPublicBlob = r.string();
  const signedData = blob.subarray(0, blob.length - r.remaining);
  const signature = r.string();
  r.end('certificate');

  const type = kind === CERT_TYPES.user ? 'user' : kind === CERT_TYPES.host ? 'host' : undefined;
  if (!type) throw new WireError(`unknown certificate type ${kind}`);
  const principals: string[] = [];
  const pr = new SshReader(principalsData);
  while (pr.remaining > 0) {
    if (principals.length >= MAX_PRINCIPALS) throw new WireError(`more than ${MAX_PRINCIPALS} principals`);
    const p = pr.text();
    checkCString(p, 'principal');
    principals.push(p);
  }
  const [, criticalOptions] = decodeOptions(critical, 'critical option');
  const [extensions, extensionValues] = decodeOptions(exts, 'extension');
  parsePublicKeyBlob(caPublicBlob);
  const sr = new SshReader(signature);
  const signatureAlgorithm = sr.text();
  if (!verifySsh(caPublicBlob, signedData, signature)) throw new WireError('the CA signature does not verify');
  const subjectPublicBlob = new SshWriter().string(keyType).raw(body.bytes()).bytes();
  const out: ParsedCertificate = {
    certType,
    keyType,
    nonce,
    subjectPublicBlob,
    serial,
    type,
    keyId,
    principals,
    validAfter,
    validBefore,
    criticalOptions,
    extensions,
    extensionValues,
    reserved,
    caPublicBlob,
    signatureAlgorithm,
    signature,
    signedData,
    blob,
  };
  if (comment !== undefined) out.comment = comment;
  return out;
}
