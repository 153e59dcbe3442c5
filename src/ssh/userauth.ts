import { SshReader, WireError } from './wire.js';

/**
 * The data an SSH client asks an agent to sign for public key user authentication (RFC 4252 §7),
 * including the `publickey-hostbound-v00@openssh.com` method of OpenSSH's PROTOCOL file, which appends
 * the server's host key. Checked as strictly as OpenSSH's own agent checks it (ssh-agent.c,
 * parse_userauth_request): message 50, signature-follows TRUE, a known method, an algorithm that
 * suits the key, no trailing bytes.
 */

/** SSH_MSG_USERAUTH_REQUEST (RFC 4250 §4.1.2). */
export const SSH_MSG_USERAUTH_REQUEST = 50;
/** The RFC 4252 §7 method name. */
export const METHOD_PUBLICKEY = 'publickey';
/** OpenSSH's method that also signs the server's host key (OpenSSH 8.9 and later use it when the server offers it). */
export const METHOD_HOSTBOUND = 'publickey-hostbound-v00@openssh.com';

/** A parsed publickey userauth request. */
export interface UserauthRequest {
  /** The session identifier (exchange hash H) the signature is bound to. */
  sessionId: Buffer;
  /** The user to log in as on the server. */
  user: string;
  /** The service asked for; `ssh-connection` for every OpenSSH login. */
  service: string;
  method: typeof METHOD_PUBLICKEY | typeof METHOD_HOSTBOUND;
  /** The public key algorithm: the key's type, or `rsa-sha2-256`/`rsa-sha2-512` for an RSA key. */
  algorithm: string;
  /** The public key (or certificate) blob being used. */
  keyBlob: Buffer;
  /** The server's host key blob, present for `publickey-hostbound-v00@openssh.com` only. */
  hostKeyBlob?: Buffer;
}

/** Signature algorithms an RSA key (or RSA certificate) may name, by key type. */
const RSA_ALGORITHMS: Record<string, readonly string[]> = {
  'ssh-rsa': ['ssh-rsa', 'rsa-sha2-256', 'rsa-sha2-512'],
  'ssh-rsa-cert-v01@openssh.com': ['ssh-rsa-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512-cert-v01@openssh.com'],
};

/** Does the public key algorithm `algorithm` suit a key blob of type `keyType`? */
export function algorithmSuitsKey(algorithm: string, keyType: string): boolean {
  return algorithm === keyType || (RSA_ALGORITHMS[keyType]?.includes(algorithm) ?? false);
}

/** Parses the data a client asks an agent to sign for publickey authentication; throws `WireError` when it is anything else. */
export function parseUserauthRequest(data: Buffer): UserauthRequest {
  const r = new SshReader(data);
  const sessionId = r.string();
  if (sessionId.length === 0) throw new WireError('empty session identifier');
  const msg = r.byte();
  if (msg !== SSH_MSG_USERAUTH_REQUEST) throw new WireError(`message ${msg} is not SSH_MSG_USERAUTH_REQUEST`);
  const user = r.text();
  const service = r.text();
  const method = r.text();
  if (method !== METHOD_PUBLICKEY && method !== METHOD_HOSTBOUND) throw new WireError(`method ${method} is not publickey`);
  const sigFollows = r.byte();
  if (sigFollows !== 1) throw new WireError('a publickey request to sign must have the signature boolean TRUE');
  const algorithm = r.text();
  const keyBlob = r.string();
  const keyType = new SshReader(keyBlob).text();
  if (!algorithmSuitsKey(algorithm, keyType)) throw new WireError(`algorithm ${algorithm} does not suit a ${keyType} key`);
  const out: UserauthRequest = { sessionId, user, service, method, algorithm, keyBlob };
  if (method === METHOD_HOSTBOUND) out.hostKeyBlob = r.string();
  r.end('userauth request');
  return out;
}
