/**
 * Soak test: `npm run soak` (10 minutes; `-- --minutes 2` for less, `-- --write` to put the report in
 * BENCHMARKS.md). Starts the compiled `keyhold serve` on a fresh SQLite store (or KEYHOLD_DATABASE_URL),
 * drives mixed load over every surface (verification, forward-auth, Coolify private keys, Gcore API
 * keys, keyhold's own API), and every 10 s samples the server's RSS and event-loop delay (from its own
 * /metrics) and the window's p99 and 5xx count. Ends with a verdict: flat (no growth trend) and no 5xx.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sshKeygenMany } from '../test/helpers/keys.js';
import { startKeyhold } from './servers.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};
const MINUTES = Number(arg('minutes') ?? 10);
const WORKERS = Number(arg('workers') ?? 8);
const SAMPLE_MS = 10_000;

interface Sample {
  at: number;
  rssMb: number;
  loopP99Ms: number;
  /** p99 of the server's own handling time (its request histogram), bucket upper bound. */
  serverP99Ms: number;
  requests: number;
  p99Ms: number;
  errors5xx: number;
  failures: number;
}


/** Request-duration histogram buckets summed over every route and status: upper bound (s) → count so far. */
function durationBuckets(text: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of text.matchAll(/^keyhold_http_request_duration_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\S+)$/gm)) {
    const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
    out.set(le, (out.get(le) ?? 0) + Number(m[2]));
  }
  return out;
}

/** The server's own p99 between two scrapes (ms): the upper bound of the bucket holding it. */
function serverP99Ms(before: Map<number, number>, after: Map<number, number>): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) return 0;
  const bound = bounds.find((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0) >= 0.99 * total) ?? Infinity;
  return bound * 1000;
}

/** Prometheus text → the value of one series (first match). */
function metric(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** Slope of y over x, per hour of x in ms, relative to y's mean: how fast it grows. */
function relativeTrendPerHour(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 || my === 0 ? 0 : ((num / den) * 3_600_000) / my;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-soak-'));
  const env = { KEYHOLD_DATABASE_URL: process.env.KEYHOLD_DATABASE_URL ?? path.join(dir, 'keyhold.db'), KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
  // SOAK_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const server = await startKeyhold(env, (process.env.SOAK_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const base = server.url;
  const json = async (method: string, p: string, token: string, body?: unknown) => {
    const r = await fetch(base + p, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: r.status, body: r.status === 204 ? null : await r.json() };
  };
  // Tokens straight from the runtime, beside the running server (as `keyhold tokens create` would make them).
  const { createRuntime } = await import('../src/runtime.js');
  const { loadConfig } = await import('../src/config.js');
  const rt = await createRuntime(loadConfig({ ...process.env, ...env }), { serving: false });
  await rt.services.teams.create('soak');
  const root = (await rt.services.tokens.create({ team: 'soak', abilities: ['root'] })).token;
  const gateway = (await rt.services.tokens.create({ team: 'soak', abilities: ['verify'] })).token;
  await rt.close();
  await json('POST', '/v1/projects', root, { id: 1 });
  const secrets: string[] = [];
  for (let i = 0; i < 200; i++) secrets.push((await json('POST', '/v1/api-keys', root, { project_id: 1, region_id: 1, name: `seed-${i}`, containers: [{ name: 'web', namespace: 'default' }] })).body.secret);
  const sshKeys = sshKeygenMany(40);

  const latencies: number[] = [];
  let errors5xx = 0;
  let failures = 0;
  let requests = 0;
  let n = 0;
  const timed = async (work: () => Promise<number>) => {
    const t0 = performance.now();
    try {
      const status = await work();
      if (status >= 500) errors5xx++;
    } catch {
      failures++;
    }
    latencies.push(performance.now() - t0);
    requests++;
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const ops: Array<[number, () => Promise<number>]> = [
    [40, async () => (await json('POST', '/v1/keys/verify', gateway, { key: pick(secrets), container: { name: 'web' } })).status],
    [10, async () => (await fetch(`${base}/v1/forward-auth?container=web`, { headers: { 'x-api-key': pick(secrets) } })).status],
    [
      8,
      async () => {
        const created = await json('POST', '/api/v1/security/keys', root, { name: `k${n++}`, private_key: pick(sshKeys) });
        if (created.status === 201) return (await json('DELETE', `/api/v1/security/keys/${created.body.uuid}`, root)).status;
        return created.status === 422 ? 200 : created.status; // the same key twice at once: a duplicate, not an error
      },
    ],
    [6, async () => (await json('GET', '/api/v1/security/keys', root)).status],
    [
      10,
      async () => {
        const name = `churn-${n++}`;
        const c = await fetch(`${base}/cloud/v1/caas/keys/1/1`, { method: 'POST', headers: { authorization: `APIKey ${root}`, 'content-type': 'application/json' }, body: JSON.stringify({ name, containers: [] }) });
        await c.text();
        const p = await fetch(`${base}/cloud/v1/caas/keys/1/1/${name}`, { method: 'PATCH', headers: { authorization: `APIKey ${root}`, 'content-type': 'application/json' }, body: '{"is_disabled":true}' });
        await p.text();
        const d = await fetch(`${base}/cloud/v1/caas/keys/1/1/${name}`, { method: 'DELETE', headers: { authorization: `APIKey ${root}` } });
        return Math.max(c.status, p.status, d.status === 204 ? 200 : d.status);
      },
    ],
    [8, async () => (await json('GET', '/v1/api-keys?limit=50&status=Active', root)).status],
    [8, async () => (await json('GET', '/v1/overview', root)).status],
    [10, async () => (await json('GET', '/v1/audit?limit=50', root)).status],
  ];
  const total = ops.reduce((a, [w]) => a + w, 0);
  const op = () => {
    let r = Math.random() * total;
    for (const [w, f] of ops) if ((r -= w) < 0) return f;
    return ops[0]![1];
  };

  const samples: Sample[] = [];
  const t0 = Date.now();
  const end = t0 + MINUTES * 60_000;
  let running = true;
  const workers = Array.from({ length: WORKERS }, async () => {
    while (running) await timed(op());
  });
  process.stderr.write(`soaking ${base} for ${MINUTES} min with ${WORKERS} workers\n`);
  let buckets = durationBuckets(await (await fetch(`${base}/metrics`)).text());
  while (Date.now() < end) {
    await sleep(SAMPLE_MS);
    const m = await (await fetch(`${base}/metrics`)).text();
    const nextBuckets = durationBuckets(m);
    const s: Sample = {
      at: Date.now() - t0,
      rssMb: metric(m, 'process_resident_memory_bytes') / 1048576,
      loopP99Ms: metric(m, 'nodejs_eventloop_lag_p99_seconds') * 1000,
      serverP99Ms: serverP99Ms(buckets, nextBuckets),
      requests,
      p99Ms: percentile(latencies, 99),
      errors5xx,
      failures,
    };
    samples.push(s);
    process.stderr.write(`  ${Math.round(s.at / 1000)} s: ${s.requests} requests, p99 ${s.p99Ms.toFixed(1)} ms (server ≤ ${s.serverP99Ms} ms), RSS ${s.rssMb.toFixed(1)} MB, loop p99 ${s.loopP99Ms.toFixed(1)} ms, 5xx ${s.errors5xx}\n`);
    buckets = nextBuckets;
    latencies.length = 0;
    requests = 0;
    errors5xx = 0;
    failures = 0;
  }
  running = false;
  await Promise.all(workers);
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });

  // The first minute is warm-up (JIT, caches, SQLite's page cache); trends are judged after it.
  const steady = samples.filter((s) => s.at > 60_000);
  const judged = steady.length >= 3 ? steady : samples;
  const xs = judged.map((s) => s.at);
  const rssTrend = relativeTrendPerHour(xs, judged.map((s) => s.rssMb));
  const p99Trend = relativeTrendPerHour(xs, judged.map((s) => s.p99Ms));
  const loopTrend = relativeTrendPerHour(xs, judged.map((s) => s.loopP99Ms));
  const total5xx = samples.reduce((a, s) => a + s.errors5xx + s.failures, 0);
  const flat = Math.abs(rssTrend) < 0.5 && p99Trend < 1 && loopTrend < 1;
  const pct = (x: number) => `${(x * 100).toFixed(0)} %/h`;
  const verdict = `${flat ? 'flat' : 'GROWING'}: RSS ${pct(rssTrend)}, p99 ${pct(p99Trend)}, event-loop p99 ${pct(loopTrend)} after the first minute; ${total5xx} 5xx or failed requests`;
  const rows = samples.map((s) => `| ${Math.round(s.at / 1000)} | ${Math.round(s.requests / (SAMPLE_MS / 1000))} | ${s.p99Ms.toFixed(1)} | ${s.serverP99Ms} | ${s.rssMb.toFixed(1)} | ${s.loopP99Ms.toFixed(1)} | ${s.errors5xx + s.failures} |`);
  const report = [
    '<!-- soak:start (npm run soak -- --write) -->',
    '## Soak',
    '',
    `Written by \`npm run soak -- --write\` (bench/soak.ts): ${MINUTES} minutes of mixed load over every surface (verification 40 %, forward-auth 10 %,`,
    'Coolify create/delete and list 14 %, Gcore create/patch/delete 10 %, keyhold\'s own API lists, overview and audit 26 %),',
    `${WORKERS} concurrent clients on loopback, SQLite. ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, node ${process.version}, ${os.cpus().length} cores.`,
    '',
    `**Verdict: ${verdict}.** (Flat means RSS grows less than 50 % per hour, and p99 and event-loop p99 less than 100 % per hour, by linear fit.)`,
    '',
    "p99 is what the load's clients saw (queueing in both processes included); the server's p99 is its own handling time, from its",
    'request histogram (the upper bound of the bucket that holds it).',
    '',
    '| s | req/s | p99 ms | server p99 ≤ ms | RSS MB | event-loop p99 ms | 5xx |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '<!-- soak:end -->',
  ].join('\n');
  process.stdout.write(`${report}\n`);
  if (process.argv.includes('--write')) {
    const file = path.join(ROOT, 'BENCHMARKS.md');
    const text = fs.readFileSync(file, 'utf8');
    const re = /<!-- soak:start[\s\S]*?<!-- soak:end -->/;
    fs.writeFileSync(file, re.test(text) ? text.replace(re, report) : `${text.trimEnd()}\n\n${report}\n`);
  }
  if (!flat || total5xx > 0) process.exitCode = 1;
}

await main();
