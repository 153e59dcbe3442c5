import type { Store } from '../repositories/index.js';
import { compareRows, type RefusalRow, type UsageRow } from '../repositories/usage.js';

/** The outcome codes in a fixed order: a slot's counts are an array indexed by it. */
export const USAGE_CODES = ['VALID', 'RATE_LIMITED', 'DISABLED', 'EXPIRED', 'FORBIDDEN_CONTAINER', 'NOT_FOUND', 'MALFORMED'] as const;
/** The codes a key's refusals log keeps: refusals of a key that exists. */
export const REFUSAL_CODES = ['DISABLED', 'EXPIRED', 'FORBIDDEN_CONTAINER', 'RATE_LIMITED'] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];
export type UsageCode = (typeof USAGE_CODES)[number];
const INDEX: Record<UsageCode, number> = Object.fromEntries(USAGE_CODES.map((c, i) => [c, i])) as Record<UsageCode, number>;

/** Refusals kept per key, in memory between flushes and in the database. */
export const REFUSALS_PER_KEY = 100;
/** Rows one upsert writes. */
const BATCH = 500;
/** Rows a failing database may leave waiting for the next flush; past this the oldest are dropped. */
const MAX_RETRY_ROWS = 100_000;
/** Containers and namespaces are cut to this in the refusals log (forward-auth takes them from a header). */
const MAX_TEXT = 253;

const MINUTE = 60_000;

/** One key's (or, with key 0, one team's unknown keys') counts in one minute. */
interface Slot {
  teamId: number;
  keyId: number;
  minute: number;
  counts: number[];
}

/** A slot's non-zero counts, a row per code. */
function rowsOf(s: Slot): UsageRow[] {
  const rows: UsageRow[] = [];
  s.counts.forEach((count, i) => count > 0 && rows.push({ teamId: s.teamId, keyId: s.keyId, start: s.minute, code: USAGE_CODES[i]!, count }));
  return rows;
}

/** What a refusal records besides its key and code. */
export interface RefusalContext {
  container: string;
  namespace: string;
  ip?: string;
  requestId?: string;
}

/**
 * Verification answers per team, key, minute and code, counted in memory on the gateway path (one
 * map lookup and an increment) and written by `flush()` as upserts that add to the stored counts, so
 * every process adds its own. Refusals of known keys are kept too (the newest per key) for the
 * refusals log, which the flush trims to `REFUSALS_PER_KEY` per key.
 */
export class UsageCounter {
  /** Per key id (or, for no key, `-1 - teamId`): its current minute's slot. */
  private slots = new Map<number, Slot>();
  /** Slots whose minute ended before the flush. */
  private sealed: Slot[] = [];
  private refusalLog = new Map<number, RefusalRow[]>();
  private retry: UsageRow[] = [];

  /** Counts one answer. `keyId` 0: an unknown key, counted for the team (0: no team). */
  record(teamId: number, keyId: number, code: UsageCode, now: number): void {
    const id = keyId > 0 ? keyId : -1 - teamId;
    const minute = now - (now % MINUTE);
    let slot = this.slots.get(id);
    if (slot === undefined || slot.minute !== minute) {
      if (slot !== undefined) this.sealed.push(slot);
      slot = { teamId, keyId, minute, counts: [0, 0, 0, 0, 0, 0, 0] };
      this.slots.set(id, slot);
    }
    slot.counts[INDEX[code]]!++;
  }

  /** Remembers a refusal of a known key (never the key's secret: only what was asked, and by whom). */
  refuse(teamId: number, keyId: number, code: UsageCode, at: number, ctx: RefusalContext): void {
    let list = this.refusalLog.get(keyId);
    if (!list) this.refusalLog.set(keyId, (list = []));
    if (list.length >= REFUSALS_PER_KEY) list.shift();
    list.push({
      teamId,
      keyId,
      at,
      code,
      container: ctx.container.slice(0, MAX_TEXT),
      namespace: ctx.namespace.slice(0, MAX_TEXT),
      ip: ctx.ip ?? null,
      requestId: ctx.requestId ?? null,
    });
  }

  /** Counts not written yet (or whose write failed) for a team (and key, or with undefined all of the team's), as rows per minute and code. */
  pending(teamId: number, keyId?: number): UsageRow[] {
    const out: UsageRow[] = [];
    const add = (s: Slot) => {
      if (s.teamId === teamId && (keyId === undefined || s.keyId === keyId)) out.push(...rowsOf(s));
    };
    for (const s of this.sealed) add(s);
    for (const s of this.slots.values()) add(s);
    // And what a failed flush left for the next one.
    for (const r of this.retry) if (r.teamId === teamId && (keyId === undefined || r.keyId === keyId)) out.push(r);
    return out;
  }

  /** A key's refusals not written yet, oldest first. */
  pendingRefusals(keyId: number): readonly RefusalRow[] {
    return this.refusalLog.get(keyId) ?? [];
  }

  /** Writes what was counted since the last flush; rows a failed write left are tried again next time. */
  async flush(store: Store): Promise<void> {
    if (this.slots.size === 0 && this.sealed.length === 0 && this.refusalLog.size === 0 && this.retry.length === 0) return;
    const merged = new Map<string, UsageRow>();
    const put = (r: UsageRow) => {
      const id = `${r.teamId}:${r.keyId}:${r.start}:${r.code}`;
      const row = merged.get(id);
      if (row) row.count += r.count;
      else merged.set(id, { ...r });
    };
    for (const r of this.retry) put(r);
    const slots = [...this.sealed, ...this.slots.values()];
    const refusals = this.refusalLog;
    this.retry = [];
    this.sealed = [];
    this.slots = new Map();
    this.refusalLog = new Map();
    for (const s of slots) for (const r of rowsOf(s)) put(r);
    // In key order, so two processes upserting the same rows lock them in the same order (no deadlock).
    const rows = [...merged.values()].sort(compareRows);
    for (let i = 0; i < rows.length; i += BATCH) {
      // Yield between statements: SQLite runs on this thread, and requests should not wait for all of them.
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      try {
        await store.usage.add('usage_minutes', rows.slice(i, i + BATCH));
      } catch (err) {
        this.retry = rows.slice(i).concat(this.retry).slice(-MAX_RETRY_ROWS);
        this.restoreRefusals(refusals);
        throw err;
      }
    }
    // Written once the counts are (a failed write of those keeps the refusals for the next flush too).
    const log = [...refusals.values()].flat();
    for (let i = 0; i < log.length; i += BATCH) await store.usage.addRefusals(log.slice(i, i + BATCH));
    await store.usage.trimRefusals([...refusals.keys()], REFUSALS_PER_KEY);
  }

  /** Puts refusals a failed flush took back in front of those recorded since, keeping the newest per key. */
  private restoreRefusals(taken: Map<number, RefusalRow[]>): void {
    for (const [keyId, older] of taken) {
      const list = older.concat(this.refusalLog.get(keyId) ?? []);
      this.refusalLog.set(keyId, list.slice(-REFUSALS_PER_KEY));
    }
  }
}
