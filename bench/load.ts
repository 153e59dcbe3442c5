/**
 * Loopback load with wrk (Debian: `apt-get install wrk`): 2 threads, 50 connections by default
 * (BENCH_THREADS, BENCH_CONNECTIONS), a Lua script per scenario for its method, headers and bodies,
 * and a JSON summary line parsed back.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const THREADS = Number(process.env.BENCH_THREADS ?? 2);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

export interface Scenario {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** A fixed body, or one line of this file picked at random per request. */
  body?: string;
  bodiesFile?: string;
}

export interface LoadResult {
  /** Requests wrk completed in the measurement. */
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Connection errors, timeouts and answers with a status of 400 or more. */
  errors: number;
}

export function findWrk(): string {
  const found = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error('npm run bench needs wrk: apt-get install wrk');
  return found;
}

const lua = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Drives `base` with `sc` for `seconds`; `dir` holds the script. */
export function load(wrk: string, base: string, sc: Scenario, seconds: number, dir: string): LoadResult {
  const lines = [`wrk.method = ${lua(sc.method)}`, `wrk.path = ${lua(sc.path)}`];
  for (const [k, v] of Object.entries(sc.headers)) lines.push(`wrk.headers[${lua(k)}] = ${lua(v)}`);
  if (sc.body !== undefined) lines.push(`wrk.body = ${lua(sc.body)}`);
  if (sc.bodiesFile) {
    lines.push(
      'local bodies = {}',
      `for line in io.lines(${lua(sc.bodiesFile)}) do bodies[#bodies + 1] = line end`,
      'math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))',
      'request = function() return wrk.format(nil, nil, nil, bodies[math.random(#bodies)]) end',
    );
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format("\\nRESULT {\\"requests\\":%d,\\"us\\":%d,\\"p50\\":%d,\\"p95\\":%d,\\"p99\\":%d,\\"errors\\":%d}\\n",',
    '    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))',
    'end',
  );
  const script = path.join(dir, 'scenario.lua');
  fs.writeFileSync(script, lines.join('\n') + '\n');
  const r = spawnSync(wrk, [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', script, base], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const m = /RESULT (\{.*\})/.exec(r.stdout);
  if (!m) throw new Error(`wrk failed: ${r.stdout}${r.stderr}`);
  const j = JSON.parse(m[1]!) as { requests: number; us: number; p50: number; p95: number; p99: number; errors: number };
  return { requests: j.requests, rps: j.requests / (j.us / 1e6), p50: j.p50 / 1000, p95: j.p95 / 1000, p99: j.p99 / 1000, errors: j.errors };
}
