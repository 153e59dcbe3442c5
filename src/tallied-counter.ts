import { Counter, type CounterConfiguration, type LabelValues } from 'prom-client';

/** What the hot path calls: `inc` with a label set (the label names are the counter's). */
export interface Tally<L extends string> {
  inc(labels: LabelValues<L>): void;
}

/**
 * A prom-client Counter counted in plain numbers and handed to prom-client at scrape time (its
 * `collect` hook): on the gateway path a request costs one Map lookup per counter instead of
 * prom-client's label validation and hashing. What a scrape shows is the same.
 */
export function talliedCounter<L extends string>(config: CounterConfiguration<L> & { labelNames: readonly L[] }): Tally<L> & { counter: Counter<L> } {
  const pending = new Map<string, { labels: LabelValues<L>; n: number }>();
  const names = config.labelNames;
  const counter = new Counter<L>({
    ...config,
    collect() {
      for (const p of pending.values()) {
        if (p.n === 0) continue;
        this.inc(p.labels, p.n);
        p.n = 0;
      }
    },
  });
  return {
    counter,
    inc(labels) {
      let key = '';
      for (const name of names) key += `${labels[name] ?? ''}\u0000`;
      const p = pending.get(key);
      if (p) p.n++;
      else pending.set(key, { labels: { ...labels }, n: 1 });
    },
  };
}
