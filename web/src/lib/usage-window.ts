import { useUrlQuery } from './url-state';

export type Granularity = 'minute' | 'hour' | 'day';

export interface UsageWindow {
  id: '1h' | '24h' | '7d' | '30d';
  /** The picker's words. */
  label: string;
  /** "in the last …", for the chart's summary. */
  span: string;
  ms: number;
  granularity: Granularity;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The windows the console offers, and the granularity each asks the API for (at most 1440 points). */
export const WINDOWS: readonly UsageWindow[] = [
  { id: '1h', label: '1 h', span: 'the last hour', ms: HOUR, granularity: 'minute' },
  { id: '24h', label: '24 h', span: 'the last 24 hours', ms: DAY, granularity: 'hour' },
  { id: '7d', label: '7 d', span: 'the last 7 days', ms: 7 * DAY, granularity: 'hour' },
  { id: '30d', label: '30 d', span: 'the last 30 days', ms: 30 * DAY, granularity: 'day' },
];

/** One point's length in milliseconds. */
export const STEP_MS: Record<Granularity, number> = { minute: 60_000, hour: HOUR, day: DAY };

/** The window on show, kept in the address as `?window=24h` (1 h when absent or unknown), and a setter. */
export function useUsageWindow(): [UsageWindow, (w: UsageWindow) => void] {
  const { query, update } = useUrlQuery();
  const id = query.get('window');
  const w = WINDOWS.find((x) => x.id === id) ?? WINDOWS[0]!;
  return [w, (next) => update({ window: next.id === '1h' ? undefined : next.id }, { replace: false })];
}

/** The usage API's query for a window ending now. */
export function usageQuery(w: UsageWindow, now = Date.now()): { from: string; granularity: Granularity } {
  return { from: new Date(now - w.ms).toISOString(), granularity: w.granularity };
}
