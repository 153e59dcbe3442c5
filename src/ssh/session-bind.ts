import { timingSafeEqual } from 'node:crypto';
import type { SessionBind } from './agent-protocol.js';
import { fingerprintOf, verifySsh } from './signature.js';
import type { UserauthRequest } from './userauth.js';

/**
 * Checks on a `session-bind@openssh.com` binding (OpenSSH PROTOCOL.agent §1), as ssh-agent.c's
 * process_ext_session_bind makes them: the host's signature over the session identifier must
 * verify with the host key the client bound. A binding that verifies proves the client's SSH
 * session reached the holder of that host key; it says nothing about whether that host is trusted.
 */

/** OpenSSH's AGENT_MAX_SID_LEN: the longest session identifier a binding may carry. */
export const MAX_SESSION_ID = 128;

/** The outcome of checking a binding. */
export type SessionBindCheck = { ok: true; hostKeyFingerprint: string } | { ok: false; reason: string };

/** Does the binding's host signature verify over its session identifier? Gives the host key's `SHA256:` fingerprint when it does. */
export function checkSessionBind(bind: SessionBind): SessionBindCheck {
  if (bind.sessionId.length === 0 || bind.sessionId.length > MAX_SESSION_ID)
    return { ok: false, reason: `session identifier of ${bind.sessionId.length} bytes` };
  if (!verifySsh(bind.hostKey, bind.sessionId, bind.signature)) return { ok: false, reason: 'host signature over the session identifier does not verify' };
  return { ok: true, hostKeyFingerprint: fingerprintOf(bind.hostKey) };
}

const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** Is the userauth request for the session the connection was bound to? */
export function sessionIdsMatch(auth: Pick<UserauthRequest, 'sessionId'>, bind: Pick<SessionBind, 'sessionId'>): boolean {
  return same(auth.sessionId, bind.sessionId);
}

/**
 * Does a `publickey-hostbound-v00@openssh.com` request name the bound host key? True when the
 * request carries no host key (plain `publickey`), as OpenSSH's agent lets the first hop through.
 */
export function hostKeysMatch(auth: Pick<UserauthRequest, 'hostKeyBlob'>, bind: Pick<SessionBind, 'hostKey'>): boolean {
  return auth.hostKeyBlob === undefined || same(auth.hostKeyBlob, bind.hostKey);
}
