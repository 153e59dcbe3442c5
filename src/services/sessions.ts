import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../crypto/secret.js';
import { AppError } from '../domain/errors.js';
import type { Actor, ApiToken, Clock, Session } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import { auditEvent } from './audit.js';
import type { TokensService } from './tokens.js';

export interface SessionOptions {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteMs: number;
}

/** `last_seen_at` is written at most this often (and at most a quarter of the idle time): the idle bound is accurate to it. */
const SEEN_PRECISION_MS = 60_000;

/** Sessions that ended this long ago are deleted. */
const KEEP_ENDED_MS = 24 * 3600_000;

/** Live console sessions per token: signing in an 11th time ends the oldest. */
export const MAX_SESSIONS_PER_TOKEN = 10;

/** Who a request is, through its session: the token it stands for, and the session. */
export interface SessionIdentity {
  token: ApiToken;
  session: Session;
}

/**
 * Console sessions. A session stands for the token it was opened with: the same team and abilities,
 * and it ends when the token is revoked or expires, when unused for `idleMs`, `absoluteMs` after
 * sign-in, or at sign-out. The cookie holds a random secret; only its SHA-256 is stored.
 */
export function sessionsService(store: Store, tokens: TokensService, clock: Clock, opts: SessionOptions) {
  return {
    /** Opens a session for a valid token; returns the cookie secret (once) and the token. */
    async open(tokenText: string, meta: Pick<Actor, 'ip' | 'requestId'>): Promise<SessionIdentity & { secret: string }> {
      const token = await tokens.authenticate(tokenText);
      const secret = randomBytes(32).toString('base64url');
      const now = clock();
      const session = await store.transaction(async (repos) => {
        const s = await repos.sessions.insert({ tokenId: token.id, secretHash: sha256Hex(secret), createdAt: now, expiresAt: now + opts.absoluteMs });
        await repos.sessions.endOldest(token.id, MAX_SESSIONS_PER_TOKEN, now);
        const actor: Actor = { teamId: token.teamId, tokenId: token.id, label: `token:${token.id}`, ...meta };
        await repos.audit.insert(auditEvent(actor, 'session.create', 'session', String(s.id), [], now));
        return s;
      });
      await store.sessions.prune(now - KEEP_ENDED_MS);
      return { secret, token, session };
    },
    /** The identity behind a cookie secret, or undefined when the session has ended for any reason. */
    async resolve(secret: string): Promise<SessionIdentity | undefined> {
      const session = await store.sessions.findBySecretHash(sha256Hex(secret));
      const now = clock();
      if (!session || session.revokedAt !== null || session.expiresAt <= now || session.lastSeenAt + opts.idleMs <= now) return undefined;
      const token = await tokens.live(session.tokenId);
      if (!token) return undefined;
      if (now - session.lastSeenAt >= Math.min(SEEN_PRECISION_MS, opts.idleMs / 4)) await store.sessions.touch(session.id, now);
      return { token, session };
    },
    /** Ends a session (sign-out). */
    async close(actor: Actor, session: Session): Promise<void> {
      const now = clock();
      await store.transaction(async (repos) => {
        await repos.sessions.revoke(session.id, now);
        await repos.audit.insert(auditEvent(actor, 'session.delete', 'session', String(session.id), [], now));
      });
    },
    /** How long a new session lasts at most, for the cookie's Max-Age. */
    maxAgeSeconds: () => Math.floor(opts.absoluteMs / 1000),
  };
}
export type SessionsService = ReturnType<typeof sessionsService>;

/** Sign-in failures are one error, whatever was wrong. */
export const signInRefused = () => new AppError('unauthorized', 'that token is not valid (unknown, revoked or expired)');
