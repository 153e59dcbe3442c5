import { privateKeyAad } from '../crypto/envelope.js';
import { AppError, isAppError } from '../domain/errors.js';
import { DEFAULT_SIGNING_POLICY, type SigningPurpose } from '../domain/signing-policy.js';
import { type Actor, type ApiToken, type Clock, viewerSees } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import type { SealedPrivateKey } from '../repositories/private-keys.js';
import type { SessionBind } from '../ssh/agent-protocol.js';
import { checkSessionBind, hostKeysMatch, sessionIdsMatch } from '../ssh/session-bind.js';
import { fingerprintOf, loadSigningKey, signatureAlgorithm, signSsh } from '../ssh/signature.js';
import { parseSshsigSignedData } from '../ssh/sshsig.js';
import { parseUserauthRequest, type UserauthRequest } from '../ssh/userauth.js';
import { WireError } from '../ssh/wire.js';
import { auditEvent } from './audit.js';
import type { LiveKeyring } from './keyring.js';

/**
 * Signing with a stored SSH key that never leaves keyhold (`keyhold agent`, `keyhold-ssh-sign`).
 * keyhold is never a general signing oracle: it signs only an SSH user-authentication request for
 * this very key (purpose `ssh`), or an SSHSIG blob in the `git` or `file` namespace, and only what
 * the key's policy allows: hosts (proved by the session binding the client's ssh made with the
 * host's key), users, purposes, forwarding. Every signature and every refusal is audited.
 */

export interface SignRequest {
  data: Buffer;
  /** The agent's flags (SSH_AGENT_RSA_SHA2_256/512). */
  flags: number;
  /** The `session-bind@openssh.com` bindings the agent received on its connection, oldest first. */
  binds: SessionBind[];
}

export interface SignResult {
  signature: Buffer;
  algorithm: string;
  keyFingerprint: string;
}

/** Why a signature was refused: a policy field, the token's restriction, or bytes keyhold never signs (`data`). */
export type RefusalReason = 'key' | 'purpose' | 'user' | 'host' | 'forwarding' | 'data';

/** What a signature was for, as the audit and the metric record it. */
interface Judged {
  purpose: SigningPurpose | null;
  user?: string;
  namespace?: string;
  hostFingerprint?: string;
  forwarded: boolean;
}

export class SigningRefused extends AppError {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super('forbidden', `signing refused (${reason}): ${message}`);
  }
}

const list = (items: readonly string[]) => items.join(', ');

/** Key types keyhold signs with: OpenSSH's own, less DSA (disabled since 7.0). */
const SIGNABLE = new Set(['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521']);

/** The bytes to sign as one of the purposes, or a 400: nothing else is signed. */
function classify(data: Buffer): { purpose: 'ssh'; auth: UserauthRequest } | { purpose: SigningPurpose | null; namespace: string } {
  try {
    return { purpose: 'ssh', auth: parseUserauthRequest(data) };
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
  }
  try {
    const { namespace } = parseSshsigSignedData(data);
    return { purpose: namespace === 'git' || namespace === 'file' ? namespace : null, namespace };
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
  }
  throw new AppError('bad_request', 'keyhold signs only an SSH user-authentication request (publickey) for this key, or an SSHSIG blob in the git or file namespace; these bytes are neither');
}

/** The host this userauth request is for, proved by the last binding; undefined when there is none. */
function boundHost(auth: UserauthRequest, binds: SessionBind[]): string | undefined {
  for (const bind of binds) {
    const checked = checkSessionBind(bind);
    if (!checked.ok) throw new AppError('bad_request', `a session binding does not verify: ${checked.reason}`);
  }
  const last = binds[binds.length - 1];
  if (!last) return undefined;
  if (!sessionIdsMatch(auth, last) || !hostKeysMatch(auth, last)) {
    throw new SigningRefused('host', 'the request is not for the session its connection was bound to');
  }
  return fingerprintOf(last.hostKey);
}

export function sshSigningService(store: Store, keys: LiveKeyring, clock: Clock, onOutcome?: (outcome: 'signed' | 'refused', purpose: string) => void) {
  /** Checks the request against the key's policy; throws SigningRefused naming the field that refused it. */
  function judge(key: SealedPrivateKey, publicBlob: Buffer, req: SignRequest, judged: Judged): void {
    const policy = key.signing ?? DEFAULT_SIGNING_POLICY;
    const what = classify(req.data);
    judged.purpose = what.purpose;
    judged.forwarded = req.binds.some((b) => b.isForwarding);
    if ('namespace' in what) judged.namespace = what.namespace;
    if (what.purpose === null || !policy.purposes.includes(what.purpose)) {
      const asked = what.purpose ?? `SSHSIG namespace ${JSON.stringify('namespace' in what ? what.namespace : '')}`;
      throw new SigningRefused('purpose', `key ${key.name} signs only for ${list(policy.purposes)}, not ${asked}`);
    }
    if ('auth' in what) {
      if (!what.auth.keyBlob.equals(publicBlob)) throw new AppError('bad_request', `the authentication request is for another key than ${key.name}`);
      judged.user = what.auth.user;
      judged.hostFingerprint = boundHost(what.auth, req.binds);
      if (policy.users.length && !policy.users.includes(what.auth.user)) {
        throw new SigningRefused('user', `key ${key.name} may log in only as ${list(policy.users)}, not ${what.auth.user}`);
      }
      if (policy.hosts.length) {
        if (!judged.hostFingerprint) throw new SigningRefused('host', `key ${key.name} may log in only to listed hosts, and the client sent no session binding (OpenSSH 8.9 or newer sends one)`);
        if (!policy.hosts.includes(judged.hostFingerprint)) {
          throw new SigningRefused('host', `key ${key.name} may log in only to ${list(policy.hosts)}; this session is with ${judged.hostFingerprint}`);
        }
      }
    }
    if (judged.forwarded && !policy.forwarding) throw new SigningRefused('forwarding', `key ${key.name} does not sign through a forwarded agent connection`);
  }

  async function audit(actor: Actor, key: SealedPrivateKey, judged: Judged, outcome: 'signed' | 'refused', reason?: RefusalReason, message?: string): Promise<void> {
    const at = clock();
    const detail = {
      outcome,
      purpose: judged.purpose,
      key_fingerprint: key.fingerprint === null ? null : `SHA256:${key.fingerprint}`,
      user: judged.user ?? null,
      host_fingerprint: judged.hostFingerprint ?? null,
      namespace: judged.namespace ?? null,
      forwarded: judged.forwarded,
      ...(reason ? { reason, message } : {}),
    };
    await store.audit.insert({ ...auditEvent(actor, 'private_key.sign', 'private_key', key.uuid, [], at), detail });
    onOutcome?.(outcome, judged.purpose ?? 'none');
  }

  return {
    /** Signs `req.data` with the key `uuid` for a token with `sign`, or refuses; either way audited. */
    async sign(actor: Actor, token: ApiToken, uuid: string, req: SignRequest): Promise<SignResult> {
      const key = await store.privateKeys.findByUuid(actor.teamId, uuid);
      if (!key) throw new AppError('not_found', `no SSH key ${uuid}`);
      const judged: Judged = { purpose: null, forwarded: false };
      if (!viewerSees(token, uuid)) {
        const refused = new SigningRefused('key', `this token is restricted to other keys than ${key.name}`);
        await audit(actor, key, judged, 'refused', 'key', refused.message);
        throw refused;
      }
      await keys.ensure([key.keyVersion]);
      const signingKey = loadSigningKey(keys.ring.decrypt(key.keyVersion, key.ciphertext, privateKeyAad(key.teamId, key.uuid)));
      try {
        judge(key, signingKey.publicBlob, req, judged);
        if (!SIGNABLE.has(signingKey.type)) throw new AppError('bad_request', `${key.name} is a ${signingKey.type} key, which keyhold does not sign with (OpenSSH no longer accepts DSA)`);
      } catch (err) {
        // Bytes that are no purpose at all are an attempt to use keyhold as a signing oracle: audited too.
        if (err instanceof SigningRefused) await audit(actor, key, judged, 'refused', err.reason, err.message);
        else if (isAppError(err, 'bad_request')) await audit(actor, key, judged, 'refused', 'data', err.message);
        throw err;
      }
      const algorithm = signatureAlgorithm(signingKey.type, req.flags);
      const signature = signSsh(signingKey, req.data, algorithm);
      await audit(actor, key, judged, 'signed');
      return { signature, algorithm, keyFingerprint: fingerprintOf(signingKey.publicBlob) };
    },
  };
}
export type SshSigningService = ReturnType<typeof sshSigningService>;
