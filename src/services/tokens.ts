import { digestsEqual, newTokenSecret, sha256Hex, splitToken } from '../crypto/secret.js';
import { AppError, DatabaseUnavailable } from '../domain/errors.js';
import { formatDateTime } from '../domain/time.js';
import { ABILITIES, type Ability, type Actor, type ApiToken, type Clock, grantableAbilities, type Team } from '../domain/types.js';
import type { Repos, Store } from '../repositories/index.js';
import { auditEvent } from './audit.js';
import { recordChange } from './events.js';
import { LruCache } from './lru-cache.js';
import type { TeamsService } from './teams.js';

export { parseDuration } from '../domain/duration.js';

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
  privateKeys: string[] | null;
  sshRoles: string[] | null;
}

/** What a new token is: its abilities, name, lifetime, and the keys or roles it is restricted to. */
export interface TokenInput {
  abilities: Ability[];
  name?: string;
  expiresInMs?: number;
  /** Private key uuids: the token sees and signs with only these. */
  privateKeys?: string[] | null;
  /** SSH CA role names: the token issues certificates from only these. */
  sshRoles?: string[] | null;
}

/** Tokens remembered at once; a gateway fleet uses a handful, so this bound is generous. */
const TOKEN_CACHE_ENTRIES = 10_000;

/** A token's `last_used_at` is written at most this often (and on every request's path only as a Map lookup). */
const USAGE_PRECISION_MS = 60_000;

/** A token as listed: never its secret or digest. */
export type ListedToken = ApiToken;

/** Is the token usable at `now`? */
export const tokenLive = (t: Pick<ApiToken, 'revokedAt' | 'expiresAt'>, now: number) => t.revokedAt === null && (t.expiresAt === null || t.expiresAt > now);

/** Every authentication failure, whatever went wrong (module level: this is on every request's path). */
const invalidToken = () => new AppError('unauthorized', 'Unauthenticated.');

export interface TokensOptions {
  /** How long a successful lookup is remembered. */
  cacheTtlMs?: number;
  /**
   * How long a token seen valid keeps authenticating while the database cannot be reached (so
   * gateways keep verifying through an outage); 0 turns it off.
   */
  outageGraceMs?: number;
}

export function tokensService(store: Store, teams: TeamsService, clock: Clock, opts: TokensOptions = {}) {
  // Successful lookups are remembered briefly (by digest of the presented token), so a gateway
  // verifying thousands of keys a second does not pay a database round trip for its own token.
  // Revocation clears the cache here at once and, through `onRevoke` listeners, in other processes.
  const ttl = opts.cacheTtlMs ?? 0;
  const cache = new LruCache<string, ApiToken>({ maxEntries: TOKEN_CACHE_ENTRIES, clock });
  const outageGrace = opts.outageGraceMs ?? 0;
  const lastGood = new LruCache<string, ApiToken>({ maxEntries: TOKEN_CACHE_ENTRIES, clock });
  const revokeListeners: Array<() => Promise<void> | void> = [];
  const usageWritten = new LruCache<number, number>({ maxEntries: TOKEN_CACHE_ENTRIES, clock });

  /** Records that a token was used, at most once a minute per token; advisory, so a failure is dropped. */
  function recordUse(token: ApiToken, now: number): void {
    const last = usageWritten.get(token.id) ?? token.lastUsedAt ?? -Infinity;
    if (now - last < USAGE_PRECISION_MS) return;
    usageWritten.set(token.id, now, 24 * 3600_000);
    store.tokens.touch(token.id, now).catch(() => usageWritten.delete(token.id));
  }

  /** Writes a new token (and its audit row and event) with the repositories of an open transaction. */
  async function insertWith(repos: Repos, team: Team, input: TokenInput, actor?: Actor): Promise<IssuedToken> {
    const secret = newTokenSecret();
    const now = clock();
    const expiresAt = input.expiresInMs ? now + input.expiresInMs : null;
    const row = {
      teamId: team.id,
      name: input.name?.trim() || 'default',
      tokenHash: sha256Hex(secret),
      abilities: input.abilities,
      createdAt: now,
      expiresAt,
      privateKeys: input.privateKeys ?? null,
      sshRoles: input.sshRoles ?? null,
    };
    const id = await repos.tokens.create(row);
    const audit = actor ? auditEvent(actor, 'token.create', 'token', String(id), ['name', 'abilities', 'expires_at'], now) : null;
    const data = { token: { id, name: row.name, abilities: row.abilities, expires_at: expiresAt === null ? null : formatDateTime(expiresAt), private_keys: row.privateKeys } };
    await recordChange(repos, audit, [{ type: 'token.created', teamId: team.id, data }], now);
    return { id, token: `${id}|${secret}`, team: team.name, abilities: input.abilities, expiresAt, privateKeys: row.privateKeys, sshRoles: row.sshRoles };
  }

  /**
   * The private keys a new token is restricted to: each must be the team's (and, for a restricted
   * caller, one it sees itself). Unknown ones are named in the refusal.
   */
  async function checkPrivateKeys(teamId: number, uuids: string[], callerScope: string[] | null): Promise<string[]> {
    const wanted = [...new Set(uuids)];
    const unknown: string[] = [];
    for (const uuid of wanted) {
      const outOfScope = callerScope !== null && !callerScope.includes(uuid);
      if (outOfScope || !(await store.privateKeys.findByUuid(teamId, uuid))) unknown.push(uuid);
    }
    if (unknown.length) throw new AppError('bad_request', `no private key ${unknown.join(', ')} in this team (a token can be restricted only to keys it sees)`);
    return wanted;
  }

  /** The SSH roles a new token is restricted to: each must be the team's (and within a restricted caller's). */
  async function checkRoles(teamId: number, names: string[], callerScope: string[] | null): Promise<string[]> {
    const wanted = [...new Set(names)];
    const unknown: string[] = [];
    for (const name of wanted) {
      if ((callerScope !== null && !callerScope.includes(name)) || !(await store.sshCa.findRole(teamId, name))) unknown.push(name);
    }
    if (unknown.length) throw new AppError('bad_request', `no SSH role ${unknown.join(', ')} in this team (a token can be restricted only to roles it may use)`);
    return wanted;
  }

  const insert = (team: Team, input: TokenInput, actor?: Actor) =>
    store.transaction((repos) => insertWith(repos, team, input, actor));

  /** Every process forgets remembered tokens: here at once, elsewhere through the listeners (NOTIFY). */
  async function forgetEverywhere(): Promise<void> {
    cache.clear();
    lastGood.clear();
    await Promise.all(revokeListeners.map(async (l) => l()));
  }

  async function revokeRow(id: number, actor?: Actor): Promise<boolean> {
    const now = clock();
    const done = await store.transaction(async (repos) => {
      const revoked = await repos.tokens.revoke(id, now);
      const row = revoked ? await repos.tokens.findById(id) : undefined;
      if (row) {
        const audit = actor ? auditEvent(actor, 'token.revoke', 'token', String(id), [], now) : null;
        await recordChange(repos, audit, [{ type: 'token.revoked', teamId: row.teamId, data: { token: { id, name: row.name } } }], now);
      }
      return revoked;
    });
    await forgetEverywhere();
    return done;
  }

  /** A token by id if it belongs to the team (else not found: other teams' ids are not revealed). */
  async function getInTeam(teamId: number, id: number): Promise<ListedToken> {
    const row = await store.tokens.findById(id);
    if (!row || row.teamId !== teamId) throw new AppError('not_found', `no token with id ${id}`);
    const { tokenHash: _h, ...t } = row;
    return t;
  }

  return {
    /** Forget every remembered token (after a revocation anywhere). */
    invalidateCache(): void {
      cache.clear();
      lastGood.clear();
    },
    onRevoke(l: () => Promise<void> | void): void {
      revokeListeners.push(l);
    },
    /** Tokens went away other than by revocation (their team was deleted). */
    forgetEverywhere,
    /** Issues a token inside a transaction the caller holds (first-run setup). */
    createWith: insertWith,
    /** Issues a token for a team (operators: CLI, setup); the plain text is returned here once and never stored. */
    async create(input: TokenInput & { team: string }, actor?: Actor): Promise<IssuedToken> {
      const team = await teams.require(input.team);
      const privateKeys = input.privateKeys && (await checkPrivateKeys(team.id, input.privateKeys, null));
      const sshRoles = input.sshRoles && (await checkRoles(team.id, input.sshRoles, null));
      return insert(team, { ...input, privateKeys, sshRoles }, actor);
    },
    /**
     * Issues a token of the caller's team, from the caller's own token: it may grant only abilities it
     * holds itself (`root` holds every team ability; `admin` only passes on from `admin`).
     */
    async issue(actor: Actor, caller: ApiToken, input: TokenInput & { name: string }): Promise<IssuedToken> {
      const grantable = grantableAbilities(caller.abilities);
      const refused = input.abilities.filter((a) => !grantable.includes(a));
      if (refused.length) throw new AppError('forbidden', `a token cannot grant abilities it does not hold: ${refused.join(', ')}`);
      const team = await store.teams.findById(caller.teamId);
      if (!team) throw invalidToken();
      // A restricted caller hands on its restriction (or a narrower one), never more keys than it sees.
      const privateKeys = input.privateKeys ? await checkPrivateKeys(team.id, input.privateKeys, caller.privateKeys) : caller.privateKeys;
      const sshRoles = input.sshRoles ? await checkRoles(team.id, input.sshRoles, caller.sshRoles) : caller.sshRoles;
      return insert(team, { ...input, abilities: [...new Set(input.abilities)], privateKeys, sshRoles }, actor);
    },
    /** A team's tokens, newest last (never their secrets). */
    async listTeam(teamId: number): Promise<ListedToken[]> {
      return (await store.tokens.list(teamId)).map(({ tokenHash: _h, ...t }) => t);
    },
    getInTeam,
    /** Revokes a token of the team; it stops working at once (here, and through NOTIFY elsewhere). */
    async revokeInTeam(actor: Actor, teamId: number, id: number): Promise<void> {
      const t = await getInTeam(teamId, id);
      if (t.revokedAt !== null || !(await revokeRow(id, actor))) throw new AppError('conflict', `token ${id} is already revoked`);
    },
    async list(teamName?: string): Promise<Array<ApiToken & { team: string }>> {
      const all = await store.teams.list();
      const names = new Map(all.map((t) => [t.id, t.name]));
      const teamId = teamName === undefined ? undefined : (await teams.require(teamName)).id;
      const rows = await store.tokens.list(teamId);
      return rows.map(({ tokenHash: _h, ...t }) => ({ ...t, team: names.get(t.teamId) ?? String(t.teamId) }));
    },
    async revoke(id: number, actor?: Actor): Promise<void> {
      const done = await revokeRow(id, actor);
      if (!done) {
        const t = await store.tokens.findById(id);
        throw new AppError(t ? 'conflict' : 'not_found', t ? `token ${id} is already revoked` : `no token with id ${id}`);
      }
    },
    /** The live token with this id (a session's), or undefined when it is gone, revoked or expired. */
    async live(id: number): Promise<ApiToken | undefined> {
      const row = await store.tokens.findById(id);
      if (!row || !tokenLive(row, clock())) return undefined;
      const { tokenHash: _h, ...token } = row;
      recordUse(token, clock());
      return token;
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
        recordUse(hit, now);
        return hit;
      }
      const parts = splitToken(raw);
      if (!parts) throw fail();
      const digest = sha256Hex(parts.secret);
      let row;
      try {
        row = parts.id === null ? await store.tokens.findByHash(digest) : await store.tokens.findById(parts.id);
      } catch (err) {
        // The database is down: a token seen valid moments ago still is, within the grace.
        const recent = err instanceof DatabaseUnavailable && outageGrace > 0 ? lastGood.get(cacheKey || sha256Hex(raw)) : undefined;
        if (recent && (recent.expiresAt === null || recent.expiresAt > now)) return recent;
        throw err;
      }
      if (!row || !digestsEqual(row.tokenHash, digest)) throw fail();
      if (row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now)) throw fail();
      const { tokenHash: _h, ...token } = row;
      if (ttl > 0) cache.set(cacheKey, token, ttl);
      if (outageGrace > 0) lastGood.set(cacheKey || sha256Hex(raw), token, outageGrace);
      recordUse(token, now);
      return token;
    },
  };
}
export type TokensService = ReturnType<typeof tokensService>;
