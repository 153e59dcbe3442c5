import { AppError } from './errors.js';

/**
 * Durations as people write them everywhere in keyhold (settings, CLI options, role TTLs): a whole
 * number and one unit, `45s`, `90m`, `12h`, `30d`, `2w`, `1y`.
 */

const UNITS: Readonly<Record<string, number>> = { s: 1e3, m: 60e3, h: 3600e3, d: 86_400e3, w: 7 * 86_400e3, y: 365 * 86_400e3 };

/** The duration in ms, or undefined when the text is not one (`0s` is 0). */
export function durationMs(text: string): number | undefined {
  const m = /^(\d{1,9})([smhdwy])$/.exec(text.trim());
  return m ? Number(m[1]) * UNITS[m[2]!]! : undefined;
}

/** A duration greater than zero, or a `bad_request` naming what was given and what it should look like. */
export function parseDuration(text: string, what = 'duration'): number {
  const ms = durationMs(text);
  if (ms === undefined || ms === 0) throw new AppError('bad_request', `invalid ${what} ${JSON.stringify(text)}: use a number and a unit, e.g. 30d, 12h, 90m, 45s`);
  return ms;
}

/** The shortest text for a duration in ms (`3600000` → `1h`), for answers and messages. */
export function formatDuration(ms: number): string {
  for (const unit of ['y', 'w', 'd', 'h', 'm'] as const) if (ms % UNITS[unit]! === 0 && ms >= UNITS[unit]!) return `${ms / UNITS[unit]!}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}
