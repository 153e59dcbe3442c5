import { SshReader, SshWriter, WireError } from './wire.js';

/**
 * The ssh-agent messages keyhold speaks (draft-miller-ssh-agent §3–§4, message numbers from
 * OpenSSH's authfd.h; session-bind from OpenSSH's PROTOCOL.agent §1). Both directions are here, so
 * the same code that serves OpenSSH clients can also talk to a real `ssh-agent` in tests.
 *
 * A message on the socket is a frame: `uint32 length, byte[length] payload`, and a payload starts
 * with its message number. `parse*` functions take a payload (what `FrameDecoder` yields);
 * `encode*` functions answer a whole frame, ready to write.
 */

/** The largest payload accepted, as OpenSSH's AGENT_MAX_LEN (256 KiB). */
export const AGENT_MAX_MESSAGE = 256 * 1024;

// Message numbers, as OpenSSH's authfd.h and draft-miller-ssh-agent §5.1 number them.
/** Answer: the request failed or is not supported. */
export const SSH_AGENT_FAILURE = 5;
export const SSH_AGENT_SUCCESS = 6;
export const SSH_AGENTC_REQUEST_IDENTITIES = 11;
export const SSH_AGENT_IDENTITIES_ANSWER = 12;
export const SSH_AGENTC_SIGN_REQUEST = 13;
export const SSH_AGENT_SIGN_RESPONSE = 14;
export const SSH_AGENTC_ADD_IDENTITY = 17;
export const SSH_AGENTC_REMOVE_IDENTITY = 18;
export const SSH_AGENTC_REMOVE_ALL_IDENTITIES = 19;
export const SSH_AGENTC_ADD_SMARTCARD_KEY = 20;
export const SSH_AGENTC_REMOVE_SMARTCARD_KEY = 21;
export const SSH_AGENTC_LOCK = 22;
export const SSH_AGENTC_UNLOCK = 23;
export const SSH_AGENTC_ADD_ID_CONSTRAINED = 25;
export const SSH_AGENTC_ADD_SMARTCARD_KEY_CONSTRAINED = 26;
export const SSH_AGENTC_EXTENSION = 27;
export const SSH_AGENT_EXTENSION_FAILURE = 28;

/** The extension by which ssh binds an agent connection to an SSH session (PROTOCOL.agent §1). */
export const SESSION_BIND = 'session-bind@openssh.com';

/**
 * Requests that change or lock the agent's key store, which keyhold's agent never does (its keys
 * live on the server). OpenSSH's protocol-1 numbers (1, 3, 7, 8, 9, 24) are listed so that old
 * clients' key-store requests are named too.
 */
const STORE_REQUESTS: Record<number, string> = {
  1: 'request-rsa1-identities',
  3: 'rsa1-challenge',
  7: 'add-rsa1-identity',
  8: 'remove-rsa1-identity',
  9: 'remove-all-rsa1-identities',
  24: 'add-rsa1-identity-constrained',
  [SSH_AGENTC_ADD_IDENTITY]: 'add-identity',
  [SSH_AGENTC_REMOVE_IDENTITY]: 'remove-identity',
  [SSH_AGENTC_REMOVE_ALL_IDENTITIES]: 'remove-all-identities',
  [SSH_AGENTC_ADD_SMARTCARD_KEY]: 'add-smartcard-key',
  [SSH_AGENTC_REMOVE_SMARTCARD_KEY]: 'remove-smartcard-key',
  [SSH_AGENTC_LOCK]: 'lock',
  [SSH_AGENTC_UNLOCK]: 'unlock',
  [SSH_AGENTC_ADD_ID_CONSTRAINED]: 'add-identity-constrained',
  [SSH_AGENTC_ADD_SMARTCARD_KEY_CONSTRAINED]: 'add-smartcard-key-constrained',
};

/** A parsed `session-bind@openssh.com` extension request. Nothing in it is checked yet: see session-bind.ts. */
export interface SessionBind {
  /** The server's host public key blob. */
  hostKey: Buffer;
  /** The exchange hash H of the session's first key exchange. */
  sessionId: Buffer;
  /** The server's signature of `sessionId` with `hostKey`, an SSH signature blob. */
  signature: Buffer;
  /** True when ssh binds the connection for agent forwarding, false when for user authentication. */
  isForwarding: boolean;
}

/** A client's request, as the agent sees it. */
export type AgentRequest =
  | { kind: 'request-identities' }
  | { kind: 'sign'; keyBlob: Buffer; data: Buffer; flags: number }
  | { kind: 'session-bind'; bind: SessionBind }
  | { kind: 'extension'; name: string; contents: Buffer }
  /** A key-store request (add, remove, lock, smartcard…) that keyhold's agent refuses; its body is not parsed. */
  | { kind: 'store'; type: number; name: string }
  | { kind: 'unknown'; type: number };

/** An agent's answer, as a client sees it. */
export type AgentResponse =
  | { kind: 'failure' }
  | { kind: 'success' }
  | { kind: 'identities'; identities: AgentIdentity[] }
  | { kind: 'sign-response'; signature: Buffer }
  | { kind: 'extension-failure' }
  | { kind: 'unknown'; type: number; body: Buffer };

/** One identity in an identities answer: a public key blob and its comment. */
export interface AgentIdentity {
  blob: Buffer;
  comment: string;
}

/**
 * Splits a byte stream into agent payloads. `push` answers every payload completed by the chunk.
 * A frame that is empty or longer than `AGENT_MAX_MESSAGE` breaks the stream: `push` still answers
 * the payloads before it, sets `error`, and throws that error on every later call, since the stream
 * cannot be resynchronised. The connection should then be closed.
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  /** Why the stream broke, once it has. */
  error: WireError | undefined;

  constructor(private readonly maxMessage = AGENT_MAX_MESSAGE) {}

  push(chunk: Buffer): Buffer[] {
    if (this.error) throw this.error;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len === 0 || len > this.maxMessage) {
        this.error = new WireError(len === 0 ? 'empty agent message' : `agent message of ${len} bytes is over the ${this.maxMessage} byte limit`);
        this.buf = Buffer.alloc(0);
        break;
      }
      if (this.buf.length < 4 + len) break;
      out.push(Buffer.from(this.buf.subarray(4, 4 + len)));
      this.buf = this.buf.subarray(4 + len);
    }
    return out;
  }

  /** Bytes of an incomplete frame held back; non-zero at end of stream means the stream was truncated. */
  get pending(): number {
    return this.buf.length;
  }
}

/** A payload framed for the socket: `uint32 length, payload`. */
export function frame(payload: Buffer): Buffer {
  return new SshWriter().uint32(payload.length).raw(payload).bytes();
}

const message = (type: number) => new SshWriter().byte(type);

/** Parses a session-bind's contents (what follows the extension name). */
function parseSessionBind(r: SshReader): SessionBind {
  const bind = { hostKey: r.string(), sessionId: r.string(), signature: r.string(), isForwarding: r.boolean() };
  r.end(SESSION_BIND);
  return bind;
}

/** Parses a client request payload. Throws `WireError` when a request keyhold serves is malformed or has trailing bytes. */
export function parseRequest(payload: Buffer): AgentRequest {
  const r = new SshReader(payload);
  const type = r.byte();
  switch (type) {
    case SSH_AGENTC_REQUEST_IDENTITIES:
      r.end('request identities');
      return { kind: 'request-identities' };
    case SSH_AGENTC_SIGN_REQUEST: {
      const req = { kind: 'sign' as const, keyBlob: r.string(), data: r.string(), flags: r.uint32() };
      r.end('sign request');
      return req;
    }
    case SSH_AGENTC_EXTENSION: {
      const name = r.text();
      if (name === SESSION_BIND) return { kind: 'session-bind', bind: parseSessionBind(r) };
      return { kind: 'extension', name, contents: r.rest() };
    }
    default: {
      const name = STORE_REQUESTS[type];
      return name ? { kind: 'store', type, name } : { kind: 'unknown', type };
    }
  }
}

/** Encodes a client request as a frame (for talking to an agent). */
export function encodeRequest(req: AgentRequest): Buffer {
  switch (req.kind) {
    case 'request-identities':
      return frame(message(SSH_AGENTC_REQUEST_IDENTITIES).bytes());
    case 'sign':
      return frame(message(SSH_AGENTC_SIGN_REQUEST).string(req.keyBlob).string(req.data).uint32(req.flags).bytes());
    case 'session-bind': {
      const b = req.bind;
      return frame(
        message(SSH_AGENTC_EXTENSION).string(SESSION_BIND).string(b.hostKey).string(b.sessionId).string(b.signature).boolean(b.isForwarding).bytes(),
      );
    }
    case 'extension':
      return frame(message(SSH_AGENTC_EXTENSION).string(req.name).raw(req.contents).bytes());
    case 'store':
    case 'unknown':
      return frame(message(req.type).bytes());
  }
}

/** SSH_AGENT_IDENTITIES_ANSWER: `uint32 nkeys`, then `string key blob, string comment` per key. */
export function encodeIdentitiesAnswer(identities: readonly AgentIdentity[]): Buffer {
  const w = message(SSH_AGENT_IDENTITIES_ANSWER).uint32(identities.length);
  for (const id of identities) w.string(id.blob).string(id.comment);
  return frame(w.bytes());
}

/** SSH_AGENT_SIGN_RESPONSE: `string signature` (an SSH signature blob). */
export function encodeSignResponse(signature: Buffer): Buffer {
  return frame(message(SSH_AGENT_SIGN_RESPONSE).string(signature).bytes());
}

/** SSH_AGENT_SUCCESS. */
export function encodeSuccess(): Buffer {
  return frame(message(SSH_AGENT_SUCCESS).bytes());
}

/** SSH_AGENT_FAILURE. */
export function encodeFailure(): Buffer {
  return frame(message(SSH_AGENT_FAILURE).bytes());
}

/** SSH_AGENT_EXTENSION_FAILURE. */
export function encodeExtensionFailure(): Buffer {
  return frame(message(SSH_AGENT_EXTENSION_FAILURE).bytes());
}

/** Parses an agent's answer payload (for talking to an agent). Throws `WireError` on a malformed one. */
export function parseResponse(payload: Buffer): AgentResponse {
  const r = new SshReader(payload);
  const type = r.byte();
  switch (type) {
    case SSH_AGENT_FAILURE:
      r.end('failure');
      return { kind: 'failure' };
    case SSH_AGENT_SUCCESS:
      r.end('success');
      return { kind: 'success' };
    case SSH_AGENT_EXTENSION_FAILURE:
      r.end('extension failure');
      return { kind: 'extension-failure' };
    case SSH_AGENT_IDENTITIES_ANSWER: {
      const n = r.uint32();
      const identities: AgentIdentity[] = [];
      // Each identity takes at least 8 bytes, so a huge count fails on truncation, not on memory.
      for (let i = 0; i < n; i++) identities.push({ blob: r.string(), comment: r.text() });
      r.end('identities answer');
      return { kind: 'identities', identities };
    }
    case SSH_AGENT_SIGN_RESPONSE: {
      const signature = r.string();
      r.end('sign response');
      return { kind: 'sign-response', signature };
    }
    default:
      return { kind: 'unknown', type, body: r.rest() };
  }
}
