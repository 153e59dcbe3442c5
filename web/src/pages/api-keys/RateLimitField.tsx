import { useId } from 'react';
import type { Schemas } from '../../lib/api';

type RateLimit = Schemas['RateLimit'];

/** The windows offered by name; any other length (1 to 86 400 s) is a custom one. */
const WINDOWS: { seconds: number; word: string }[] = [
  { seconds: 1, word: 'second' },
  { seconds: 60, word: 'minute' },
  { seconds: 3600, word: 'hour' },
  { seconds: 86_400, word: 'day' },
];
const MAX_LIMIT = 1_000_000_000;
const MAX_WINDOW = 86_400;

export interface RateLimitState {
  on: boolean;
  limit: string;
  /** A preset's seconds, or "custom". */
  window: string;
  customSeconds: string;
}

export function rateLimitState(r: RateLimit | null | undefined): RateLimitState {
  if (!r) return { on: false, limit: '100', window: '60', customSeconds: '' };
  const preset = WINDOWS.some((w) => w.seconds === r.window_seconds);
  return { on: true, limit: String(r.limit), window: preset ? String(r.window_seconds) : 'custom', customSeconds: preset ? '' : String(r.window_seconds) };
}

const wholeIn = (text: string, min: number, max: number) => /^\d+$/.test(text.trim()) && Number(text) >= min && Number(text) <= max;

/** The limit to send (null: none), or why the form cannot send it. */
export function toRateLimit(s: RateLimitState): { value: RateLimit | null } | { error: string } {
  if (!s.on) return { value: null };
  if (!wholeIn(s.limit, 1, MAX_LIMIT)) return { error: 'the number of requests must be a whole number from 1 to 1 000 000 000' };
  const seconds = s.window === 'custom' ? s.customSeconds : s.window;
  if (!wholeIn(seconds, 1, MAX_WINDOW)) return { error: 'the window must be a whole number of seconds from 1 to 86 400 (a day)' };
  return { value: { limit: Number(s.limit), window_seconds: Number(seconds) } };
}

/** "100 requests per minute", "5 requests per 90 s". */
export function describeRateLimit(r: RateLimit): string {
  const w = WINDOWS.find((x) => x.seconds === r.window_seconds);
  const n = r.limit.toLocaleString('en-US');
  return `${n} ${r.limit === 1 ? 'request' : 'requests'} per ${w ? w.word : `${r.window_seconds.toLocaleString('en-US')} s`}`;
}

interface Props {
  value: RateLimitState;
  onChange: (s: RateLimitState) => void;
  error?: string;
}

/** An optional limit on a key's verifications: off by default; N requests per window. */
export function RateLimitField({ value, onChange, error }: Props) {
  const id = useId();
  const set = (patch: Partial<RateLimitState>) => onChange({ ...value, ...patch });
  return (
    <fieldset className={`rate-limit${error ? ' has-error' : ''}`} aria-describedby={`${id}-hint ${id}-error`}>
      <legend>Rate limit</legend>
      <label className="check">
        <input type="checkbox" name="rate_limit_on" checked={value.on} onChange={(e) => set({ on: e.target.checked })} />
        Limit how often gateways admit this key
      </label>
      <p className="hint" id={`${id}-hint`}>
        {value.on
          ? 'Verifications beyond the limit answer RATE_LIMITED until the window ends (windows are aligned to the clock).'
          : 'No limit: every verification is answered.'}
      </p>
      {value.on && (
        <div className="inline-controls rate-limit-controls">
          <input
            id={`${id}-limit`}
            aria-label="Requests per window"
            name="rate_limit_limit"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_LIMIT}
            step={1}
            value={value.limit}
            onChange={(e) => set({ limit: e.target.value })}
            aria-invalid={error ? true : undefined}
          />
          <span aria-hidden="true">requests per</span>
          <select id={`${id}-window`} aria-label="Window" name="rate_limit_window" value={value.window} onChange={(e) => set({ window: e.target.value })}>
            {WINDOWS.map((w) => (
              <option key={w.seconds} value={w.seconds}>
                {w.word}
              </option>
            ))}
            <option value="custom">custom window…</option>
          </select>
          {value.window === 'custom' && (
            <>
              <input
                id={`${id}-seconds`}
                name="rate_limit_window_seconds"
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_WINDOW}
                step={1}
                value={value.customSeconds}
                onChange={(e) => set({ customSeconds: e.target.value })}
                aria-label="Window length in seconds"
              />
              <span aria-hidden="true">seconds</span>
            </>
          )}
        </div>
      )}
      <div className="field-error" id={`${id}-error`} aria-live="polite">
        {error}
      </div>
    </fieldset>
  );
}
