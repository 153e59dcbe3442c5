import { hash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `n` characters drawn uniformly from [A-Za-z0-9] by a CSPRNG. */
export function randomAlnum(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 248) out += ALNUM[b % 62]; // 248 = 4 * 62: reject the tail to stay uniform
      if (out.length === n) break;
    }
  }
  return out;
}

/** `n` characters of [a-z0-9], as Coolify's `new_public_id` makes uuids. */
export function randomLowerAlnum(n: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function sha256Hex(text: string | Buffer): string {
  // One-shot: no Hash object per call (this runs twice per verification).
  return hash('sha256', text, 'hex');
}

/** crc32b as 8 lower-case hex digits (PHP's `hash('crc32b', …)`). */
export function crc32Hex(text: string): string {
  return crc32(Buffer.from(text, 'utf8')).toString(16).padStart(8, '0');
}

/** Constant-time equality of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The secret half of a Coolify-format token: 40 alphanumerics and their crc32b. */
export function newTokenSecret(): string {
  const body = randomAlnum(40);
  return body + crc32Hex(body);
}

/** Splits `<id>|<secret>` the way Sanctum does; null when the shape cannot be a token. */
export function splitToken(token: string): { id: number | null; secret: string } | null {
  if (token === '') return null;
  const bar = token.indexOf('|');
  if (bar === -1) return { id: null, secret: token };
  const idPart = token.slice(0, bar);
  const secret = token.slice(bar + 1);
  if (!/^\d{1,15}$/.test(idPart) || secret === '') return null;
  return { id: Number(idPart), secret };
}

/** The visible prefix of every CaaS API-key secret keyhold issues. */
export const API_KEY_PREFIX = 'khk_';
const API_KEY_SHAPE = /^khk_[A-Za-z0-9_-]{43}[0-9a-f]{8}$/;

/**
 * A CaaS API-key secret: `khk_` + 32 CSPRNG bytes as unpadded base64url (43 characters) +
 * the crc32b (8 lower-case hex) of everything before it. 55 characters in all.
 */
export function newApiKeySecret(): string {
  const body = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return body + crc32Hex(body);
}

/** True when `s` has the shape and checksum of a secret we issue: a typo or truncation fails without a lookup. */
export function isWellFormedApiKey(s: string): boolean {
  return hasApiKeyShape(s) && hasApiKeyChecksum(s);
}

/** The shape alone (prefix, length, alphabet): cheap, checked first. */
export function hasApiKeyShape(s: string): boolean {
  return API_KEY_SHAPE.test(s);
}

/** The checksum of a string of the right shape. */
export function hasApiKeyChecksum(s: string): boolean {
  return crc32Hex(s.slice(0, -8)) === s.slice(-8);
}

/** The part of a secret stored in clear so humans can tell keys apart. */
export function apiKeyStart(s: string): string {
  return s.slice(0, 12);
}
