/** Dates in and out of keyhold: it speaks RFC 3339; people read and type local time. */

const pad = (n: number) => String(n).padStart(2, '0');

/** A `datetime-local` input's value (local time) as RFC 3339 UTC, e.g. 2026-01-31T12:00:00Z; undefined when empty or invalid. */
export function localInputToRfc3339(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An RFC 3339 time as a `datetime-local` input's value, in local time. */
export function rfc3339ToLocalInput(text: string | null | undefined): string {
  if (!text) return '';
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A time for reading: local, medium date and short time. */
export function formatTime(text: string | null | undefined, never = '—'): string {
  if (!text) return never;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : dateTime.format(d);
}

// The same format as formatTime's, with seconds: one date format in the whole console.
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A time to the second (deliveries and their attempts): formatTime's format, with the seconds. */
export function formatTimeSeconds(text: string | null | undefined, never = '—'): string {
  if (!text) return never;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : dateTimeSeconds.format(d);
}

/** "5 minutes ago", "in 3 days": for last use and expiry. */
export function relativeTime(text: string | null | undefined, now = Date.now()): string {
  if (!text) return '';
  const ms = new Date(text).getTime() - now;
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(ms);
  if (abs < 60_000) return rtf.format(Math.round(ms / 1000), 'second');
  if (abs < 3_600_000) return rtf.format(Math.round(ms / 60_000), 'minute');
  if (abs < 86_400_000) return rtf.format(Math.round(ms / 3_600_000), 'hour');
  return rtf.format(Math.round(ms / 86_400_000), 'day');
}

/** A span of time for a countdown: "2 d 4 h 5 min", "59 min 12 s", "8 s" (seconds only under a day). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (d || h) parts.push(`${h} h`);
  if (d || h || m) parts.push(`${m} min`);
  if (!d) parts.push(`${s} s`);
  return parts.join(' ');
}
