import { AppError } from './errors.js';

/** What keyhold signs with a stored SSH key (PATCH /v1/private-keys/{uuid} `signing`). */
export interface SigningPolicy {
  /** Host-key fingerprints (`SHA256:…`) the key may log in to; empty: any host. */
  hosts: string[];
  /** Remote user names it may log in as; empty: any. */
  users: string[];
  /** `ssh` (user authentication), `git` and `file` (SSHSIG signatures in those namespaces). */
  purposes: SigningPurpose[];
  /** May a request come through a forwarded agent connection? */
  forwarding: boolean;
}

export const SIGNING_PURPOSES = ['ssh', 'git', 'file'] as const;
export type SigningPurpose = (typeof SIGNING_PURPOSES)[number];

/** The policy of a key that has none: SSH logins to any host as any user, not through a forwarded agent. */
export const DEFAULT_SIGNING_POLICY: Readonly<SigningPolicy> = Object.freeze({ hosts: [], users: [], purposes: ['ssh' as const], forwarding: false });

/** A policy as given (fields absent take their defaults), checked and de-duplicated. */
export function normaliseSigningPolicy(input: Partial<SigningPolicy>): SigningPolicy {
  const purposes = [...new Set(input.purposes ?? DEFAULT_SIGNING_POLICY.purposes)];
  if (purposes.some((p) => !(SIGNING_PURPOSES as readonly string[]).includes(p))) throw new AppError('bad_request', `signing.purposes may hold only ${SIGNING_PURPOSES.join(', ')}`);
  if (purposes.length === 0) throw new AppError('bad_request', 'signing.purposes must name at least one of ssh, git, file (or clear the policy with null)');
  return { hosts: [...new Set(input.hosts ?? [])], users: [...new Set(input.users ?? [])], purposes, forwarding: input.forwarding ?? false };
}
