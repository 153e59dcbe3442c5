import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type AgentRequest, type AgentResponse, FrameDecoder, encodeRequest, parseResponse } from '../../src/ssh/agent-protocol.js';
import { type AgentServer, type AgentSignRequest, startAgentServer } from '../../src/ssh/agent-server.js';
import { signatureAlgorithm, signSsh } from '../../src/ssh/signature.js';
import type { TestKey } from './ssh-keys.js';

/** A client connection to an agent socket, speaking agent-protocol.ts. */
export interface AgentClient {
  /** Sends a request and reads its answer. */
  request(req: AgentRequest): Promise<AgentResponse>;
  /** Writes bytes as they are. */
  sendRaw(bytes: Buffer): void;
  /** The next answer on the connection. */
  next(): Promise<AgentResponse>;
  /** Resolves when the agent closes the connection. */
  closed: Promise<void>;
  close(): void;
}

/** Connects to the agent socket at `socketPath`. */
export async function connectAgent(socketPath: string): Promise<AgentClient> {
  const socket = net.connect(socketPath);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const decoder = new FrameDecoder();
  const ready: AgentResponse[] = [];
  const waiting: Array<{ resolve: (r: AgentResponse) => void; reject: (e: Error) => void }> = [];
  let ended = false;
  socket.on('data', (chunk: Buffer) => {
    for (const payload of decoder.push(chunk)) {
      const res = parseResponse(payload);
      const w = waiting.shift();
      if (w) w.resolve(res);
      else ready.push(res);
    }
  });
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      ended = true;
      for (const w of waiting.splice(0)) w.reject(new Error('agent closed the connection'));
      resolve();
    }),
  );
  socket.on('error', () => undefined);
  const next = () =>
    new Promise<AgentResponse>((resolve, reject) => {
      const r = ready.shift();
      if (r) resolve(r);
      else if (ended) reject(new Error('agent closed the connection'));
      else waiting.push({ resolve, reject });
    });
  return {
    request(req) {
      socket.write(encodeRequest(req));
      return next();
    },
    sendRaw: (bytes) => socket.write(bytes),
    next,
    closed,
    close: () => socket.destroy(),
  };
}

/** One request and its answer on a fresh connection. */
export async function agentRequest(socketPath: string, req: AgentRequest): Promise<AgentResponse> {
  const c = await connectAgent(socketPath);
  try {
    return await c.request(req);
  } finally {
    c.close();
  }
}

/** keyhold's agent server backed by test keys, recording what it was asked. */
export interface TestAgent {
  server: AgentServer;
  socketPath: string;
  /** Every sign request, in order, with the signature algorithm chosen for it. */
  signed: Array<AgentSignRequest & { algorithm: string }>;
  refusals: string[];
  close(): Promise<void>;
}

/**
 * Starts startAgentServer in `dir`/agent/ listing `keys`, signing with them as keyhold's signing API
 * will (signatureAlgorithm from the flags, then signSsh). `refuse` may veto a request.
 */
export async function startTestAgent(dir: string, keys: TestKey[], refuse?: (req: AgentSignRequest) => string | undefined): Promise<TestAgent> {
  const signed: TestAgent['signed'] = [];
  const refusals: string[] = [];
  const server = await startAgentServer({
    socketPath: path.join(dir, 'agent', 'agent.sock'),
    identities: async () => keys.map((k) => ({ blob: k.blob, comment: k.comment })),
    sign: async (req) => {
      const key = keys.find((k) => k.blob.equals(req.keyBlob));
      if (!key) return { refused: 'no such key' };
      const reason = refuse?.(req);
      if (reason) return { refused: reason };
      const algorithm = signatureAlgorithm(key.signing.type, req.flags);
      signed.push({ ...req, algorithm });
      return signSsh(key.signing, req.data, algorithm);
    },
    onRefusal: (reason) => refusals.push(reason),
  });
  return { server, socketPath: server.path, signed, refusals, close: () => server.close() };
}

/** A real OpenSSH `ssh-agent -D` on a socket in `dir`. */
export interface OpenSshAgent {
  socketPath: string;
  /** `ssh-add <file>` into this agent. */
  add(keyFile: string): void;
  stop(): Promise<void>;
}

export async function startOpenSshAgent(dir: string): Promise<OpenSshAgent> {
  const socketPath = path.join(dir, 'openssh-agent.sock');
  const child: ChildProcess = spawn('ssh-agent', ['-D', '-a', socketPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !fs.existsSync(socketPath); i++) {
    if (child.exitCode !== null || i > 500) throw new Error('ssh-agent did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    socketPath,
    add: (keyFile) => execFileSync('ssh-add', ['-q', keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socketPath }, stdio: 'pipe' }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
