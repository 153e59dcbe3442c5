import type { EpochMs } from './types.js';

/** keyhold as an SSH certificate authority: CAs, roles and the certificates they issued. */

export type CaType = 'user' | 'host';

export interface SshCa {
  id: number;
  teamId: number;
  name: string;
  type: CaType;
  /** The stored private key that signs (its row in private_keys, and its uuid). */
  privateKeyId: number;
  privateKeyUuid: string;
  /** The one `authorized_keys`-style line (`ssh-ed25519 AAAA… comment`) for TrustedUserCAKeys / @cert-authority. */
  publicKey: string;
  /** `SHA256:…` of the CA's public key. */
  fingerprint: string;
  /** Bumped by every revocation: the KRL's version. */
  krlVersion: number;
  createdAt: EpochMs;
}

export interface SshRole {
  id: number;
  teamId: number;
  name: string;
  caId: number;
  /** Exact names and `*`-patterns a certificate's principals must each match. */
  principals: string[];
  maxTtlMs: number;
  defaultTtlMs: number;
  /** User certificates' extensions; null: OpenSSH's defaults (ssh-keygen -s). Host certificates carry none. */
  extensions: string[] | null;
  criticalOptions: CriticalOptions;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

/** The critical options keyhold sets on user certificates. */
export interface CriticalOptions {
  'force-command'?: string;
  'source-address'?: string;
}

export interface SshCertificate {
  serial: number;
  teamId: number;
  caId: number;
  role: string;
  type: CaType;
  keyId: string;
  principals: string[];
  /** Epoch seconds, as in the certificate. */
  validAfter: number;
  validBefore: number;
  /** The subject's public key line (keyhold never sees its private key). */
  publicKey: string;
  publicKeyFingerprint: string;
  /** The one-line OpenSSH certificate. */
  certificate: string;
  /** Who asked for it (`token:12`, `cli`). */
  requestedBy: string;
  tokenId: number | null;
  createdAt: EpochMs;
  revokedAt: EpochMs | null;
  revokedBy: string | null;
}

/** A CA's revocation of every certificate with a key id, or of a public key (and all its certificates). */
export interface SshRevocation {
  id: number;
  caId: number;
  kind: 'key_id' | 'public_key';
  value: string;
  revokedBy: string;
  createdAt: EpochMs;
}

/** Names of CAs and roles: lower-case letters, digits and `-`, 1 to 64. */
export const SSH_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A principal pattern matches a name: `*` stands for any run of characters, everything else for itself. */
export function principalMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(name);
}

/** Principals a role lists as exact names (what a certificate gets when none are asked for). */
export const exactPrincipals = (role: Pick<SshRole, 'principals'>) => role.principals.filter((p) => !p.includes('*'));
