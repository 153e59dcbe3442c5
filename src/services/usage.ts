import { AppError } from '../domain/errors.js';
import type { Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import type { RefusalRow, UsageQuery, UsageRow } from '../repositories/usage.js';
import { USAGE_CODES, type UsageCode } from './usage-counter.js';

export type Granularity = 'minute' | 'hour' | 'day';
export const GRANULARITY_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** The window when `from` is not given: the last hour by minute, day by hour, 30 days by day. */
const DEFAULT_WINDOW_MS: Record<Granularity, number> = { minute: 3_600_000, hour: 86_400_000, day: 30 * 86_400_000 };
/** Points a series may have at most: a day by minute, 60 days by hour, about 4 years by day. */
export const MAX_POINTS = 1440;
/** Keys in each of a team's top lists. */
export const TOP_KEYS = 10;

export type Counts = Record<UsageCode, number>;
export interface UsagePoint {
  start: number;
  counts: Counts;
}
export interface UsageSeries {
  granularity: Granularity;
  /** The window, aligned to the granularity: [from, to). */
  from: number;
  to: number;
  series: UsagePoint[];
}
export interface TopKey {
  projectId: number;
  regionId: number;
  name: string;
  total: number;
  refused: number;
  counts: Counts;
}
export interface WindowQuery {
  from?: number;
  to?: number;
  granularity?: Granularity;
}

/** What usage needs from verification: the counts this process has not written yet. */
export interface PendingUsage {
  pendingUsage(teamId: number, keyId?: number): UsageRow[];
  pendingRefusals(keyId: number): readonly RefusalRow[];
}

export const zeroCounts = (): Counts => ({ VALID: 0, RATE_LIMITED: 0, DISABLED: 0, EXPIRED: 0, FORBIDDEN_CONTAINER: 0, NOT_FOUND: 0, MALFORMED: 0 });
const isCode = (c: string): c is UsageCode => (USAGE_CODES as readonly string[]).includes(c);

/** The window a query asks for, aligned to its granularity and bounded; a bad one is a 400. */
export function usageWindow(q: WindowQuery, now: number): { granularity: Granularity; from: number; to: number } {
  const granularity = q.granularity ?? 'hour';
  const size = GRANULARITY_MS[granularity];
  // Without `to`, the window ends with the point that holds now.
  const to = q.to === undefined ? Math.floor(now / size) * size + size : Math.ceil(q.to / size) * size;
  const from = q.from === undefined ? to - DEFAULT_WINDOW_MS[granularity] : Math.floor(q.from / size) * size;
  if (q.from !== undefined && q.to !== undefined && q.from >= q.to) throw new AppError('bad_request', 'from must be before to');
  if (from >= to) throw new AppError('bad_request', 'from must be before to (to defaults to now)');
  const points = (to - from) / size;
  if (points > MAX_POINTS) {
    throw new AppError('bad_request', `a series by ${granularity} has at most ${MAX_POINTS} points (this window has ${points}): narrow from and to, or ask for a coarser granularity`);
  }
  return { granularity, from, to };
}

/**
 * Reading persisted usage: series per key or team, top keys, a key's refusals. Each read adds what
 * this process counted but has not flushed yet, so a chart is current here; other processes' counts
 * appear once they flush (KEYHOLD_USAGE_FLUSH_MS).
 */
export function usageService(store: Store, pending: PendingUsage, clock: Clock) {
  /** Stored and pending rows of the window: minutes only by minute; minutes and hours otherwise. */
  async function rows(q: UsageQuery, granularity: Granularity, byKey: boolean): Promise<UsageRow[]> {
    const out = await store.usage.sums('usage_minutes', q, byKey);
    if (granularity !== 'minute') out.push(...(await store.usage.sums('usage_hours', q, byKey)));
    for (const r of pending.pendingUsage(q.teamId, q.keyId)) if (r.start >= q.from && r.start < q.to) out.push(r);
    return out;
  }

  async function series(teamId: number, keyId: number | undefined, w: WindowQuery): Promise<UsageSeries> {
    const { granularity, from, to } = usageWindow(w, clock());
    const size = GRANULARITY_MS[granularity];
    const points: UsagePoint[] = [];
    for (let start = from; start < to; start += size) points.push({ start, counts: zeroCounts() });
    for (const r of await rows({ teamId, keyId, from, to }, granularity, false)) {
      const point = points[Math.floor((r.start - from) / size)];
      if (point && isCode(r.code)) point.counts[r.code] += r.count;
    }
    return { granularity, from, to, series: points };
  }

  return {
    /** One key's answers over the window (the caller has checked the key is the team's). */
    keySeries: (teamId: number, keyId: number, w: WindowQuery) => series(teamId, keyId, w),
    /** All the team's answers over the window, unknown keys' refusals included. */
    teamSeries: (teamId: number, w: WindowQuery) => series(teamId, undefined, w),
    /**
     * The team's keys with the most answers in the window, and those with the most refusals (any
     * code but VALID); keys deleted since are left out.
     */
    async topKeys(teamId: number, w: WindowQuery): Promise<{ byTotal: TopKey[]; byRefused: TopKey[] }> {
      const { granularity, from, to } = usageWindow(w, clock());
      const perKey = new Map<number, Counts>();
      for (const r of await rows({ teamId, from, to }, granularity, true)) {
        if (r.keyId === 0 || !isCode(r.code)) continue;
        let counts = perKey.get(r.keyId);
        if (!counts) perKey.set(r.keyId, (counts = zeroCounts()));
        counts[r.code] += r.count;
      }
      const ranked = [...perKey].map(([id, counts]) => {
        const total = USAGE_CODES.reduce((n, c) => n + counts[c], 0);
        return { id, counts, total, refused: total - counts.VALID };
      });
      const byTotal = [...ranked].sort((a, b) => b.total - a.total || a.id - b.id).slice(0, TOP_KEYS);
      const byRefused = ranked.filter((k) => k.refused > 0).sort((a, b) => b.refused - a.refused || a.id - b.id).slice(0, TOP_KEYS);
      const names = new Map((await store.caasKeys.namesOf(teamId, [...new Set([...byTotal, ...byRefused].map((k) => k.id))])).map((k) => [k.id, k]));
      const named = (list: typeof ranked): TopKey[] =>
        list.flatMap((k) => {
          const n = names.get(k.id);
          return n ? [{ projectId: n.projectId, regionId: n.regionId, name: n.name, total: k.total, refused: k.refused, counts: k.counts }] : [];
        });
      return { byTotal: named(byTotal), byRefused: named(byRefused) };
    },
    /** A key's newest refusals first, this process's unflushed ones included. */
    async refusals(teamId: number, keyId: number, limit: number): Promise<RefusalRow[]> {
      const unflushed = [...pending.pendingRefusals(keyId)].reverse();
      const stored = await store.usage.refusals(teamId, keyId, limit);
      return [...unflushed, ...stored].slice(0, limit);
    },
  };
}
export type UsageService = ReturnType<typeof usageService>;
