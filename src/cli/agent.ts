import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../domain/errors.js';
import type { AgentIdentity } from '../ssh/agent-protocol.js';
import { type AgentSignRequest, type AgentSignResult, startAgentServer } from '../ssh/agent-server.js';
import { type Remote, RemoteError, remoteFrom } from './remote.js';

/**
 * `keyhold agent`: an ssh-agent whose keys stay in keyhold. It lists the keys its token may sign with
 * (GET /v1/private-keys) and hands every sign request, with the session bindings OpenSSH sent, to
 * keyhold's signing API, which checks the key's policy, signs and audits. No private key is ever on
 * this machine, in memory or on disk; adding, removing and locking keys are refused.
 */

/** What GET /v1/private-keys answers, as far as the agent needs it. */
interface ListedKey {
  uuid: string;
  name: string;
  public_key: string;
}

/** The key types OpenSSH (and keyhold's signing API) sign with. */
const AGENT_TYPES = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) /;

/** The identities a token may sign with, and which key each public blob is. */
export class RemoteIdentities {
  private byBlob = new Map<string, ListedKey>();

  constructor(private readonly remote: Remote) {}

  async list(): Promise<AgentIdentity[]> {
    const keys = (await this.remote.call<ListedKey[]>('GET', '/v1/private-keys')).filter((k) => AGENT_TYPES.test(k.public_key));
    this.byBlob = new Map(keys.map((k) => [k.public_key.split(' ')[1]!, k]));
    return keys.map((k) => ({ blob: Buffer.from(k.public_key.split(' ')[1]!, 'base64'), comment: k.name }));
  }

  /** The key behind a public blob (listing again when it is not one seen yet). */
  async find(blob: Buffer): Promise<ListedKey | undefined> {
    const b64 = blob.toString('base64');
    if (!this.byBlob.has(b64)) await this.list();
    return this.byBlob.get(b64);
  }
}

/** Asks keyhold to sign one agent request; a refusal comes back with the server's words. */
export async function signRemotely(remote: Remote, identities: RemoteIdentities, req: AgentSignRequest): Promise<AgentSignResult> {
  const key = await identities.find(req.keyBlob);
  if (!key) return { refused: 'the key asked for is not one this token may sign with' };
  try {
    const signed = await remote.call<{ signature: string }>('POST', `/v1/private-keys/${key.uuid}/sign`, {
      data: req.data.toString('base64'),
      flags: req.flags,
      session_binds: req.bindings.map((b) => ({
        host_key: b.hostKey.toString('base64'),
        session_id: b.sessionId.toString('base64'),
        signature: b.signature.toString('base64'),
        forwarding: b.isForwarding,
      })),
    });
    return Buffer.from(signed.signature, 'base64');
  } catch (err) {
    if (err instanceof RemoteError) return { refused: `${key.name}: ${err.message}` };
    throw err;
  }
}

/** A socket path in a new private directory (the agent server creates it 0700). */
export function defaultSocket(): string {
  return path.join(os.tmpdir(), `keyhold-agent-${randomBytes(6).toString('hex')}`, 'agent.sock');
}

/** Runs `command` with SSH_AUTH_SOCK set; answers its exit status (128 + signal number when killed). */
export function runWithAgent(command: string[], socket: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...process.env, SSH_AUTH_SOCK: socket } });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, forward);
    child.on('error', (err) => {
      process.stderr.write(`keyhold agent: cannot run ${command[0]}: ${err.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, forward);
      resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
    });
  });
}

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description("an ssh-agent whose signatures keyhold makes: keys never leave keyhold (KEYHOLD_URL, KEYHOLD_TOKEN with the sign ability)")
    .argument('[command...]', 'run this one command with SSH_AUTH_SOCK set, then exit with its status (after --)')
    .option('--url <url>', "keyhold's address (default: KEYHOLD_URL)")
    .option('--token <token>', 'a token with the sign ability (default: KEYHOLD_TOKEN)')
    .option('--socket <path>', 'where to put the socket (its directory is created 0700; default: a new one in the temporary directory)')
    .action(async (command: string[], opts: { url?: string; token?: string; socket?: string }) => {
      const remote = remoteFrom(opts);
      // Fail now, not at the first ssh, when the URL or token is wrong or cannot sign.
      const me = await remote.call<{ token: { abilities: string[] } }>('GET', '/v1/me');
      if (!me.token.abilities.some((a) => a === 'sign' || a === 'root')) {
        throw new AppError('bad_request', 'this token lacks the sign ability: keyhold would sign nothing through this agent (keyhold tokens create --abilities sign …)');
      }
      const identities = new RemoteIdentities(remote);
      await identities.list();
      const server = await startAgentServer({
        socketPath: opts.socket ?? defaultSocket(),
        identities: () => identities.list(),
        sign: (req) => signRemotely(remote, identities, req),
        onRefusal: (reason) => process.stderr.write(`keyhold agent: refused: ${reason}\n`),
      });
      if (command.length > 0) {
        const status = await runWithAgent(command, server.path);
        await server.close();
        process.exitCode = status;
        return;
      }
      process.stdout.write(`SSH_AUTH_SOCK=${server.path}\n`);
      process.stderr.write(`keyhold agent: serving ${remote.url}'s keys on ${server.path}; Ctrl-C stops\n`);
      await new Promise<void>((resolve) => {
        for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => resolve());
      });
      await server.close();
    });
}
