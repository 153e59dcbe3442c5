/** Writes `npm run bench`'s figures into BENCHMARKS.md, between its bench markers. */
import fs from 'node:fs';
import os from 'node:os';
import type { LoadResult } from './load.js';
import { CONNECTIONS, THREADS } from './load.js';

export interface Measurement extends LoadResult {
  scenario: string;
  keys: number;
  who: 'keyhold' | 'bare';
}

export interface Report {
  measurements: Measurement[];
  memory: Array<{ keys: number; entries: number; rssMb: number; peakMb: number }>;
  seconds: number;
  sizes: number[];
  pairedRandomSize: number;
}

const START = '<!-- bench:start (npm run bench) -->';
const END = '<!-- bench:end -->';

/** Throughput targets (ratio of keyhold's req/s to bare node:http's), from issue 11. */
const TARGETS: Array<[string, number]> = [
  ['verify, cache hit', 0.9],
  ['verify, random key (SQLite lookups)', 0.7],
  ['forward-auth, cache hit', 0.9],
  ['verify with a rate limit set', 0.85],
];
const P99_TARGET = 1.5;
const SCALING_TARGET = 1.1;
const RSS_TARGET_MB = 150;

const n = (x: number) => x.toFixed(0);
const ms = (x: number) => x.toFixed(2);
const verdict = (ok: boolean) => (ok ? 'met' : '**short**');
const keysLabel = (k: number) => (k >= 1e6 ? `${k / 1e6}M` : k >= 1e3 ? `${k / 1e3}k` : String(k));

export function renderReport(r: Report): string {
  const find = (scenario: string, who: string, keys?: number) => r.measurements.find((m) => m.scenario === scenario && m.who === who && (keys === undefined || m.keys === keys));
  const cpu = os.cpus();
  const [first] = r.sizes;
  const last = r.sizes[r.sizes.length - 1]!;
  const out = [
    START,
    '## Gateway path against bare node:http',
    '',
    'Written by `npm run bench` (bench/run.ts). keyhold (`bin/keyhold.mjs serve`, SQLite, default settings unless',
    'said) and bench/baseline.mjs (plain `node:http` doing the same work: read the body, hash the token and look it',
    'up, parse the JSON, hash the key and look it up in a `Map`, check the container, count against a limit, answer',
    'the same JSON) are driven by the same wrk scripts in one run. Load comes from the same 2-core host over',
    'loopback: wrk and the server share the CPU. Compare ratios within a run, not figures across runs.',
    '',
    `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
    `- node ${process.version}; wrk -t${THREADS} -c${CONNECTIONS}, ${r.seconds} s per measurement after a 1 s warm-up`,
    '',
    '| scenario | keys | bare req/s | keyhold req/s | ratio | target | bare p99 ms | keyhold p99 ms | p99 × bare | target |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|---|',
  ];
  for (const [scenario, target] of TARGETS) {
    const keys = scenario.includes('random') ? r.pairedRandomSize : first;
    const bare = find(scenario, 'bare', keys);
    const kh = find(scenario, 'keyhold', keys);
    if (!bare || !kh) continue;
    const ratio = kh.rps / bare.rps;
    const p99 = kh.p99 / bare.p99;
    out.push(`| ${scenario} | ${keysLabel(keys!)} | ${n(bare.rps)} | ${n(kh.rps)} | ${ratio.toFixed(2)} | ≥ ${target}: ${verdict(ratio >= target)} | ${ms(bare.p99)} | ${ms(kh.p99)} | ${p99.toFixed(2)} | ≤ ${P99_TARGET}: ${verdict(p99 <= P99_TARGET)} |`);
  }
  const map = find('verify, random key (Map lookups)', 'bare', r.pairedRandomSize);
  const sqliteKh = find('verify, random key (SQLite lookups)', 'keyhold', r.pairedRandomSize);
  if (map && sqliteKh) {
    out.push(
      '',
      `Random keys: bare node:http does one indexed SELECT on keyhold's SQLite file per request (its own statement, no`,
      `join, no \`last_used_at\`); looking keys up in a \`Map\` instead it answers ${n(map.rps)} req/s (keyhold's ratio to that: ${(sqliteKh.rps / map.rps).toFixed(2)}).`,
    );
  }
  out.push(
    '',
    '### From 1k to 1M keys',
    '',
    'Verification of a key drawn at random from all of them, with every lookup in SQLite (`KEYHOLD_VERIFY_CACHE_SIZE=0`)',
    `and with the default cache (100,000 entries; at 1M keys most requests miss it). Target: p50 and p99 at 1M ≤ ${SCALING_TARGET} × 1k.`,
    '',
    `| scenario | ${r.sizes.map((k) => `${keysLabel(k)} p50 / p99 ms`).join(' | ')} | ${keysLabel(last)} ÷ ${keysLabel(first!)}, p50 / p99 | target |`,
    `|---|${r.sizes.map(() => '---:').join('|')}|---:|---|`,
  );
  for (const scenario of ['verify, random key (SQLite lookups)', 'verify, random key (default cache)']) {
    const row = r.sizes.map((k) => find(scenario, 'keyhold', k));
    const [a, b] = [row[0], row[row.length - 1]];
    if (!a || !b) continue;
    const [p50, p99] = [b.p50 / a.p50, b.p99 / a.p99];
    out.push(
      `| ${scenario} | ${row.map((m) => (m ? `${ms(m.p50)} / ${ms(m.p99)} (${n(m.rps)}/s)` : '')).join(' | ')} | ${p50.toFixed(2)} / ${p99.toFixed(2)} | ${verdict(p50 <= SCALING_TARGET && p99 <= SCALING_TARGET)} |`,
    );
  }
  out.push('', '### Memory', '', 'The server with the default cache, after its random-key load (at the largest size, three more measurement lengths of it).', '');
  out.push('| keys | cache entries | RSS MB | peak RSS MB | target |', '|---:|---:|---:|---:|---|');
  for (const m of r.memory) out.push(`| ${keysLabel(m.keys)} | ${n(m.entries)} | ${n(m.rssMb)} | ${n(m.peakMb)} | ${m.keys === last ? `≤ ${RSS_TARGET_MB}: ${verdict(m.peakMb <= RSS_TARGET_MB)}` : ''} |`);
  out.push(
    '',
    "### In Kong's format",
    '',
    "Kong publishes throughput and p95/p99 latency per test case, with and without its auth and rate-limiting plugins. keyhold's",
    `gateway answers at ${keysLabel(first!)} keys, beside bare node:http doing the same:`,
    '',
    '| test case | keyhold RPS | keyhold P95 ms | keyhold P99 ms | node:http RPS | node:http P99 ms |',
    '|---|---:|---:|---:|---:|---:|',
  );
  const kong: Array<[string, string]> = [
    ['no verification (health route)', 'no verification: GET /healthz'],
    ['key verification (forward-auth)', 'forward-auth, cache hit'],
    ['key verification (verify API)', 'verify, cache hit'],
    ['key verification and a rate limit', 'verify with a rate limit set'],
  ];
  for (const [label, scenario] of kong) {
    const kh = find(scenario, 'keyhold', first);
    const bare = find(scenario, 'bare', first);
    if (kh && bare) out.push(`| ${label} | ${n(kh.rps)} | ${ms(kh.p95)} | ${ms(kh.p99)} | ${n(bare.rps)} | ${ms(bare.p99)} |`);
  }
  const errors = r.measurements.reduce((s, m) => s + m.errors, 0);
  out.push('', `Errors (connection, timeout or status ≥ 400) in all measurements: ${errors}.`, END);
  return out.join('\n');
}

/** Replaces the bench section of `file`, or puts it first when the file has none; the rest is kept. */
export function writeReport(file: string, r: Report): void {
  const section = renderReport(r);
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const at = old.indexOf(START);
  const end = old.indexOf(END);
  let next: string;
  if (at >= 0 && end > at) next = old.slice(0, at) + section + old.slice(end + END.length);
  else {
    const heading = old.indexOf('\n') + 1;
    next = `${old.slice(0, heading)}\n${section}\n${old.slice(heading)}`;
  }
  fs.writeFileSync(file, next);
}
