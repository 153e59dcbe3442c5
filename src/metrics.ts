/**
 * A small Prometheus registry (text exposition format 0.0.4), written by hand to keep the dependency
 * budget: counters, gauges and histograms with labels, plus gauges read at scrape time.
 *
 * Usage from anywhere (services included; this file imports nothing):
 *
 *   const outcomes = metrics.counter('keyhold_verify_results_total', 'Verification answers by code.', ['code']);
 *   outcomes.inc({ code: 'VALID' });
 *
 * Asking for a metric that exists returns it, so modules may declare theirs at import time or lazily.
 */

export type Labels = Readonly<Record<string, string | number>>;
type MetricType = 'counter' | 'gauge' | 'histogram';

/** One family rendered at scrape time from values that live elsewhere (a pool's counts, a cache's size). */
export interface SampledFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: ReadonlyArray<{ labels?: Labels; value: number }>;
}

/** Seconds; suits request latency from a sub-millisecond cache hit to a slow database. */
export const DEFAULT_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeValue = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** A sample value as the exposition format writes it. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((n, i) => `${n}="${escapeValue(values[i]!)}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function header(name: string, help: string, type: MetricType): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
}

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}
  abstract readonly type: MetricType;
  abstract render(): string;

  /** The label values in declared order; a missing or unknown label is a programming error. */
  protected values(labels: Labels | undefined): string[] {
    const given = labels ?? {};
    for (const k of Object.keys(given)) if (!this.labelNames.includes(k)) throw new TypeError(`${this.name} has no label ${k}`);
    return this.labelNames.map((n) => {
      const v = given[n];
      if (v === undefined) throw new TypeError(`${this.name} needs the label ${n}`);
      return String(v);
    });
  }
}

type Collect = () => number | ReadonlyArray<{ labels?: Labels; value: number }>;

/** Counters and gauges: one value per label set, or samples read by `collect` at every scrape. */
abstract class Valued extends Metric {
  protected readonly series = new Map<string, { values: string[]; value: number }>();

  constructor(name: string, help: string, labelNames: readonly string[], private readonly collect?: Collect) {
    super(name, help, labelNames);
  }

  protected add(labels: Labels | undefined, by: number): void {
    const values = this.values(labels);
    const key = values.join('\u0000');
    const s = this.series.get(key);
    if (s) s.value += by;
    else this.series.set(key, { values, value: by });
  }

  /** The current value for these labels (0 if never touched). */
  get(labels?: Labels): number {
    return this.series.get(this.values(labels).join('\u0000'))?.value ?? 0;
  }

  render(): string {
    let out = header(this.name, this.help, this.type);
    if (this.collect) {
      const got = this.collect();
      const samples = typeof got === 'number' ? [{ value: got }] : got;
      for (const s of samples) out += `${this.name}${labelText(this.labelNames, this.values(s.labels))} ${formatValue(s.value)}\n`;
      return out;
    }
    if (this.labelNames.length === 0 && this.series.size === 0) out += `${this.name} 0\n`;
    for (const s of this.series.values()) out += `${this.name}${labelText(this.labelNames, s.values)} ${formatValue(s.value)}\n`;
    return out;
  }
}

/** A value that only goes up (and starts again from 0 when the process restarts). */
export class Counter extends Valued {
  readonly type = 'counter';

  inc(labels?: Labels, by = 1): void {
    if (!(by >= 0)) throw new RangeError(`${this.name} can only increase`);
    this.add(labels, by);
  }
}

/** A value that goes up and down. */
export class Gauge extends Valued {
  readonly type = 'gauge';

  set(labels: Labels | undefined, value: number): void {
    const values = this.values(labels);
    this.series.set(values.join('\u0000'), { values, value });
  }

  inc(labels?: Labels, by = 1): void {
    this.add(labels, by);
  }

  dec(labels?: Labels, by = 1): void {
    this.add(labels, -by);
  }
}

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram extends Metric {
  readonly type = 'histogram';
  private readonly series = new Map<string, { values: string[]; counts: number[]; sum: number; count: number }>();

  constructor(name: string, help: string, labelNames: readonly string[], readonly buckets: readonly number[]) {
    super(name, help, labelNames);
    if (labelNames.includes('le')) throw new TypeError(`${name}: a histogram cannot have a label named le`);
    if (buckets.length === 0 || buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!))) {
      throw new TypeError(`${name}: buckets must be finite and increasing`);
    }
  }

  observe(labels: Labels | undefined, value: number): void {
    const values = this.values(labels);
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { values, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    const i = this.buckets.findIndex((b) => value <= b);
    if (i !== -1) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  render(): string {
    let out = header(this.name, this.help, this.type);
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((b, i) => {
        cumulative += s.counts[i]!;
        out += `${this.name}_bucket${labelText(this.labelNames, s.values, `le="${formatValue(b)}"`)} ${cumulative}\n`;
      });
      out += `${this.name}_bucket${labelText(this.labelNames, s.values, 'le="+Inf"')} ${s.count}\n`;
      out += `${this.name}_sum${labelText(this.labelNames, s.values)} ${formatValue(s.sum)}\n`;
      out += `${this.name}_count${labelText(this.labelNames, s.values)} ${s.count}\n`;
    }
    return out;
  }
}

/** Named metrics, rendered in registration order. */
export class MetricsRegistry {
  private readonly families = new Map<string, Metric>();

  /**
   * A counter (name it `…_total`); returns the existing one if already declared with the same labels.
   * With `collect`, its samples are read at every scrape (for totals kept elsewhere).
   */
  counter(name: string, help: string, labelNames: readonly string[] = [], collect?: Collect): Counter {
    return this.declare(name, 'counter', labelNames, () => new Counter(name, help, labelNames, collect)) as Counter;
  }

  /** A gauge; with `collect`, its samples are read at every scrape instead of set. */
  gauge(name: string, help: string, labelNames: readonly string[] = [], collect?: Collect): Gauge {
    return this.declare(name, 'gauge', labelNames, () => new Gauge(name, help, labelNames, collect)) as Gauge;
  }

  /** A histogram over `buckets` (upper bounds, increasing). */
  histogram(name: string, help: string, labelNames: readonly string[] = [], buckets: readonly number[] = DEFAULT_BUCKETS): Histogram {
    return this.declare(name, 'histogram', labelNames, () => new Histogram(name, help, labelNames, buckets)) as Histogram;
  }

  /** The exposition text of every metric, then of `extra` families sampled by the caller. */
  render(extra: readonly SampledFamily[] = []): string {
    let out = '';
    for (const m of this.families.values()) out += m.render();
    for (const f of extra) {
      if (this.families.has(f.name)) throw new TypeError(`metric ${f.name} is already registered`);
      out += header(f.name, f.help, f.type);
      for (const s of f.samples) {
        const names = Object.keys(s.labels ?? {});
        out += `${f.name}${labelText(names, names.map((n) => String(s.labels![n])))} ${formatValue(s.value)}\n`;
      }
    }
    return out;
  }

  private declare(name: string, type: MetricType, labelNames: readonly string[], make: () => Metric): Metric {
    if (!NAME.test(name)) throw new TypeError(`invalid metric name ${JSON.stringify(name)}`);
    for (const l of labelNames) if (!LABEL.test(l) || l.startsWith('__')) throw new TypeError(`invalid label name ${JSON.stringify(l)}`);
    const existing = this.families.get(name);
    if (existing) {
      if (existing.type !== type || existing.labelNames.join(',') !== labelNames.join(',')) {
        throw new TypeError(`metric ${name} is already registered as a ${existing.type} with labels [${existing.labelNames.join(', ')}]`);
      }
      return existing;
    }
    const m = make();
    this.families.set(name, m);
    return m;
  }
}

/** Process-level figures every Prometheus client offers, read at scrape time. */
export function registerProcessMetrics(registry: MetricsRegistry): void {
  const startSeconds = Math.round((Date.now() - performance.now()) / 1000);
  registry.gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds.', [], () => startSeconds);
  registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [], () => process.memoryUsage.rss());
  registry.gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.', [], () => process.memoryUsage().heapUsed);
  registry.counter('process_cpu_seconds_total', 'User and system CPU time spent, in seconds.', ['mode'], () => {
    const { user, system } = process.cpuUsage();
    return [
      { labels: { mode: 'user' }, value: user / 1e6 },
      { labels: { mode: 'system' }, value: system / 1e6 },
    ];
  });
}

/** The process's registry: HTTP request metrics live here, and so should anyone else's. */
export const metrics = new MetricsRegistry();
registerProcessMetrics(metrics);
