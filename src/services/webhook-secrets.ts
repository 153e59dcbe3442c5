import { type Keyring, previousWebhookSecretAad, webhookSecretAad } from '../crypto/envelope.js';
import { randomBytes } from 'node:crypto';
import type { SealedSecrets, SealedWebhook } from '../repositories/webhooks.js';

/**
 * An endpoint's signing secrets, sealed and opened in one place: the current one, and during a
 * rotation's grace period the previous one, which keeps signing beside it (Standard Webhooks: a
 * receiver accepts a message when any signature in `webhook-signature` checks with a secret it has).
 */

/** A Standard Webhooks signing secret: `whsec_` and the base64 of 32 random bytes. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

type Endpoint = Pick<SealedWebhook, 'id' | 'teamId'> & SealedSecrets;

/** Seals `current` (and `previous`, when given) under data-key `version`. */
export function sealSecrets(ring: Keyring, w: Pick<SealedWebhook, 'id' | 'teamId'>, version: number, current: string, previous: string | null): SealedSecrets {
  return {
    keyVersion: version,
    secretCiphertext: ring.encryptWith(version, current, webhookSecretAad(w.teamId, w.id)),
    previousSecretCiphertext: previous === null ? null : ring.encryptWith(version, previous, previousWebhookSecretAad(w.teamId, w.id)),
  };
}

/** The current secret, and the previous one when there is one (whatever its deadline). */
export function openSecrets(ring: Keyring, w: Endpoint): { current: string; previous: string | null } {
  const current = ring.decrypt(w.keyVersion, w.secretCiphertext, webhookSecretAad(w.teamId, w.id));
  const previous = w.previousSecretCiphertext && ring.decrypt(w.keyVersion, w.previousSecretCiphertext, previousWebhookSecretAad(w.teamId, w.id));
  return { current, previous };
}

/** The secrets that sign a message sent at `now`: the current one first, then the previous one while its grace period lasts. */
export function signingSecrets(ring: Keyring, w: SealedWebhook, now: number): string[] {
  const { current, previous } = openSecrets(ring, w);
  return previous !== null && w.previousSecretUntil !== null && now < w.previousSecretUntil ? [current, previous] : [current];
}
