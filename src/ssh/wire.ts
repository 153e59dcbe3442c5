/**
 * The SSH wire encoding (RFC 4251 §5) that every hand-written OpenSSH format here is built from:
 * agent messages, signatures, certificates and KRLs. A reader refuses truncated or trailing data
 * with a `WireError`, so a parser never reads past what it was given.
 */

export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/** Appends SSH wire values; `bytes()` gives the concatenation. */
export class SshWriter {
  private readonly parts: Buffer[] = [];
  private size = 0;

  private push(b: Buffer): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }

  byte(n: number): this {
    return this.push(Buffer.from([n & 0xff]));
  }

  boolean(v: boolean): this {
    return this.byte(v ? 1 : 0);
  }

  uint32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return this.push(b);
  }

  uint64(n: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    return this.push(b);
  }

  /** A length-prefixed byte string (`string` in RFC 4251). */
  string(v: Buffer | Uint8Array | string): this {
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
    return this.uint32(b.length).push(b);
  }

  /** An unsigned big-endian integer as an `mpint` (a leading zero byte when the top bit is set). */
  mpint(magnitude: Buffer): this {
    let i = 0;
    while (i < magnitude.length && magnitude[i] === 0) i++;
    let b = magnitude.subarray(i);
    if (b.length > 0 && (b[0]! & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
    return this.string(b);
  }

  /** Bytes as they are, with no length prefix. */
  raw(v: Buffer | Uint8Array): this {
    return this.push(Buffer.from(v));
  }

  get length(): number {
    return this.size;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts, this.size);
  }
}

/** Reads SSH wire values from a buffer, front to back. */
export class SshReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  private take(n: number, what: string): Buffer {
    if (n < 0 || this.pos + n > this.buf.length) throw new WireError(`truncated ${what}`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  byte(): number {
    return this.take(1, 'byte')[0]!;
  }

  boolean(): boolean {
    return this.byte() !== 0;
  }

  uint32(): number {
    return this.take(4, 'uint32').readUInt32BE(0);
  }

  uint64(): bigint {
    return this.take(8, 'uint64').readBigUInt64BE(0);
  }

  string(): Buffer {
    const n = this.uint32();
    return this.take(n, 'string');
  }

  /** A string that must be UTF-8 text. */
  text(): string {
    const b = this.string();
    const s = b.toString('utf8');
    if (!Buffer.from(s, 'utf8').equals(b)) throw new WireError('string is not valid UTF-8');
    return s;
  }

  /** An mpint's magnitude, without the sign byte; negative values are refused. */
  mpint(): Buffer {
    const b = this.string();
    if (b.length > 0 && (b[0]! & 0x80) !== 0) throw new WireError('negative mpint');
    let i = 0;
    while (i < b.length && b[i] === 0) i++;
    return b.subarray(i);
  }

  /** The rest of the buffer. */
  rest(): Buffer {
    return this.take(this.buf.length - this.pos, 'rest');
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** Fails unless every byte was read. */
  end(what = 'message'): void {
    if (this.pos !== this.buf.length) throw new WireError(`${this.buf.length - this.pos} trailing bytes after ${what}`);
  }
}
