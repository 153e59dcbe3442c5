/**
 * keyhold's gateway benchmark: `npm run bench`. Every keyhold figure stands beside plain node:http
 * doing the same work (bench/baseline.mjs), measured in the same run with the same wrk scripts.
 *
 * Seeds a SQLite store in bulk (1k, then 100k, then 1M keys: BENCH_SIZES), and at each size drives:
 * - verify with a random key, every lookup in SQLite (cache off), and with the default cache (then
 *   reads the cache's entries and the server's RSS);
 * - at the first size, against bare node:http too: GET /healthz (no verification), verify and
 *   forward-auth on a cache hit, verify of a key with a rate limit;
 * - at 100k, the random-key verify against bare node:http looking keys up in the same SQLite file
 *   (and, for reference, in a Map).
 * Writes the section between the bench markers of BENCHMARKS.md (the rest of the file is kept).
 * BENCH_DURATION (seconds per measurement, default 8), BENCH_THREADS, BENCH_CONNECTIONS (2, 50).
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../src/crypto/secret.js';
import { findWrk, load, type LoadResult, type Scenario } from './load.js';
import { type Measurement, writeReport } from './report.js';
import { type BenchStore, createStore, growStore } from './seed.js';
import { metric, type Server, startBaseline, startKeyhold } from './servers.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SECONDS = Number(process.env.BENCH_DURATION ?? 8);
const SIZES = (process.env.BENCH_SIZES ?? '1000,100000,1000000').split(',').map(Number);
const SAMPLE = 200_000; // random-key bodies per size (wrk picks one per request)
const PAIRED_RANDOM_SIZE = 100_000;
const RANDOM_SQLITE = 'verify, random key (SQLite lookups)';
const RANDOM_MAP = 'verify, random key (Map lookups)';
const RANDOM_CACHED = 'verify, random key (default cache)';

const wrk = findWrk();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-bench-'));
const measurements: Measurement[] = [];
const memory: Array<{ keys: number; entries: number; rssMb: number; peakMb: number }> = [];

/** Fails the bench when a scenario is not answered as expected (a benchmark of 401s measures nothing). */
async function expectAnswer(server: Server, sc: Scenario): Promise<void> {
  const body = sc.body ?? (sc.bodiesFile ? fs.readFileSync(sc.bodiesFile, 'utf8').split('\n', 1)[0] : undefined);
  const r = await fetch(server.url + sc.path, { method: sc.method, headers: sc.headers, body: sc.method === 'POST' ? body : undefined });
  const text = await r.text();
  const ok = r.status === 204 || (r.status === 200 && (!sc.path.startsWith('/v1/keys/verify') || JSON.parse(text).code === 'VALID'));
  if (!ok) throw new Error(`${sc.method} ${sc.path} answered ${r.status} ${text}`);
}

async function measure(scenario: string, keys: number, who: 'keyhold' | 'bare', server: Server, sc: Scenario): Promise<LoadResult> {
  await expectAnswer(server, sc);
  load(wrk, server.url, sc, 1, dir); // warm-up
  // The server's own CPU over the measurement: wrk shares the cores, so throughput moves between runs; this moves far less.
  const cpuBefore = server.cpuSeconds();
  const r = load(wrk, server.url, sc, SECONDS, dir);
  const cpuUs = ((server.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, r.requests);
  measurements.push({ scenario, keys, who, cpuUs, ...r });
  console.error(
    `  ${who.padEnd(7)} ${scenario.padEnd(44)} ${r.rps.toFixed(0).padStart(6)} req/s  ${cpuUs.toFixed(1).padStart(6)} µs CPU/req  p50 ${r.p50.toFixed(2)}  p99 ${r.p99.toFixed(2)} ms  errors ${r.errors}`,
  );
  return r;
}

function randomBodies(secrets: string[], size: number, file: string): string {
  const n = Math.min(size, SAMPLE);
  const lines = Array.from({ length: n }, (_, i) => (size <= SAMPLE ? secrets[i]! : secrets[randomInt(size)]!));
  fs.writeFileSync(file, lines.map((key) => JSON.stringify({ key, container: { name: 'web' } })).join('\n') + '\n');
  return file;
}

function baselineKeys(store: BenchStore, secrets: string[], size: number): string {
  const file = path.join(dir, `baseline-${size}.txt`);
  const lines = secrets.slice(0, size).map((s, i) => `${sha256Hex(s)} key-${i}`);
  lines.push(`${sha256Hex(store.hot)} hot`, `${sha256Hex(store.limited)} limited 1000000000`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function atSize(store: BenchStore, secrets: string[], size: number, first: boolean, last: boolean): Promise<void> {
  console.error(`\n== ${size.toLocaleString('en')} keys`);
  growStore(store, size, secrets);
  const json = { 'content-type': 'application/json', authorization: `Bearer ${store.token}` };
  const random: Scenario = { method: 'POST', path: '/v1/keys/verify', headers: json, bodiesFile: randomBodies(secrets, size, path.join(dir, `bodies-${size}.txt`)) };
  const pairedRandom = size === PAIRED_RANDOM_SIZE;
  const needBare = first || pairedRandom;
  const bare = needBare ? await startBaseline({ file: baselineKeys(store, secrets, size) }, store.tokenDigest) : undefined;
  try {
    const uncached = await startKeyhold({ ...store.env, KEYHOLD_VERIFY_CACHE_SIZE: '0' });
    try {
      await measure(RANDOM_SQLITE, size, 'keyhold', uncached, random);
    } finally {
      await uncached.stop();
    }
    if (pairedRandom) {
      // Bare node:http looking the key up in the same SQLite file, and in a Map (the first yardstick).
      const bareSqlite = await startBaseline({ db: store.env.KEYHOLD_DATABASE_URL! }, store.tokenDigest);
      try {
        await measure(RANDOM_SQLITE, size, 'bare', bareSqlite, random);
      } finally {
        await bareSqlite.stop();
      }
      await measure(RANDOM_MAP, size, 'bare', bare!, random);
    }
    const server = await startKeyhold(store.env);
    try {
      if (first) {
        const hit = JSON.stringify({ key: store.hot, container: { name: 'web' } });
        const paired: Array<[string, Scenario]> = [
          ['no verification: GET /healthz', { method: 'GET', path: '/healthz', headers: {} }],
          ['verify, cache hit', { method: 'POST', path: '/v1/keys/verify', headers: json, body: hit }],
          ['forward-auth, cache hit', { method: 'GET', path: '/v1/forward-auth?container=web', headers: { 'x-api-key': store.hot } }],
          ['verify with a rate limit set', { method: 'POST', path: '/v1/keys/verify', headers: json, body: JSON.stringify({ key: store.limited, container: { name: 'web' } }) }],
        ];
        for (const [name, sc] of paired) {
          await measure(name, size, 'bare', bare!, sc);
          await measure(name, size, 'keyhold', server, sc);
        }
      }
      await measure(RANDOM_CACHED, size, 'keyhold', server, random);
      // At the largest size, keep going until the cache is as full as the sample lets it get.
      if (last) load(wrk, server.url, random, 3 * SECONDS, dir);
      memory.push({ keys: size, entries: await metric(server.url, 'keyhold_verify_cache_entries'), ...server.memory() });
    } finally {
      await server.stop();
    }
  } finally {
    await bare?.stop();
  }
}

console.error(`load: ${wrk}; ${SECONDS} s per measurement; store in ${dir}`);
try {
  const store = await createStore(dir);
  const secrets: string[] = [];
  for (const [i, size] of SIZES.entries()) await atSize(store, secrets, size, i === 0, i === SIZES.length - 1);
  const file = path.join(ROOT, 'BENCHMARKS.md');
  writeReport(file, { measurements, memory, seconds: SECONDS, sizes: SIZES, pairedRandomSize: PAIRED_RANDOM_SIZE });
  console.error(`\nwrote ${path.relative(process.cwd(), file)}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
