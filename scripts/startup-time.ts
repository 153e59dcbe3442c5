// `npm run bench:startup`: time from spawning `keyhold serve` to its first 200 from /healthz, for the
// TypeScript sources run through tsx and for the compiled dist/ (`npm run build` first). Each start
// is on an existing SQLite store (a restart, the usual case), with a fresh port. Prints a table;
// with --write, replaces the start-up section of BENCHMARKS.md.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const RUNS = Number(process.env.STARTUP_RUNS ?? 7);
const START = '<!-- startup:start (npm run bench:startup -- --write) -->';
const END = '<!-- startup:end -->';

const VARIANTS: Array<{ name: string; args: string[] }> = [
  { name: 'tsx (TypeScript sources)', args: ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src', 'cli', 'entry.ts'), 'serve'] },
  { name: 'compiled (bin/keyhold.mjs → dist/)', args: [path.join(ROOT, 'bin', 'keyhold.mjs'), 'serve'] },
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Milliseconds from spawn to the first 200 from /healthz; the server is then stopped. */
async function startOnce(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env: { ...env, KEYHOLD_PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let exited = false;
  const done = new Promise<void>((resolve) => child.on('close', () => ((exited = true), resolve())));
  try {
    for (;;) {
      if (exited) throw new Error(`keyhold serve exited: ${stderr}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.status === 200) return Number(process.hrtime.bigint() - t0) / 1e6;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await done;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'entry.js'))) throw new Error('dist/ is missing: run npm run build first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-startup-'));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEYHOLD_')));
  const env = { ...base, KEYHOLD_DATA_DIR: dir, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64'), KEYHOLD_LOG_LEVEL: 'warn' };
  const rows: string[] = [];
  try {
    await startOnce(VARIANTS[1]!.args, env); // creates and migrates the store: not measured
    for (const v of VARIANTS) {
      await startOnce(v.args, env); // warms the page cache (and tsx's transform cache)
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await startOnce(v.args, env));
      rows.push(`| ${v.name} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)} | ${Math.max(...times).toFixed(0)} |`);
      console.log(`${v.name}: median ${median(times).toFixed(0)} ms over ${RUNS} starts`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const section = [
    START,
    '## Start-up time',
    '',
    `Written by \`npm run bench:startup -- --write\` (scripts/startup-time.ts): from spawning \`keyhold serve\` to its first`,
    `200 from \`/healthz\`, on an existing SQLite store, median of ${RUNS} starts after one warm-up start.`,
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end.`,
    '',
    '| how | median ms | min ms | max ms |',
    '|---|---:|---:|---:|',
    ...rows,
    END,
  ].join('\n');
  console.log(`\n${section}`);
  if (process.argv.includes('--write')) {
    const file = path.join(ROOT, 'BENCHMARKS.md');
    const md = fs.readFileSync(file, 'utf8');
    const s = md.indexOf(START);
    const e = md.indexOf(END);
    fs.writeFileSync(file, s >= 0 && e > s ? md.slice(0, s) + section + md.slice(e + END.length) : `${md.trimEnd()}\n\n${section}\n`);
  }
}

await main();
