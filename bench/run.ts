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
  const rt = await createRuntime(loadConfig({ ...process.env, ...env }), { serving: false });
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
    child.stderr.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (c) => reject(new Error(`server exited with ${c}`)));
  });
  return { child, url };
}

/** One load scenario, drivable by wrk or autocannon. */
interface Scenario {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** A fixed body, or one of these picked at random per request. */
  body?: string;
  bodies?: string[];
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const WRK = process.env.BENCH_LOAD === 'autocannon' ? '' : spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim();
const luaString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** wrk with one thread (the other core is the server's), a Lua script for bodies and a JSON summary. */
function runWrk(base: string, sc: Scenario, seconds: number, dir: string): LoadResult {
  const lines: string[] = [`wrk.method = ${luaString(sc.method)}`, `wrk.path = ${luaString(sc.path)}`];
  for (const [k, v] of Object.entries(sc.headers)) lines.push(`wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  if (sc.body !== undefined) lines.push(`wrk.body = ${luaString(sc.body)}`);
  if (sc.bodies) {
    const file = path.join(dir, 'bodies.txt');
    fs.writeFileSync(file, sc.bodies.join('\n') + '\n');
    lines.push(
      'local bodies = {}',
      `for line in io.lines(${luaString(file)}) do bodies[#bodies + 1] = line end`,
      'math.randomseed(os.time())',
      'request = function() return wrk.format(nil, nil, nil, bodies[math.random(#bodies)]) end',
    );
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format("\\nRESULT {\\"requests\\":%d,\\"us\\":%d,\\"p50\\":%d,\\"p99\\":%d,\\"errors\\":%d}\\n",',
    '    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))',
    'end',
  );
  const script = path.join(dir, 'scenario.lua');
  fs.writeFileSync(script, lines.join('\n') + '\n');
  const r = spawnSync(WRK, ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', script, base], { encoding: 'utf8' });
  const m = /RESULT (\{.*\})/.exec(r.stdout);
  if (!m) throw new Error(`wrk failed: ${r.stdout}${r.stderr}`);
  const j = JSON.parse(m[1]!) as { requests: number; us: number; p50: number; p99: number; errors: number };
  return { rps: j.requests / (j.us / 1e6), p50: j.p50 / 1000, p99: j.p99 / 1000, errors: j.errors };
}

function runAutocannon(base: string, sc: Scenario, seconds: number): Promise<LoadResult> {
  const bodies = sc.bodies;
  const opts: autocannon.Options = bodies
    ? { url: base + sc.path, requests: [{ method: sc.method as 'POST', headers: sc.headers, setupRequest: (req) => ({ ...req, body: bodies[Math.floor(Math.random() * bodies.length)] }) }] }
    : { url: base + sc.path, method: sc.method as 'GET', headers: sc.headers, body: sc.body };
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: seconds, ...opts }, (err, res) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve({ rps: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, errors: res.errors + res.non2xx }),
    );
  });
}

const drive = (base: string, sc: Scenario, seconds: number, dir: string) => (WRK ? Promise.resolve(runWrk(base, sc, seconds, dir)) : runAutocannon(base, sc, seconds));

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
  // Bodies for the miss scenario: many keys, far more than the cache holds.
  const sample = Array.from({ length: Math.min(secrets.length, 20_000) }, () => secrets[Math.floor(Math.random() * secrets.length)]!);
  const hitBody = JSON.stringify({ key: hot, container: { name: 'web' } });
  const scenarios: Scenario[] = [
    { name: 'ceiling: GET /api/health', method: 'GET', path: '/api/health', headers: {} },
    // The same bytes as a verify request (headers and body) to a trivial route: what the request's size alone costs.
    { name: 'trivial, verify-sized request', method: 'GET', path: '/healthz', headers: json, body: hitBody },
    { name: 'verify, cache hit', method: 'POST', path: '/v1/keys/verify', headers: json, body: hitBody },
    { name: 'verify, cache miss', method: 'POST', path: '/v1/keys/verify', headers: json, bodies: sample.map((key) => JSON.stringify({ key, container: { name: 'web' } })) },
    { name: 'forward-auth (hit)', method: 'GET', path: '/v1/forward-auth?container=web', headers: { 'x-api-key': hot } },
    {
      name: 'CaaS PATCH',
      method: 'PATCH',
      path: '/cloud/v1/caas/keys/1/1/key-1',
      headers: json,
      bodies: Array.from({ length: 1000 }, () => JSON.stringify({ description: randomBytes(6).toString('hex') })),
    },
  ];
  const rows: Row[] = [];
  try {
    for (const sc of scenarios) {
      await drive(server.url, sc, 1, dir); // warm-up
      const r = await drive(server.url, sc, DURATION, dir);
      rows.push({ keys: count, scenario: sc.name, rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors });
      console.error(`  ${sc.name.padEnd(26)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  errors ${r.errors}`);
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
    `- node ${process.version}; database: SQLite (WAL); load: ${WRK ? 'wrk (1 thread)' : 'autocannon'}, ${CONNECTIONS} connections, ${DURATION} s per scenario after a 1 s warm-up`,
    `- verification cache: ${CACHE} entries, so "cache miss" requests (a random key out of all of them) nearly always go to the database`,
    '',
    '| keys | scenario | req/s | ratio to ceiling | p50 ms | p99 ms | errors |',
    '|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const size of new Set(rows.map((r) => r.keys))) {
    const group = rows.filter((r) => r.keys === size);
    const ceiling = group[0]!.rps;
    for (const r of group) lines.push(`| ${r.keys} | ${r.scenario} | ${r.rps.toFixed(0)} | ${(r.rps / ceiling).toFixed(2)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`);
  }
  lines.push(
    '',
    'Targets (issue 4): cache-hit verify ≥ 0.9 of the ceiling, misses ≥ 0.7, p99 under 5 ms, verification latency flat from 1k to 100k keys.',
    '',
    '## How to read this',
    '',
    '- "trivial, verify-sized request" sends exactly the headers and body of a verify request to `GET /healthz`:',
    "  what a request of that size costs the server before keyhold does any work for it.",
    '- Profiling the server under this load (`node --cpu-prof`, 2026-11-28) shows one `writev` system call per',
    '  response costing about 25 µs on this VM: about three quarters of the server\'s busy time on the ceiling',
    '  route and 40 % on a cache-hit verify. The ceiling is mostly the kernel\'s price of one loopback send.',
    '- A cache-hit verify spends about 20 µs more in JavaScript than a trivial route. Answering at successive',
    '  stages of the handler (right after routing with the body read, after token authentication, after body',
    '  decoding, after the whole verification) splits it into a few µs each: reading the POST body, the token',
    "  (its SHA-256 and the token cache), the API key's checksum and SHA-256 and the cache lookup, and the JSON",
    '  answer. None dominates, which is why the ratio to a bodyless GET stays near 0.4 on two shared cores.',
    '- A cache miss adds one indexed SQLite lookup (statement prepared once, query compiled once).',
    '- `last_used_at` is written every KEYHOLD_USAGE_FLUSH_MS in slices of 100 keys in id order, yielding between',
    '  slices, each key at most once a minute; SQLite WAL checkpoints run on a worker thread. Before those two',
    '  changes, the flush after a 100k-key miss storm pushed p99 to 15-57 ms.',
    '- Plain `node:http` on the same VM (bench/node-baseline.mjs, no framework, the minimum a verification does)',
    '  answers a verify-shaped POST at about 0.58 of its own bodyless GET (52k vs 90k req/s, 2026-11-28): a 0.9',
    '  ratio against a bodyless GET is out of reach for any Node server here; Fastify and keyhold\'s hooks roughly',
    '  halve both figures.',
    '- Runs vary by ±20 % on this VM (the ceiling most of all); compare ratios within one run.',
    '',
  );
  return lines.join('\n');
}

console.error(WRK ? `load: ${WRK}` : 'load: autocannon (install wrk for a lighter load generator; BENCH_LOAD=autocannon forces autocannon)');
const all: Row[] = [];
for (const size of SIZES) all.push(...(await benchSize(size)));
const md = report(all);
fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), md);
console.log(md);
