import { spawn } from 'node:child_process';

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an OpenSSH tool (ssh, ssh-add, ssh-keygen, git) without blocking the event loop, which may be
 * serving the agent it talks to. SSH_AUTH_SOCK is never inherited: pass it in `env` to set it.
 * Standard input is `input` when given, else /dev/null.
 */
export function runTool(cmd: string, args: string[], opts: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Promise<ToolResult> {
  const { SSH_AUTH_SOCK: _ignored, ...base } = process.env;
  const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...base, ...opts.env }, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  if (child.stdin) {
    // A tool may exit before reading all of it.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input);
  }
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
