import { useEffect, useRef, useState } from 'react';
import type { Schemas } from '../lib/api';

type Minute = Schemas['Overview']['verifications'][number];
/** One point of a usage series (GET /v1/usage, GET …/{name}/usage): its start and its answers by code. */
export interface Point {
  start: string;
  counts: Partial<Record<Code, number>>;
}
/** Every answer a gateway can get, from the SDK's generated types (the API's schema). */
export type Code = Schemas['VerifyResponse']['code'];

// The overview counts exactly the codes verification answers: a new code in either fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const countsMatchCodes: Same<keyof Minute['counts'], Code> = true;
const usageMatchesCodes: Same<keyof Schemas['UsageCounts'], Code> = true;
void countsMatchCodes;
void usageMatchesCodes;

/**
 * Where each code is stacked and listed (lower first). A Record over the code union: leaving a code
 * out, or naming one the API does not have, does not compile.
 */
const ORDER: Record<Code, number> = {
  VALID: 0,
  FORBIDDEN_CONTAINER: 1,
  RATE_LIMITED: 2,
  DISABLED: 3,
  EXPIRED: 4,
  NOT_FOUND: 5,
  MALFORMED: 6,
};

/** The verification codes, in the order they are stacked and listed. */
export const CODES = (Object.keys(ORDER) as Code[]).sort((a, b) => ORDER[a] - ORDER[b]);

/** The drawing's width before the figure is measured; then it is the figure's own, so text keeps its size on a phone. */
const DEFAULT_WIDTH = 720;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 40 };
const MINUTE = 60_000;

/** A round number at or above `n` for the y axis: 1, 2, 5, 10, 20, 50, … */
function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= n)!;
}

const count = (m: { counts: object }, code: string) => (m.counts as Record<string, number | undefined>)[code] ?? 0;

/** Answers by code over some points: every code present. */
export function totalsOf(points: { counts: object }[]): Record<Code, number> {
  return Object.fromEntries(CODES.map((c) => [c, points.reduce((s, m) => s + count(m, c), 0)])) as Record<Code, number>;
}

interface Props {
  /** The overview's last hour, per minute (minutes with no answers left out)… */
  minutes?: Minute[];
  now?: number;
  /** …or a usage series: every point of its window, oldest first, one bar each. */
  points?: Point[];
  /** One point's length (ms), for the time labels; default a minute. */
  stepMs?: number;
  /** "the last hour", for the summary. */
  span?: string;
}

/**
 * Verification answers over a window, one stacked bar per point (a minute, hour or day), drawn as
 * inline SVG by hand. Points with no answers are empty. Screen readers get the totals as text.
 */
export function VerificationChart({ minutes, now = Date.now(), points, stepMs = MINUTE, span = 'the last hour' }: Props) {
  const figure = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const el = figure.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const style = getComputedStyle(el);
      const inner = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (inner > 0) setWidth(Math.round(inner));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // The slots: a usage series as given; the overview's minutes placed in the last 60.
  let slots: { t: number; p?: { counts: object } }[];
  if (points) slots = points.map((p) => ({ t: new Date(p.start).getTime(), p }));
  else {
    const end = Math.floor(now / MINUTE) * MINUTE;
    const byMinute = new Map((minutes ?? []).map((m) => [Math.floor(new Date(m.at).getTime() / MINUTE) * MINUTE, m]));
    slots = Array.from({ length: 60 }, (_, i) => {
      const t = end - (59 - i) * MINUTE;
      return { t, p: byMinute.get(t) };
    });
  }
  const n = Math.max(1, slots.length);
  const last = n - 1;
  // Five time labels where they fit, three on a phone.
  const labelled = [
    ...new Set(width >= 480 ? [0, Math.round(last / 4), Math.round(last / 2), Math.round((3 * last) / 4), last] : [0, Math.round(last / 2), last]),
  ];
  const present = slots.flatMap((s) => (s.p ? [s.p] : []));
  const totals = totalsOf(present);
  const all = CODES.reduce((s, c) => s + totals[c], 0);
  const peak = Math.max(0, ...present.map((m) => CODES.reduce((s, c) => s + count(m, c), 0)));
  const yMax = niceMax(peak);
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / n;
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const summary =
    all === 0
      ? `No verifications in ${span}.`
      : `${all} verifications in ${span}: ${CODES.filter((c) => totals[c] > 0)
          .map((c) => `${totals[c]} ${c}`)
          .join(', ')}.`;
  // Times of day for minutes and hours within a day; dates (and hours over days) beyond.
  const multiDay = (slots.at(-1)?.t ?? 0) - (slots[0]?.t ?? 0) >= 86_400_000;
  const label = (t: number) =>
    stepMs >= 86_400_000
      ? new Date(t).toLocaleDateString([], { month: 'short', day: 'numeric', timeZone: 'UTC' })
      : multiDay
        ? new Date(t).toLocaleDateString([], { month: 'short', day: 'numeric' })
        : new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const title = (t: number) =>
    stepMs >= 86_400_000
      ? new Date(t).toLocaleDateString([], { dateStyle: 'medium', timeZone: 'UTC' })
      : stepMs >= 3_600_000
        ? new Date(t).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
        : new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

  const bars = [];
  for (let i = 0; i < slots.length; i++) {
    const { t, p: m } = slots[i]!;
    if (!m) continue;
    let acc = 0;
    for (const code of CODES) {
      const v = count(m, code);
      if (v === 0) continue;
      const top = y(acc + v);
      const h = y(acc) - top;
      acc += v;
      bars.push(
        <rect
          key={`${t}-${code}`}
          className={`bar bar-${code}`}
          x={PAD.left + i * slot + (slot > 3 ? 1 : 0)}
          y={top}
          width={Math.max(1, slot > 3 ? slot - 2 : slot)}
          height={Math.max(0.5, h)}
        >
          <title>{`${title(t)}: ${v} ${code}`}</title>
        </rect>,
      );
    }
  }
  const ticks = [0, yMax / 2, yMax].filter((v, i, a) => Number.isInteger(v) && a.indexOf(v) === i);

  return (
    <figure className="chart" ref={figure}>
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        {ticks.map((v) => (
          <g key={v} className="tick">
            <line x1={PAD.left} x2={width - PAD.right} y1={y(v)} y2={y(v)} />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {bars}
        {slots.length > 0 &&
          labelled.map((i) => (
            <text
              key={i}
              className="axis-label"
              x={PAD.left + i * slot + slot / 2}
              y={HEIGHT - 8}
              textAnchor={i === 0 ? 'start' : i === last ? 'end' : 'middle'}
            >
              {label(slots[i]!.t)}
            </text>
          ))}
      </svg>
      <figcaption>
        <ul className="legend">
          {CODES.map((c) => (
            <li key={c}>
              <svg className="swatch" viewBox="0 0 10 10" aria-hidden="true">
                <rect className={`bar bar-${c}`} width="10" height="10" rx="2" />
              </svg>
              {c} <span className="legend-count">{totals[c]}</span>
            </li>
          ))}
        </ul>
        <p className="visually-hidden">{summary}</p>
      </figcaption>
    </figure>
  );
}
