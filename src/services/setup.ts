import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../crypto/secret.js';
import { AppError } from '../domain/errors.js';
import type { Actor, Clock, Team } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import { auditEvent } from './audit.js';
import type { SessionIdentity, SessionsService } from './sessions.js';
import type { TeamsService } from './teams.js';
import type { IssuedToken, TokensService } from './tokens.js';

const alreadySetUp = () => new AppError('conflict', 'keyhold is already set up: sign in with a token');

/** A setup link works this long, once. */
export const SETUP_CODE_TTL_MS = 15 * 60_000;

/**
 * First run without the CLI: while no team exists, a server start makes a one-time code for a
 * setup link. Redeeming it creates the first team with an administrator token (`root` and
 * `admin`) and signs the operator in with it.
 */
export function setupService(store: Store, teams: TeamsService, tokens: TokensService, sessions: SessionsService, clock: Clock) {
  const isFresh = async () => (await store.teams.list()).length === 0;
  return {
    /** Is this a fresh install (no team yet)? */
    isFresh,
    /** A new single-use code while the install is fresh, else undefined. Only its digest is stored. */
    async issueCode(): Promise<string | undefined> {
      if (!(await isFresh())) return undefined;
      const code = randomBytes(24).toString('base64url');
      const now = clock();
      await store.setupCodes.insert({ codeHash: sha256Hex(code), createdAt: now, expiresAt: now + SETUP_CODE_TTL_MS });
      return code;
    },
    /**
     * Redeems a code: the first team, its administrator token (shown once) and a session for it. One
     * transaction, guarded by a marker row only one setup can insert: two servers that each printed a
     * code cannot both set up (the other gets 409, setup is done).
     */
    async complete(code: string, teamName: string, meta: Pick<Actor, 'ip' | 'requestId'>): Promise<{ team: Team; issued: IssuedToken; session: SessionIdentity & { secret: string } }> {
      const { team, issued } = await store.transaction(async (repos) => {
        const now = clock();
        if (!(await repos.setupCodes.consume(sha256Hex(code), now))) {
          throw new AppError('forbidden', 'this setup link is unknown, used or expired: restart keyhold for a new one, or use `keyhold teams create`');
        }
        if (!(await repos.setupCodes.claimSetup(now)) || (await repos.teams.list()).length > 0) throw alreadySetUp();
        const actor = (teamId: number): Actor => ({ teamId, tokenId: null, label: 'setup', ...meta });
        const created = await teams.createWith(repos, teamName);
        await repos.audit.insert(auditEvent(actor(created.id), 'team.create', 'team', created.name, ['name'], now));
        const token = await tokens.createWith(repos, created, { abilities: ['root', 'admin'], name: 'console administrator' }, actor(created.id));
        return { team: created, issued: token };
      });
      return { team, issued, session: await sessions.open(issued.token, meta) };
    },
  };
}
export type SetupService = ReturnType<typeof setupService>;
