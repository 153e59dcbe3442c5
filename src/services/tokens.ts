import { digestsEqual, newTokenSecret, sha256Hex, splitToken } from '../crypto/secret.js';
import { AppError } from '../domain/errors.js';
import { ABILITIES, type Ability, type ApiToken, type Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import { LruCache } from './lru-cache.js';
import type { TeamsService } from './teams.js';

const UNITS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, y: 365 * 86400e3 };

/** Parses `30d`, `12h`, `90m`, `2w`, `1y`, `45s` into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,6})([smhdwy])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new AppError('bad_request', `invalid duration ${JSON.stringify(text)}: use a number and a unit, e.g. 30d, 12h, 90m`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** Parses `read,write` into a checked, de-duplicated ability list. */
export function parseAbilities(text: string): Ability[] {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new AppError('bad_request', `abilities are required: any of ${ABILITIES.join(', ')}`);
  const unknown = items.filter((a) => !(ABILITIES as readonly string[]).includes(a));
  if (unknown.length) throw new AppError('bad_request', `unknown abilities: ${unknown.join(', ')} (known: ${ABILITIES.join(', ')})`);
  return [...new Set(items)] as Ability[];
}

export interface IssuedToken {
  id: number;
  token: string;
  team: string;
  abilities: Ability[];
  expiresAt: number | null;
}

/** Tokens remembered at once; a gateway fleet uses a handful, so this bound is generous. */
const TOKEN_CACHE_ENTRIES = 10_000;

/** Every authentication failure, whatever went wrong (module level: this is on every request's path). */
const invalidToken = () => new AppError('unauthorized', 'Unauthenticated.');

export function tokensService(store: Store, teams: TeamsService, clock: Clock, opts: { cacheTtlMs?: number } = {}) {
  // Successful lookups are remembered briefly (by digest of the presented token), so a gateway
  // verifying thousands of keys a second does not pay a database round trip for its own token.
  // Revocation clears the cache here at once and, through `onRevoke` listeners, in other processes.
  const ttl = opts.cacheTtlMs ?? 0;
  const cache = new LruCache<string, ApiToken>({ maxEntries: TOKEN_CACHE_ENTRIES, clock });
  const revokeListeners: Array<() => Promise<void> | void> = [];
  return {
    /** Forget every remembered token (after a revocation anywhere). */
    invalidateCache(): void {
      cache.clear();
    },
    onRevoke(l: () => Promise<void> | void): void {
      revokeListeners.push(l);
    },
    /** Issues a token; the plain text is returned here once and never stored. */
    async create(input: { team: string; abilities: Ability[]; name?: string; expiresInMs?: number }): Promise<IssuedToken> {
      const team = await teams.require(input.team);
      const secret = newTokenSecret();
      const now = clock();
      const expiresAt = input.expiresInMs ? now + input.expiresInMs : null;
      const id = await store.tokens.create({
        teamId: team.id,
        name: input.name?.trim() || 'default',
        tokenHash: sha256Hex(secret),
        abilities: input.abilities,
        createdAt: now,
        expiresAt,
      });
      return { id, token: `${id}|${secret}`, team: team.name, abilities: input.abilities, expiresAt };
    },
    async list(teamName?: string): Promise<Array<ApiToken & { team: string }>> {
      const all = await store.teams.list();
      const names = new Map(all.map((t) => [t.id, t.name]));
      const teamId = teamName === undefined ? undefined : (await teams.require(teamName)).id;
      const rows = await store.tokens.list(teamId);
      return rows.map(({ tokenHash: _h, ...t }) => ({ ...t, team: names.get(t.teamId) ?? String(t.teamId) }));
    },
    async revoke(id: number): Promise<void> {
      const done = await store.tokens.revoke(id, clock());
      cache.clear();
      await Promise.all(revokeListeners.map(async (l) => l()));
      if (!done) {
        const t = await store.tokens.findById(id);
        throw new AppError(t ? 'conflict' : 'not_found', t ? `token ${id} is already revoked` : `no token with id ${id}`);
      }
    },
    /**
     * Sanctum's lookup: `<id>|<secret>` by id then constant-time digest comparison, or a bare secret by digest.
     * Every failure is the same `unauthorized` error, so nothing tells a caller which part was wrong.
     */
    async authenticate(raw: string): Promise<ApiToken> {
      const fail = invalidToken;
      const now = clock();
      const cacheKey = ttl > 0 ? sha256Hex(raw) : '';
      const hit = ttl > 0 ? cache.get(cacheKey) : undefined;
      if (hit) {
        if (hit.expiresAt !== null && hit.expiresAt <= now) throw fail();
        return hit;
      }
      const parts = splitToken(raw);
      if (!parts) throw fail();
      const digest = sha256Hex(parts.secret);
      const row = parts.id === null ? await store.tokens.findByHash(digest) : await store.tokens.findById(parts.id);
      if (!row || !digestsEqual(row.tokenHash, digest)) throw fail();
      if (row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now)) throw fail();
      const { tokenHash: _h, ...token } = row;
      if (ttl > 0) cache.set(cacheKey, token, ttl);
      return token;
    },
  };
}
export type TokensService = ReturnType<typeof tokensService>;
