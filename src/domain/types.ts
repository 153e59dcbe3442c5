/** Milliseconds since the epoch; every stored time uses it. */
export type EpochMs = number;

/** The largest id any record can have: ids live in 32-bit integer columns (PostgreSQL `integer`/`serial`). */
export const MAX_ID = 2147483647;

/** A source of the current time, injected so tests can move it. */
export type Clock = () => EpochMs;

export const systemClock: Clock = () => Date.now();

/**
 * What a token may do. `root` is everything within its team; `admin` is the instance's: managing
 * teams and regions. Neither implies the other.
 */
export const ABILITIES = ['root', 'read', 'write', 'read:sensitive', 'verify', 'admin'] as const;
export type Ability = (typeof ABILITIES)[number];

export interface Team {
  id: number;
  name: string;
  createdAt: EpochMs;
}

export interface ApiToken {
  id: number;
  teamId: number;
  name: string;
  abilities: Ability[];
  createdAt: EpochMs;
  expiresAt: EpochMs | null;
  revokedAt: EpochMs | null;
  lastUsedAt: EpochMs | null;
}

/** A console session: a cookie standing for the token it was opened with. */
export interface Session {
  id: number;
  tokenId: number;
  createdAt: EpochMs;
  lastSeenAt: EpochMs;
  expiresAt: EpochMs;
  revokedAt: EpochMs | null;
}

/** Who is acting: the authenticated token (or the operator at the CLI) and where the request came from. */
export interface Actor {
  teamId: number;
  tokenId: number | null;
  label: string;
  ip: string | null;
  requestId: string | null;
}

export interface PrivateKeyRecord {
  id: number;
  uuid: string;
  teamId: number;
  name: string;
  description: string | null;
  fingerprint: string | null;
  publicKey: string;
  isGitRelated: boolean;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

/** A private key record with its decrypted key text. */
export interface PrivateKeyWithSecret extends PrivateKeyRecord {
  privateKey: string;
}

/** Does a token with these abilities pass a check for `needed`? `root` passes every team ability; `read:sensitive` implies `read`. */
export function hasAbility(abilities: readonly string[], needed: Ability): boolean {
  if (needed === 'admin') return abilities.includes('admin');
  if (abilities.includes('root') || abilities.includes('*')) return true;
  if (abilities.includes(needed)) return true;
  return needed === 'read' && abilities.includes('read:sensitive');
}

/** May this token read private key material? */
export function canReadSensitive(abilities: readonly string[]): boolean {
  return abilities.includes('root') || abilities.includes('*') || abilities.includes('read:sensitive');
}

/** The abilities a token holding `abilities` may hand to a new token: its own, and with `root` every team ability. */
export function grantableAbilities(abilities: readonly string[]): Ability[] {
  return ABILITIES.filter((a) => a !== 'admin' ? hasAbility(abilities, a) && (a !== 'root' || abilities.includes('root')) : abilities.includes('admin'));
}

export interface Project {
  id: number;
  teamId: number;
  name: string;
  createdAt: EpochMs;
}

export interface Region {
  id: number;
  name: string;
  createdAt: EpochMs;
}

export interface Container {
  name: string;
  namespace: string;
}

export interface CaasKey {
  id: number;
  projectId: number;
  regionId: number;
  name: string;
  description: string;
  containers: Container[];
  expire: EpochMs | null;
  isDisabled: boolean;
  source: 'cloud' | 'iate';
  secretStart: string;
  createdAt: EpochMs;
  lastUsedAt: EpochMs | null;
  /** The end of the grace period of the secret before the last reroll (past or future), or null. */
  rotatingUntil: EpochMs | null;
  /** At most `limit` admissions per `windowSeconds`, or null for no limit. */
  rateLimit: RateLimit | null;
}

/** A per-key rate limit. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** The end of a key's grace period when it is still running at `now`, else null. */
export function rotatingUntil(k: Pick<CaasKey, 'rotatingUntil'>, now: EpochMs): EpochMs | null {
  return k.rotatingUntil !== null && k.rotatingUntil > now ? k.rotatingUntil : null;
}

export type CaasKeyStatus = 'Active' | 'Disabled' | 'Expired';

/** Disabled wins over Expired; the expiry second itself already counts as expired. */
export function caasKeyStatus(k: Pick<CaasKey, 'isDisabled' | 'expire'>, now: EpochMs): CaasKeyStatus {
  if (k.isDisabled) return 'Disabled';
  if (k.expire !== null && k.expire <= now) return 'Expired';
  return 'Active';
}
