import { coalesceSerials, decodeSerialSection, encodeSerialSections, serialSectionRuns, type SerialRange, type SerialSection } from './krl-serials.js';
import { canonicalPublicKeyBlob } from './public-key.js';
import { verifySsh } from './signature.js';
import { SshReader, SshWriter, WireError } from './wire.js';

/**
 * OpenSSH key revocation lists (PROTOCOL.krl), the file sshd's `RevokedKeys` and `ssh-keygen -Q`
 * read. buildKrl writes what `ssh-keygen -k` writes for the same revocations (krl.c
 * ssh_krl_to_blob): the header, one certificate section per CA in the order given, then the
 * explicit-key and SHA-256 sections, each sorted and free of duplicates as krl.c's trees leave
 * them. KRL signatures are not written (optional in the format; sshd reads the file locally).
 */

/** "SSHKRL\n\0" */
export const KRL_MAGIC = Buffer.from('SSHKRL\n\0', 'latin1');
export const KRL_FORMAT_VERSION = 1;

export const KRL_SECTION_CERTIFICATES = 1;
export const KRL_SECTION_EXPLICIT_KEY = 2;
export const KRL_SECTION_FINGERPRINT_SHA1 = 3;
export const KRL_SECTION_SIGNATURE = 4;
export const KRL_SECTION_FINGERPRINT_SHA256 = 5;
export const KRL_SECTION_CERT_KEY_ID = 0x23;

export interface KrlCa {
  /** The CA's plain public key blob, or null for a section that applies to certificates of any CA (ssh-keygen `-s none`). */
  caPublicBlob: Buffer | null;
  /** Revoked serials (1 to 2^64-1; 0 is "no serial" and cannot be revoked). */
  serials?: readonly bigint[];
  /** Revoked inclusive serial ranges, as `serial: A-B` lines in an ssh-keygen spec. */
  serialRanges?: readonly (readonly [bigint, bigint])[];
  /** Revoked certificate key ids. */
  keyIds?: readonly string[];
}

export interface BuildKrlOptions {
  /** krl_version: increases each time the KRL changes (ssh-keygen -z). */
  version: bigint;
  /** generated_date, in seconds since the epoch (ssh-keygen writes the time of writing). */
  generatedAt: bigint | number;
  comment?: string;
  cas?: readonly KrlCa[];
  /** Plain public key blobs revoked outright (KRL_SECTION_EXPLICIT_KEY). */
  revokedKeys?: readonly Buffer[];
  /** SHA-256 digests of public key blobs (the raw 32 bytes behind `SHA256:…` fingerprints). */
  revokedSha256?: readonly Buffer[];
}

export interface ParsedKrlCa {
  caPublicBlob: Buffer | null;
  /** The serial sub-sections as written, in order. */
  serialSections: SerialSection[];
  /** Every revoked serial, as disjoint sorted runs. */
  serialRanges: SerialRange[];
  keyIds: string[];
}

export interface ParsedKrl {
  version: bigint;
  generatedAt: bigint;
  flags: bigint;
  reserved: Buffer;
  comment: string;
  /** Certificate sections in the order written. */
  cas: ParsedKrlCa[];
  revokedKeys: Buffer[];
  revokedSha1: Buffer[];
  revokedSha256: Buffer[];
  /** Signature sections (each checked against the bytes before it). */
  signatures: { signatureKey: Buffer; signature: Buffer }[];
  /** The top-level section types in the order written. */
  sectionTypes: number[];
}

const cmpStrings = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Sorted (blob_cmp: bytes, then shorter first, which is Buffer.compare) and without duplicates. */
function sortedUnique(blobs: readonly Buffer[]): Buffer[] {
  const sorted = [...blobs].sort((a, b) => Buffer.compare(a, b));
  return sorted.filter((b, i) => i === 0 || !b.equals(sorted[i - 1]!));
}

function checkCString(s: string, what: string): void {
  if (s.includes('\0')) throw new WireError(`${what} contains a NUL character`);
}

/** One CA's KRL_SECTION_CERTIFICATES body: CA key, reserved, serial sub-sections, key ids. */
function certificatesSection(ca: { blob: Buffer | null; serials: bigint[]; ranges: (readonly [bigint, bigint])[]; keyIds: Set<string> }): Buffer {
  const w = new SshWriter().string(ca.blob ?? Buffer.alloc(0)).string(Buffer.alloc(0));
  w.raw(encodeSerialSections(coalesceSerials(ca.serials, ca.ranges)));
  const ids = [...ca.keyIds].sort(cmpStrings);
  if (ids.length > 0) {
    const idw = new SshWriter();
    for (const id of ids) idw.string(id);
    w.byte(KRL_SECTION_CERT_KEY_ID).string(idw.bytes());
  }
  return w.bytes();
}

/** Encodes a KRL (PROTOCOL.krl §1–4) without signatures. */
export function buildKrl(opts: BuildKrlOptions): Buffer {
  const comment = opts.comment ?? '';
  checkCString(comment, 'KRL comment');
  const generatedAt = BigInt(opts.generatedAt);
  const w = new SshWriter()
    .raw(KRL_MAGIC)
    .uint32(KRL_FORMAT_VERSION)
    .uint64(opts.version)
    .uint64(generatedAt)
    .uint64(0n)
    .string(Buffer.alloc(0))
    .string(comment);

  // One entry per distinct CA, in first-seen order (krl.c appends CAs to a list as they are first revoked against).
  const cas: { blob: Buffer | null; serials: bigint[]; ranges: (readonly [bigint, bigint])[]; keyIds: Set<string> }[] = [];
  for (const ca of opts.cas ?? []) {
    const blob = ca.caPublicBlob === null ? null : canonicalPublicKeyBlob(ca.caPublicBlob);
    let entry = cas.find((e) => (e.blob === null ? blob === null : blob !== null && e.blob.equals(blob)));
    if (!entry) {
      entry = { blob, serials: [], ranges: [], keyIds: new Set() };
      cas.push(entry);
    }
    entry.serials.push(...(ca.serials ?? []));
    entry.ranges.push(...(ca.serialRanges ?? []));
    for (const id of ca.keyIds ?? []) {
      checkCString(id, 'key id');
      entry.keyIds.add(id);
    }
  }
  for (const ca of cas) {
    // A CA with nothing revoked has no section (ssh-keygen only makes one when something is revoked against it).
    if (ca.serials.length === 0 && ca.ranges.length === 0 && ca.keyIds.size === 0) continue;
    w.byte(KRL_SECTION_CERTIFICATES).string(certificatesSection(ca));
  }

  const keys = sortedUnique((opts.revokedKeys ?? []).map((b) => canonicalPublicKeyBlob(b)));
  if (keys.length > 0) {
    const kw = new SshWriter();
    for (const k of keys) kw.string(k);
    w.byte(KRL_SECTION_EXPLICIT_KEY).string(kw.bytes());
  }
  for (const h of opts.revokedSha256 ?? []) if (h.length !== 32) throw new WireError('a SHA-256 digest is 32 bytes');
  const hashes = sortedUnique(opts.revokedSha256 ?? []);
  if (hashes.length > 0) {
    const hw = new SshWriter();
    for (const h of hashes) hw.string(h);
    w.byte(KRL_SECTION_FINGERPRINT_SHA256).string(hw.bytes());
  }
  return w.bytes();
}

/** The raw digest behind a `SHA256:<base64>` fingerprint, as a KRL's SHA-256 section holds it. */
export function sha256FromFingerprint(fingerprint: string): Buffer {
  const m = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(fingerprint.trim());
  if (!m) throw new WireError('not a SHA256 fingerprint');
  const digest = Buffer.from(m[1]!, 'base64');
  if (digest.length !== 32) throw new WireError('not a SHA256 fingerprint');
  return digest;
}

function parseCertificatesSection(data: Buffer): ParsedKrlCa {
  const r = new SshReader(data);
  const ca = r.string();
  r.string(); // reserved
  const caPublicBlob = ca.length === 0 ? null : ca;
  if (caPublicBlob) canonicalPublicKeyBlob(caPublicBlob);
  const serialSections: SerialSection[] = [];
  const keyIds: string[] = [];
  while (r.remaining > 0) {
    const type = r.byte();
    const sub = r.string();
    if (type === KRL_SECTION_CERT_KEY_ID) {
      const ir = new SshReader(sub);
      while (ir.remaining > 0) {
        const id = ir.text();
        checkCString(id, 'key id');
        keyIds.push(id);
      }
    } else {
      serialSections.push(decodeSerialSection(type, sub));
    }
  }
  const runs = serialSections.flatMap(serialSectionRuns);
  return {
    caPublicBlob,
    serialSections,
    serialRanges: coalesceSerials(
      [],
      runs.map((x) => [x.lo, x.hi] as const),
    ),
    keyIds,
  };
}

function blobList(data: Buffer, size: number, what: string): Buffer[] {
  const r = new SshReader(data);
  const out: Buffer[] = [];
  while (r.remaining > 0) {
    const b = r.string();
    if (size !== 0 && b.length !== size) throw new WireError(`${what} entry is not ${size} bytes`);
    out.push(b);
  }
  return out;
}

/**
 * Reads a KRL as krl.c's ssh_krl_from_blob does: refuses a bad magic or format version, unknown
 * sections, data left over in a section, serial 0, hashes of the wrong size, non-signature
 * sections after a signature, and signatures that do not verify.
 */
export function parseKrl(buf: Buffer): ParsedKrl {
  if (buf.length < KRL_MAGIC.length || !buf.subarray(0, KRL_MAGIC.length).equals(KRL_MAGIC)) throw new WireError('not a KRL (bad magic)');
  const r = new SshReader(buf.subarray(KRL_MAGIC.length));
  const format = r.uint32();
  if (format !== KRL_FORMAT_VERSION) throw new WireError(`unsupported KRL format version ${format}`);
  const version = r.uint64();
  const generatedAt = r.uint64();
  const flags = r.uint64();
  const reserved = r.string();
  const comment = r.text();
  checkCString(comment, 'KRL comment');
  const out: ParsedKrl = {
    version,
    generatedAt,
    flags,
    reserved,
    comment,
    cas: [],
    revokedKeys: [],
    revokedSha1: [],
    revokedSha256: [],
    signatures: [],
    sectionTypes: [],
  };
  while (r.remaining > 0) {
    const type = r.byte();
    const data = r.string();
    out.sectionTypes.push(type);
    if (type !== KRL_SECTION_SIGNATURE && out.signatures.length > 0) throw new WireError('KRL section after a signature');
    switch (type) {
      case KRL_SECTION_CERTIFICATES:
        out.cas.push(parseCertificatesSection(data));
        break;
      case KRL_SECTION_EXPLICIT_KEY:
        out.revokedKeys.push(...blobList(data, 0, 'explicit key'));
        break;
      case KRL_SECTION_FINGERPRINT_SHA1:
        out.revokedSha1.push(...blobList(data, 20, 'SHA-1'));
        break;
      case KRL_SECTION_FINGERPRINT_SHA256:
        out.revokedSha256.push(...blobList(data, 32, 'SHA-256'));
        break;
      case KRL_SECTION_SIGNATURE: {
        const signedLength = buf.length - r.remaining;
        const signature = r.string();
        if (!verifySsh(data, buf.subarray(0, signedLength), signature)) throw new WireError('KRL signature does not verify');
        out.signatures.push({ signatureKey: data, signature });
        break;
      }
      default:
        throw new WireError(`unsupported KRL section ${type}`);
    }
  }
  return out;
}
