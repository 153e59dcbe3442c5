import { useEffect, useRef, useState } from 'react';
import type { Schemas } from '../lib/api';

type Minute = Schemas['Overview']['verifications'][number];
/** Every answer a gateway can get, from the SDK's generated types (the API's schema). */
export type Code = Schemas['VerifyResponse']['code'];

// The overview counts exactly the codes verification answers: a new code in either fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const countsMatchCodes: Same<keyof Minute['counts'], Code> = true;
void countsMatchCodes;

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
const MINUTES = 60;

/** A round number at or above `n` for the y axis: 1, 2, 5, 10, 20, 50, … */
function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= n)!;
}

const count = (m: Minute, code: string) => (m.counts as Record<string, number | undefined>)[code] ?? 0;

/**
 * The last hour of verification answers, one stacked bar per minute, drawn as inline SVG by hand.
 * Minutes keyhold did not list (no answers) are empty. Screen readers get the totals as text.
 */
export function VerificationChart({ minutes, now = Date.now() }: { minutes: Minute[]; now?: number }) {
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
  // Five time labels where they fit, three on a phone.
  const labelled = width >= 480 ? [0, 15, 30, 45, 59] : [0, 30, 59];
  const end = Math.floor(now / 60_000) * 60_000;
  const start = end - (MINUTES - 1) * 60_000;
  const byMinute = new Map(minutes.map((m) => [Math.floor(new Date(m.at).getTime() / 60_000) * 60_000, m]));
  const totals = Object.fromEntries(CODES.map((c) => [c, minutes.reduce((s, m) => s + count(m, c), 0)])) as Record<Code, number>;
  const all = CODES.reduce((s, c) => s + totals[c], 0);
  const peak = Math.max(0, ...minutes.map((m) => CODES.reduce((s, c) => s + count(m, c), 0)));
  const yMax = niceMax(peak);
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / MINUTES;
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const summary =
    all === 0
      ? 'No verifications in the last hour.'
      : `${all} verifications in the last hour: ${CODES.filter((c) => totals[c] > 0)
          .map((c) => `${totals[c]} ${c}`)
          .join(', ')}.`;

  const bars = [];
  for (let i = 0; i < MINUTES; i++) {
    const t = start + i * 60_000;
    const m = byMinute.get(t);
    if (!m) continue;
    let acc = 0;
    for (const code of CODES) {
      const v = count(m, code);
      if (v === 0) continue;
      const top = y(acc + v);
      const h = y(acc) - top;
      acc += v;
      bars.push(
        <rect key={`${t}-${code}`} className={`bar bar-${code}`} x={PAD.left + i * slot + 1} y={top} width={Math.max(1, slot - 2)} height={Math.max(0.5, h)}>
          <title>{`${new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${v} ${code}`}</title>
        </rect>,
      );
    }
  }
  const ticks = [0, yMax / 2, yMax].filter((v, i, a) => Number.isInteger(v) && a.indexOf(v) === i);
  const label = (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

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
        {labelled.map((i) => (
          <text key={i} className="axis-label" x={PAD.left + i * slot + slot / 2} y={HEIGHT - 8} textAnchor={i === 0 ? 'start' : i === 59 ? 'end' : 'middle'}>
            {label(start + i * 60_000)}
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
