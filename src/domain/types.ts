import type { SigningPolicy } from './signing-policy.js';

/** Milliseconds since the epoch; every stored time uses it. */
export type EpochMs = number;

/** The largest id any record can have: ids live in 32-bit integer columns (PostgreSQL `integer`/`serial`). */
export const MAX_ID = 2147483647;

/** A source of the current time, injected so tests can move it. */
export type Clock = () => EpochMs;

export const systemClock: Clock = () => Date.now();

/**
 * What a token may do. `root` is everything within its team. `admin` (the instance's teams and
 * regions) and `verify:all` (verifying every team's keys, for an instance-wide gateway) reach past
 * the team: nothing implies them, and only an `admin` may grant them.
 */
export const ABILITIES = ['root', 'read', 'write', 'read:sensitive', 'verify', 'verify:all', 'sign', 'certify', 'admin'] as const;
export type Ability = (typeof ABILITIES)[number];

/** Abilities over the whole instance rather than one team. */
const INSTANCE_ABILITIES: ReadonlySet<string> = new Set(['admin', 'verify:all']);

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
  /** The private keys (uuids) this token is restricted to: it sees and signs with only these; null: all of its team's. */
  privateKeys: string[] | null;
  /** The SSH CA roles this token may issue certificates from; null: all of its team's. */
  sshRoles: string[] | null;
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
  /** The private keys a restricted token is limited to (others are not found); absent or null: all of the team's. */
  privateKeys?: string[] | null;
}

/** Whose private keys are looked at: a team, and a token's restriction to some of them (null: none). */
export type KeyViewer = Pick<Actor, 'teamId' | 'privateKeys'>;

/** May this viewer see the key with this uuid (it is its team's: checked by the query)? */
export const viewerSees = (viewer: KeyViewer, uuid: string) => !viewer.privateKeys || viewer.privateKeys.includes(uuid);

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
  /** What the key may sign through keyhold's signing API; null: the default policy (DEFAULT_SIGNING_POLICY). */
  signing: SigningPolicy | null;
}

/** A private key record with its decrypted key text. */
export interface PrivateKeyWithSecret extends PrivateKeyRecord {
  privateKey: string;
}

/**
 * Does a token with these abilities pass a check for `needed`? `root` passes every team ability;
 * `read:sensitive` implies `read`, `verify:all` implies `verify`; instance abilities only themselves.
 */
export function hasAbility(abilities: readonly string[], needed: Ability): boolean {
  if (INSTANCE_ABILITIES.has(needed)) return abilities.includes(needed);
  if (abilities.includes('root') || abilities.includes('*')) return true;
  if (abilities.includes(needed)) return true;
  if (needed === 'verify') return abilities.includes('verify:all');
  return needed === 'read' && abilities.includes('read:sensitive');
}

/** The team whose keys a token may verify: its own, or undefined (every team's) with `verify:all`. */
export function verifyScope(token: Pick<ApiToken, 'teamId' | 'abilities'>): number | undefined {
  return token.abilities.includes('verify:all') ? undefined : token.teamId;
}

/** May this token read private key material? */
export function canReadSensitive(abilities: readonly string[]): boolean {
  return abilities.includes('root') || abilities.includes('*') || abilities.includes('read:sensitive');
}

/** The abilities a token holding `abilities` may hand to a new token: its own (`root`: every team ability); instance abilities only from `admin`. */
export function grantableAbilities(abilities: readonly string[]): Ability[] {
  return ABILITIES.filter((a) => (INSTANCE_ABILITIES.has(a) ? abilities.includes('admin') : hasAbility(abilities, a) && (a !== 'root' || abilities.includes('root'))));
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

/**
 * Bounds of a CaaS API key, the same on every surface (each refuses in its own words): a description
 * of at most 1,000 characters (code points), at most 1,000 containers, namespaces of at most 255.
 */
export const CAAS_KEY_LIMITS = { descriptionChars: 1000, containers: 1000, namespaceChars: 255 } as const;

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
