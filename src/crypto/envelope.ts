import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const FORMAT = 1;
const NONCE_LEN = 12;
const TAG_LEN = 16;

/** Thrown when a ciphertext does not authenticate: wrong key, wrong record, or tampered bytes. */
export class DecryptionError extends Error {
  constructor(message = 'ciphertext failed authentication') {
    super(message);
    this.name = 'DecryptionError';
  }
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== 32) throw new RangeError('AES-256-GCM needs a 32-byte key');
}

/**
 * Encrypts with AES-256-GCM under a fresh random 12-byte nonce.
 * Layout: 1 format byte ‖ nonce ‖ ciphertext ‖ 16-byte tag. `aad` binds the ciphertext to its record.
 */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  checkKey(key);
  const nonce = randomBytes(NONCE_LEN);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LEN });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), nonce, body, cipher.getAuthTag()]);
}

/** Reverses `seal`; throws DecryptionError unless key, aad and every byte are right. */
export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  checkKey(key);
  if (sealed.length < 1 + NONCE_LEN + TAG_LEN || sealed[0] !== FORMAT) throw new DecryptionError('unknown ciphertext format');
  const nonce = sealed.subarray(1, 1 + NONCE_LEN);
  const tag = sealed.subarray(sealed.length - TAG_LEN);
  const body = sealed.subarray(1 + NONCE_LEN, sealed.length - TAG_LEN);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LEN });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/**
 * The data-encryption keys (one per version), unwrapped with the master key at start.
 * New ciphertexts use the active (highest) version; any known version decrypts.
 */
export class Keyring {
  private readonly keys = new Map<number, Buffer>();
  private active = 0;

  add(version: number, key: Buffer): void {
    checkKey(key);
    this.keys.set(version, key);
    if (version > this.active) this.active = version;
  }

  get activeVersion(): number {
    if (this.active === 0) throw new Error('keyring is empty');
    return this.active;
  }

  get versions(): number[] {
    return [...this.keys.keys()].sort((a, b) => a - b);
  }

  encrypt(plaintext: string, aad: string): { version: number; ciphertext: Buffer } {
    const version = this.activeVersion;
    return { version, ciphertext: this.encryptWith(version, plaintext, aad) };
  }

  /** Seals under a given loaded version (re-encryption to a version being rotated to). */
  encryptWith(version: number, plaintext: string, aad: string): Buffer {
    const key = this.keys.get(version);
    if (!key) throw new Error(`no data key of version ${version} is loaded`);
    return seal(key, Buffer.from(plaintext, 'utf8'), aad);
  }

  decrypt(version: number, ciphertext: Buffer, aad: string): string {
    const key = this.keys.get(version);
    if (!key) throw new DecryptionError(`no data key of version ${version} is loaded`);
    return open(key, ciphertext, aad).toString('utf8');
  }

  private readonly macKeys = new Map<string, Buffer>();

  /**
   * HMAC-SHA256 of `parts` under a key derived (HKDF-SHA256) from data key `version` for `purpose`:
   * the data key itself never MACs, and each purpose gets its own key. A rewrapped master key
   * leaves data keys, so MACs, as they are; a rotation adds a version and older MACs still check.
   */
  mac(version: number, purpose: string, parts: readonly Buffer[]): Buffer {
    const id = `${version}:${purpose}`;
    let key = this.macKeys.get(id);
    if (!key) {
      const dataKey = this.keys.get(version);
      if (!dataKey) throw new DecryptionError(`no data key of version ${version} is loaded`);
      key = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `keyhold:${purpose}`, 32));
      this.macKeys.set(id, key);
    }
    const h = createHmac('sha256', key);
    for (const p of parts) h.update(p);
    return h.digest();
  }
}

/** The associated data that binds a wrapped data key to its version. */
export function dataKeyAad(version: number): string {
  return `keyhold:data-key:v${version}`;
}

/** The associated data that binds a private key ciphertext to its team and uuid. */
export function privateKeyAad(teamId: number, uuid: string): string {
  return `keyhold:private-key:${teamId}:${uuid}`;
}

/** The associated data that binds a webhook's sealed signing secret to its team and id. */
export function webhookSecretAad(teamId: number, id: string): string {
  return `keyhold:webhook-secret:${teamId}:${id}`;
}

/** The previous signing secret of an endpoint during a rotation's grace period: its own AAD, so the two cannot be swapped in the database. */
export function previousWebhookSecretAad(teamId: number, id: string): string {
  return `keyhold:webhook-secret-previous:${teamId}:${id}`;
}
