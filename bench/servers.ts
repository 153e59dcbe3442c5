/** The processes a benchmark drives: `keyhold serve` (compiled) and the bare node:http baseline. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
/** Linux's USER_HZ, the unit of /proc's CPU times (100 on every mainstream kernel; `getconf CLK_TCK`). */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export interface Server {
  url: string;
  child: ChildProcess;
  /** Resident set size now and at its peak, in MB (Linux /proc). */
  memory(): { rssMb: number; peakMb: number };
  /** CPU time the process has used, user plus system, all its threads (Linux /proc), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

function start(args: string[], env: Record<string, string>, pattern: RegExp, what: string): Promise<Server> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) resolve(server(m[1]!, child));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before listening:\n${out}`)));
  });
}

function server(url: string, child: ChildProcess): Server {
  const exited = new Promise((r) => child.once('exit', r));
  return {
    url,
    child,
    memory() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
    },
    cpuSeconds() {
      // /proc/<pid>/stat: after the command name in parentheses, field 14 is utime and 15 stime, in clock ticks.
      const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** keyhold on the compiled package (`npm run build` first: `npm run bench` does it), with `nodeArgs` for node (e.g. `--cpu-prof`). */
export function startKeyhold(env: Record<string, string>, nodeArgs: string[] = []): Promise<Server> {
  return start([...nodeArgs, path.join(ROOT, 'bin/keyhold.mjs'), 'serve'], { ...env, KEYHOLD_PORT: '0', KEYHOLD_LOG_LEVEL: 'warn' }, /listening on (http:\/\/\S+)/, 'keyhold serve');
}

/** bench/baseline.mjs with the keys in `keys.file` ("<digest> <name> [<limit>]" per line) or in keyhold's SQLite file `keys.db`. */
export function startBaseline(keys: { file: string } | { db: string }, tokenDigest: string, nodeArgs: string[] = []): Promise<Server> {
  const env: Record<string, string> = 'file' in keys ? { BASELINE_KEYS: keys.file } : { BASELINE_DB: keys.db };
  return start([...nodeArgs, path.join(ROOT, 'bench/baseline.mjs')], { ...env, BASELINE_TOKEN_DIGEST: tokenDigest }, /baseline on (http:\/\/\S+)/, 'the baseline');
}

/** One gauge or counter's value from keyhold's /metrics. */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}
