/**
 * keyhold load benchmark: `npm run bench` (set BENCH_DURATION=seconds, BENCH_SIZES=1000,100000).
 * Starts `keyhold serve` on a fresh SQLite file, seeds keys, and drives loopback load with wrk if it
 * is installed, otherwise autocannon, against a trivial route (the ceiling), verify on cache hits and
 * misses, forward-auth, and the CaaS PATCH. Prints a table and writes BENCHMARKS.md.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { apiKeyStart, newApiKeySecret, sha256Hex } from '../src/crypto/secret.js';
import { createRuntime } from '../src/runtime.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SIZES = (process.env.BENCH_SIZES ?? '1000,100000').split(',').map(Number);
const CACHE = 100; // small on purpose: the "miss" scenario spreads over far more keys than this

interface Row {
  keys: number;
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function seed(env: Record<string, string>, count: number) {
  const rt = await createRuntime(loadConfig({ ...process.env, ...env }), { listen: false });
  try {
    await rt.services.teams.create('bench');
    const token = (await rt.services.tokens.create({ team: 'bench', abilities: ['root'] })).token;
    await rt.services.projects.createProject({ team: 'bench', id: 1 });
    const secrets: string[] = [];
    const now = Date.now();
    for (let start = 0; start < count; start += 1000) {
      await rt.store.transaction(async (repos) => {
        for (let i = start; i < Math.min(count, start + 1000); i++) {
          const secret = newApiKeySecret();
          secrets.push(secret);
          await repos.caasKeys.insert({
            projectId: 1,
            regionId: 1,
            name: `key-${i}`,
            description: '',
            containers: [{ name: 'web', namespace: 'default' }],
            expire: null,
            isDisabled: false,
            source: 'cloud',
            secretHash: sha256Hex(secret),
            secretStart: apiKeyStart(secret),
            createdAt: now,
          });
        }
      });
      process.stderr.write(`\r  seeded ${Math.min(count, start + 1000)}/${count} keys`);
    }
    process.stderr.write('\n');
    return { token, secrets };
  } finally {
    await rt.close();
  }
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/keyhold.mjs'), 'serve'], { env: { ...process.env, ...env, KEYHOLD_PORT: '0', KEYHOLD_LOG_LEVEL: 'warn' } });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (c) => reject(new Error(`server exited with ${c}`)));
  });
  return { child, url };
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

async function benchSize(count: number): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-bench-'));
  const env = {
    KEYHOLD_DATABASE_URL: path.join(dir, 'bench.db'),
    KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64'),
    KEYHOLD_VERIFY_CACHE_SIZE: String(CACHE),
  };
  console.error(`\n== ${count} keys`);
  const { token, secrets } = await seed(env, count);
  const server = await startServer(env);
  const json = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const hot = secrets[0]!;
  const pick = () => secrets[Math.floor(Math.random() * secrets.length)]!;
  const scenarios: Array<[string, autocannon.Options]> = [
    ['ceiling: GET /api/health', { url: `${server.url}/api/health` }],
    ['verify, cache hit', { url: `${server.url}/v1/keys/verify`, method: 'POST', headers: json, body: JSON.stringify({ key: hot, container: { name: 'web' } }) }],
    [
      'verify, cache miss',
      {
        url: `${server.url}/v1/keys/verify`,
        requests: [{ method: 'POST', headers: json, setupRequest: (req) => ({ ...req, body: JSON.stringify({ key: pick(), container: { name: 'web' } }) }) }],
      },
    ],
    ['forward-auth (hit)', { url: `${server.url}/v1/forward-auth?container=web`, headers: { 'x-api-key': hot } }],
    [
      'CaaS PATCH',
      {
        url: `${server.url}/cloud/v1/caas/keys/1/1/key-1`,
        requests: [{ method: 'PATCH', headers: json, setupRequest: (req) => ({ ...req, body: JSON.stringify({ description: randomBytes(6).toString('hex') }) }) }],
      },
    ],
  ];
  const rows: Row[] = [];
  try {
    for (const [name, opts] of scenarios) {
      await run({ ...opts, duration: 1 }); // warm-up
      const r = await run(opts);
      const errors = r.errors + r.non2xx;
      rows.push({ keys: count, scenario: name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors });
      console.error(`  ${name.padEnd(26)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  errors ${errors}`);
    }
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function report(rows: Row[]): string {
  const cpu = os.cpus();
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts). Numbers are from one run on the machine below; compare',
    'runs on the same machine only. Load is generated on the same host over loopback, so the load',
    'generator and the server share the CPU.',
    '',
    `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
    `- node ${process.version}; database: SQLite (WAL); load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per scenario after a 1 s warm-up`,
    `- verification cache: ${CACHE} entries, so "cache miss" requests (a random key out of all of them) nearly always go to the database`,
    '',
    '| keys | scenario | req/s | ratio to ceiling | p50 ms | p99 ms | errors |',
    '|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const size of new Set(rows.map((r) => r.keys))) {
    const group = rows.filter((r) => r.keys === size);
    const ceiling = group[0]!.rps;
    for (const r of group) lines.push(`| ${r.keys} | ${r.scenario} | ${r.rps.toFixed(0)} | ${(r.rps / ceiling).toFixed(2)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
  }
  lines.push('', 'Targets (issue 4): cache-hit verify ≥ 0.9 of the ceiling, misses ≥ 0.7, p99 under 5 ms, verification latency flat from 1k to 100k keys.', '');
  return lines.join('\n');
}

const wrk = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim();
if (wrk) console.error(`(wrk found at ${wrk}; this script drives autocannon, whose per-request bodies the miss scenario needs)`);
const all: Row[] = [];
for (const size of SIZES) all.push(...(await benchSize(size)));
const md = report(all);
fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), md);
console.log(md);
