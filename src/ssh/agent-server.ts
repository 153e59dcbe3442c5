import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {
  type AgentIdentity,
  type AgentRequest,
  encodeFailure,
  encodeIdentitiesAnswer,
  encodeSignResponse,
  encodeSuccess,
  FrameDecoder,
  parseRequest,
  type SessionBind,
} from './agent-protocol.js';
import { checkSessionBind } from './session-bind.js';

/**
 * An ssh-agent on a Unix socket that holds no keys: it lists the identities it is given and hands
 * each sign request, with the connection's session bindings, to a callback (which asks keyhold's
 * signing API). Key-store requests (add, remove, lock…) and unknown messages get SSH_AGENT_FAILURE,
 * as do extensions other than session-bind: draft-miller-ssh-agent §4.7 has an agent that does not
 * support an extension answer SSH_AGENT_FAILURE, and OpenSSH's ssh-agent (process_extension) does,
 * also when a session-bind fails, which is the only answer OpenSSH's client understands there.
 *
 * There is no peer credential check (node has no SO_PEERCRED); the socket is reachable only by
 * the owner of its 0700 directory (and root).
 */

/** OpenSSH's AGENT_MAX_SESSION_IDS: bindings one connection may record. */
export const MAX_BINDINGS = 16;

/** A binding whose host signature verified, with the host key's fingerprint. */
export interface VerifiedBinding extends SessionBind {
  /** `SHA256:…` of `hostKey`. */
  hostKeyFingerprint: string;
}

/** A sign request, with what the connection it came on was bound to. */
export interface AgentSignRequest {
  keyBlob: Buffer;
  data: Buffer;
  /** SSH_AGENT_RSA_SHA2_256 / SSH_AGENT_RSA_SHA2_512 bits; see signatureAlgorithm in signature.ts. */
  flags: number;
  /** The latest binding on the connection: the session being authenticated, when ssh bound one. */
  binding: VerifiedBinding | undefined;
  /** Every binding on the connection, oldest first: forwarding hops, then the authentication. */
  bindings: readonly VerifiedBinding[];
  /** True when any binding on the connection was for forwarding: the request came through a forwarded agent. */
  forwarded: boolean;
}

/** A signature blob, or a refusal with its reason (answered as SSH_AGENT_FAILURE). */
export type AgentSignResult = Buffer | { refused: string };

/** What `startAgentServer` serves: where, which identities, and who signs. */
export interface AgentServerOptions {
  /** Where the socket goes. Its directory is created with mode 0700, or must already be 0700 and this process's. */
  socketPath: string;
  /** The identities to list (SSH_AGENTC_REQUEST_IDENTITIES). */
  identities(): Promise<AgentIdentity[]>;
  /** Signs, or refuses; a thrown error counts as a refusal. */
  sign(req: AgentSignRequest): Promise<AgentSignResult>;
  /** Told of every request answered with a failure, and of connections closed for a broken frame, with why. */
  onRefusal?(reason: string): void;
}

/** A running agent server. */
export interface AgentServer {
  /** The socket's path. */
  path: string;
  /** Stops listening, drops every connection, and removes the socket (and the directory if it made it). */
  close(): Promise<void>;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** Makes `dir` with mode 0700, or checks an existing one is a 0700 directory of this process's user. Answers whether it made it. */
async function prepareDirectory(dir: string): Promise<boolean> {
  try {
    await fs.mkdir(dir, { mode: 0o700 });
    await fs.chmod(dir, 0o700);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = await fs.lstat(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new Error(`${dir} belongs to uid ${st.uid}, not to this process (uid ${uid})`);
  if ((st.mode & 0o077) !== 0) throw new Error(`${dir} has mode ${(st.mode & 0o777).toString(8)}; an agent socket's directory must be 0700`);
  return false;
}

/** Removes a socket left by an agent that is gone; refuses a live one or a path that is not a socket. */
async function clearStaleSocket(socketPath: string): Promise<void> {
  const st = await fs.lstat(socketPath).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (!st) return;
  if (!st.isSocket()) throw new Error(`${socketPath} exists and is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const c = net.connect(socketPath);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
  if (live) throw new Error(`an agent is already listening on ${socketPath}`);
  await fs.unlink(socketPath);
}

/**
 * Records a binding as ssh-agent.c's process_ext_session_bind does: the host signature must verify;
 * once a connection is bound for authentication it takes no more bindings; the same session and host
 * key again is accepted without a new record; the same session with another host key is refused.
 * Answers undefined when accepted, else the reason.
 */
function recordBinding(bindings: VerifiedBinding[], bind: SessionBind): string | undefined {
  const check = checkSessionBind(bind);
  if (!check.ok) return check.reason;
  for (const b of bindings) {
    if (!b.isForwarding) return 'connection already bound for authentication';
    const sidMatch = same(b.sessionId, bind.sessionId);
    if (sidMatch && same(b.hostKey, bind.hostKey)) return undefined;
    if (sidMatch) return 'session identifier already bound to another host key';
  }
  if (bindings.length >= MAX_BINDINGS) return `more than ${MAX_BINDINGS} bindings on one connection`;
  bindings.push({ ...bind, hostKeyFingerprint: check.hostKeyFingerprint });
  return undefined;
}

/** Starts the agent on `socketPath` (mode 0600 in a 0700 directory). */
export async function startAgentServer(opts: AgentServerOptions): Promise<AgentServer> {
  const socketPath = path.resolve(opts.socketPath);
  const dir = path.dirname(socketPath);
  const madeDir = await prepareDirectory(dir);
  await clearStaleSocket(socketPath);

  const refuse = (reason: string) => {
    try {
      opts.onRefusal?.(reason);
    } catch {
      // A failing observer must not take the agent down.
    }
  };

  async function answer(req: AgentRequest, bindings: VerifiedBinding[]): Promise<Buffer> {
    switch (req.kind) {
      case 'request-identities':
        try {
          return encodeIdentitiesAnswer(await opts.identities());
        } catch (e) {
          refuse(`identities: ${errorText(e)}`);
          return encodeFailure();
        }
      case 'sign': {
        let result: AgentSignResult;
        try {
          result = await opts.sign({
            keyBlob: req.keyBlob,
            data: req.data,
            flags: req.flags,
            binding: bindings.at(-1),
            bindings: [...bindings],
            forwarded: bindings.some((b) => b.isForwarding),
          });
        } catch (e) {
          result = { refused: errorText(e) };
        }
        if (Buffer.isBuffer(result)) return encodeSignResponse(result);
        refuse(result.refused);
        return encodeFailure();
      }
      case 'session-bind': {
        const reason = recordBinding(bindings, req.bind);
        if (reason === undefined) return encodeSuccess();
        refuse(`session-bind refused: ${reason}`);
        return encodeFailure();
      }
      case 'extension':
        refuse(`extension ${req.name} is not supported`);
        return encodeFailure();
      case 'store':
        refuse(`${req.name} refused: this agent holds no keys`);
        return encodeFailure();
      case 'unknown':
        refuse(`unknown message ${req.type}`);
        return encodeFailure();
    }
  }

  const connections = new Set<net.Socket>();

  function serve(socket: net.Socket): void {
    connections.add(socket);
    const decoder = new FrameDecoder();
    const bindings: VerifiedBinding[] = [];
    const queue: Buffer[] = [];
    let busy = false;

    const close = (reason: string) => {
      refuse(reason);
      socket.destroy();
    };

    // Requests on one connection are answered in order, one at a time; reading pauses meanwhile.
    const drain = async () => {
      if (busy) return;
      busy = true;
      socket.pause();
      while (queue.length > 0 && !socket.destroyed) {
        const payload = queue.shift()!;
        let reply: Buffer;
        try {
          reply = await answer(parseRequest(payload), bindings);
        } catch (e) {
          refuse(`malformed request: ${errorText(e)}`);
          reply = encodeFailure();
        }
        if (socket.writable) socket.write(reply);
      }
      busy = false;
      if (decoder.error) close(`connection closed: ${decoder.error.message}`);
      else if (!socket.destroyed) socket.resume();
    };

    socket.on('data', (chunk: Buffer) => {
      if (decoder.error) return;
      queue.push(...decoder.push(chunk));
      void drain();
    });
    socket.on('end', () => {
      if (decoder.pending > 0) refuse(`connection closed with ${decoder.pending} bytes of an incomplete message`);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => connections.delete(socket));
  }

  const server = net.createServer({ allowHalfOpen: false }, serve);
  server.on('error', () => {
    // Errors after listening (none expected on a Unix socket) must not crash the process.
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await fs.chmod(socketPath, 0o600);

  return {
    path: socketPath,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of connections) s.destroy();
      await closed;
      await fs.rm(socketPath, { force: true });
      if (madeDir) await fs.rmdir(dir).catch(() => undefined);
    },
  };
}
