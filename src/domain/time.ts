import type { EpochMs } from './types.js';

/**
 * Date-time text in and out, in one place. Two syntaxes are read:
 *
 * - `rfc3339`: RFC 3339 exactly: seconds and an offset (`Z` or `±HH:MM`) required, a fraction kept
 *   to the millisecond. keyhold's own API and CLI.
 * - `python`: what Python's datetime parsing (pydantic, hence Gcore) accepts: seconds and offset
 *   optional (no offset means UTC), `±HHMM` offsets, any fraction (dropped: Gcore keeps whole seconds).
 *
 * Both refuse impossible calendar values and anything outside years 1 to 9999 (Python's range,
 * and the range the 4-digit output formats can write).
 */
export type DateTimeSyntax = 'rfc3339' | 'python';

const SYNTAX: Record<DateTimeSyntax, RegExp> = {
  rfc3339: /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/,
  python: /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/,
};

const FIRST_MS = -62135596800000; // 0001-01-01T00:00:00Z
const LAST_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

/** Minutes east of UTC for `Z`, `+HH:MM`, `-HHMM` or `+HH`; undefined when out of range. */
function offsetMinutes(tz: string | undefined): number | undefined {
  if (!tz || tz === 'Z' || tz === 'z') return 0;
  const digits = tz.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (tz[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Parses a date-time in the given syntax to epoch ms; undefined when it is not one. */
export function parseDateTime(text: string, syntax: DateTimeSyntax = 'rfc3339'): EpochMs | undefined {
  const m = SYNTAX[syntax].exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const fraction = syntax === 'rfc3339' && m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not read years 0 to 99 as 1900 to 1999.
  const local = new Date(0);
  local.setUTCFullYear(y, mo - 1, d);
  local.setUTCHours(h, mi, s, fraction);
  // 2024-02-30 rolls over into March: a date that does not round-trip does not exist.
  if (local.getUTCFullYear() !== y || local.getUTCMonth() !== mo - 1 || local.getUTCDate() !== d) return undefined;
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  const ms = local.getTime() - offset * 60_000;
  return ms < FIRST_MS || ms > LAST_MS ? undefined : ms;
}

/** How many fractional digits `formatDateTime` writes: none (Gcore), milliseconds, or Laravel's six. */
export type DateTimePrecision = 's' | 'ms' | 'us';

/** Epoch ms as UTC RFC 3339 text: `2026-01-31T12:00:00Z`, `…:00.123Z` or `…:00.000000Z`. */
export function formatDateTime(ms: EpochMs, precision: DateTimePrecision = 'ms'): string {
  const iso = new Date(ms).toISOString();
  if (precision === 'ms') return iso;
  const seconds = iso.slice(0, 19);
  return precision === 's' ? `${seconds}Z` : `${seconds}.000000Z`;
}
