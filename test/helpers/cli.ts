import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
/**
 * `keyhold` as users run it: the compiled CLI (`npm test` builds it first, in `pretest`). It starts in
 * about a third of the time the sources take through tsx, and the suite starts it hundreds of times.
 */
export const CLI_ARGS = [path.join(ROOT, 'bin', 'keyhold.mjs')];

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `keyhold …` as a user would, with only the given KEYHOLD_* settings. */
export function keyhold(args: string[], env: Record<string, string>, cwd = ROOT): CliResult {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEYHOLD_')));
  const r = spawnSync(process.execPath, [...CLI_ARGS, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Same, without waiting: for concurrent runs. */
export function keyholdAsync(args: string[], env: Record<string, string>, cwd = ROOT): Promise<CliResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEYHOLD_')));
  const child = spawn(process.execPath, [...CLI_ARGS, ...args], { cwd, env: { ...base, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `keyhold serve` on a free port and waits for its "listening on" line (on stderr; stdout is the JSON log). */
export async function serve(env: Record<string, string>, cwd = ROOT, as?: { uid: number; gid: number }): Promise<ServeProcess> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEYHOLD_')));
  const child = spawn(process.execPath, [...CLI_ARGS, 'serve'], { cwd, env: { ...base, KEYHOLD_PORT: '0', KEYHOLD_LOG_LEVEL: 'warn', ...env }, ...as });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`keyhold serve exited with ${code}: ${err}`)));
  });
  return { child, url, stdout: () => out, stderr: () => err, exited };
}
