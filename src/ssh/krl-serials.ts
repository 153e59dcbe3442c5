import { SshReader, SshWriter, WireError } from './wire.js';

/**
 * Revoked certificate serials in a KRL's certificate section (PROTOCOL.krl §2.1–2.3): the
 * serial list, serial range and serial bitmap sub-sections, chosen run by run with krl.c's own
 * cost model (choose_next_state in revoked_certs_generate), so that keyhold writes the bytes
 * `ssh-keygen -k` writes for the same serials.
 */

export const KRL_SECTION_CERT_SERIAL_LIST = 0x20;
export const KRL_SECTION_CERT_SERIAL_RANGE = 0x21;
export const KRL_SECTION_CERT_SERIAL_BITMAP = 0x22;

const U64_MAX = 0xffffffffffffffffn;
/** krl.c clamps run lengths and gaps to 2^31 before costing them. */
const CLAMP = 1n << 31n;
/** krl.c refuses a bitmap whose next run starts more than INT_MAX bits past its offset. */
const INT_MAX = 0x7fffffffn;

/** An inclusive run of revoked serials, lo ≥ 1. */
export interface SerialRange {
  lo: bigint;
  hi: bigint;
}

/** One serial sub-section as written. */
export type SerialSection =
  | { kind: 'list'; serials: bigint[] }
  | { kind: 'range'; lo: bigint; hi: bigint }
  | { kind: 'bitmap'; offset: bigint; /** bit N set revokes serial offset + N */ bits: bigint };

function checkRange(lo: bigint, hi: bigint): void {
  // ssh_krl_revoke_cert_by_serial_range: serial 0 means "no serial" and cannot be revoked.
  if (lo < 1n || hi > U64_MAX || lo > hi) throw new RangeError(`invalid serial range ${lo}-${hi} (serials are 1 to 2^64-1)`);
}

/**
 * Sorts and merges serials and ranges into disjoint runs, joining runs that overlap or touch,
 * as krl.c's insert_serial_range does.
 */
export function coalesceSerials(serials: readonly bigint[] = [], ranges: readonly (readonly [bigint, bigint])[] = []): SerialRange[] {
  const all: SerialRange[] = [...serials.map((s) => ({ lo: s, hi: s })), ...ranges.map(([lo, hi]) => ({ lo, hi }))];
  for (const r of all) checkRange(r.lo, r.hi);
  all.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: SerialRange[] = [];
  for (const r of all) {
    const prev = out[out.length - 1];
    if (prev && r.lo <= prev.hi + 1n) {
      if (r.hi > prev.hi) prev.hi = r.hi;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * krl.c's choose_next_state: the sub-section type that keeps the KRL smallest for the next run,
 * given the current type, the run's length, the gap back to the last run and forward to the next.
 */
function chooseNextState(current: number, contigBig: bigint, final: boolean, lastGapBig: bigint, nextGapBig: bigint): { state: number; forceNew: boolean } {
  const contig = Number(min(contigBig, CLAMP));
  const lastGap = Number(min(lastGapBig, CLAMP));
  const nextGap = Number(min(nextGapBig, CLAMP));
  // The cost of switching to each type from the current one (a range section holds one range,
  // so starting one always costs the same).
  let costList = current === KRL_SECTION_CERT_SERIAL_LIST ? 0 : 8;
  let costBitmap = current === KRL_SECTION_CERT_SERIAL_BITMAP ? 0 : 8 + 64;
  let costBitmapRestart = 8 + 64;
  let costRange = 8;
  costList += 64 * contig + (final ? 0 : 8 + 64);
  costRange += 2 * 64 + (final ? 0 : 8 + 64);
  costBitmap += lastGap + contig + (final ? 0 : Math.min(nextGap, 8 + 64));
  costBitmapRestart += contig + (final ? 0 : Math.min(nextGap, 8 + 64));
  const bytes = (bits: number) => Math.floor((bits + 7) / 8);
  costList = bytes(costList);
  costBitmap = bytes(costBitmap);
  costBitmapRestart = bytes(costBitmapRestart);
  costRange = bytes(costRange);

  let state = KRL_SECTION_CERT_SERIAL_BITMAP;
  let cost = costBitmap;
  let forceNew = false;
  if (costRange < cost) {
    state = KRL_SECTION_CERT_SERIAL_RANGE;
    cost = costRange;
  }
  if (costList < cost) {
    state = KRL_SECTION_CERT_SERIAL_LIST;
    cost = costList;
  }
  if (costBitmapRestart < cost) {
    state = KRL_SECTION_CERT_SERIAL_BITMAP;
    forceNew = true;
  }
  return { state, forceNew };
}

/** A bitmap as bitmap_to_string leaves it: the fewest big-endian bytes holding every set bit. */
function bitmapBytes(bits: bigint): Buffer {
  const hex = bits.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/**
 * The serial sub-sections (`byte type, string data` each) for disjoint sorted runs, in
 * revoked_certs_generate's order and encoding choices.
 */
export function encodeSerialSections(runs: readonly SerialRange[]): Buffer {
  const out = new SshWriter();
  let state = 0;
  let last = 0n;
  let sect = new SshWriter();
  let bitmap = 0n;
  let bitmapStart = 0n;
  const flush = () => {
    if (state === KRL_SECTION_CERT_SERIAL_BITMAP) sect.mpint(bitmapBytes(bitmap));
    out.byte(state).string(sect.bytes());
    sect = new SshWriter();
  };
  runs.forEach((rs, i) => {
    const next = runs[i + 1];
    const final = next === undefined;
    const gap = next === undefined ? 0n : next.lo - rs.hi;
    const contig = 1n + (rs.hi - rs.lo);
    const { state: nextState, forceNew } = chooseNextState(state, contig, final, state === 0 ? 0n : rs.lo - last, gap);
    if (state !== 0 && (forceNew || nextState !== state || state === KRL_SECTION_CERT_SERIAL_RANGE)) flush();
    if (nextState !== state || forceNew) {
      state = nextState;
      sect = new SshWriter();
      if (state === KRL_SECTION_CERT_SERIAL_BITMAP) {
        bitmap = 0n;
        bitmapStart = rs.lo;
        sect.uint64(bitmapStart);
      }
    }
    if (state === KRL_SECTION_CERT_SERIAL_LIST) {
      for (let s = rs.lo; s <= rs.hi; s++) sect.uint64(s);
    } else if (state === KRL_SECTION_CERT_SERIAL_RANGE) {
      sect.uint64(rs.lo).uint64(rs.hi);
    } else {
      if (rs.lo - bitmapStart > INT_MAX) throw new WireError('insane bitmap gap');
      bitmap |= ((1n << contig) - 1n) << (rs.lo - bitmapStart);
    }
    last = rs.hi;
  });
  if (state !== 0) flush();
  return out.bytes();
}

/** Reads one serial sub-section's data, refusing serial 0, reversed ranges, wrapping bitmaps and leftovers (as parse_revoked_certs does). */
export function decodeSerialSection(type: number, data: Buffer): SerialSection {
  const r = new SshReader(data);
  let out: SerialSection;
  if (type === KRL_SECTION_CERT_SERIAL_LIST) {
    const serials: bigint[] = [];
    while (r.remaining > 0) {
      const s = r.uint64();
      if (s === 0n) throw new WireError('KRL revokes serial 0');
      serials.push(s);
    }
    out = { kind: 'list', serials };
  } else if (type === KRL_SECTION_CERT_SERIAL_RANGE) {
    const lo = r.uint64();
    const hi = r.uint64();
    if (lo === 0n || lo > hi) throw new WireError(`KRL serial range ${lo}-${hi} is invalid`);
    out = { kind: 'range', lo, hi };
  } else if (type === KRL_SECTION_CERT_SERIAL_BITMAP) {
    const offset = r.uint64();
    const magnitude = r.mpint();
    const bits = magnitude.length === 0 ? 0n : BigInt(`0x${magnitude.toString('hex')}`);
    if ((bits & 1n) === 1n && offset === 0n) throw new WireError('KRL revokes serial 0');
    if (bits > 0n && offset + BigInt(bits.toString(2).length - 1) > U64_MAX) throw new WireError('KRL serial bitmap wraps past 2^64');
    out = { kind: 'bitmap', offset, bits };
  } else {
    throw new WireError(`unsupported KRL certificate section 0x${type.toString(16)}`);
  }
  r.end('KRL serial section');
  return out;
}

/** The serials a sub-section revokes, as runs (not coalesced). */
export function serialSectionRuns(section: SerialSection): SerialRange[] {
  if (section.kind === 'list') return section.serials.map((s) => ({ lo: s, hi: s }));
  if (section.kind === 'range') return [{ lo: section.lo, hi: section.hi }];
  const runs: SerialRange[] = [];
  const bin = section.bits.toString(2);
  // bin[0] is the highest bit; walk from bit 0 up.
  let start = -1;
  for (let n = 0; n <= bin.length; n++) {
    const set = n < bin.length && bin[bin.length - 1 - n] === '1';
    if (set && start < 0) start = n;
    if (!set && start >= 0) {
      runs.push({ lo: section.offset + BigInt(start), hi: section.offset + BigInt(n - 1) });
      start = -1;
    }
  }
  return runs;
}
