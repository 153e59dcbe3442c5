import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatDateTime } from '../../domain/time.js';
import type { ApiToken, Session, Team } from '../../domain/types.js';
import { isAppError } from '../../domain/errors.js';
import type { SessionsService } from '../../services/sessions.js';
import type { SetupService } from '../../services/setup.js';
import type { TeamsService } from '../../services/teams.js';
import { actorOf, type AuthDeps, secretFailed } from '../auth.js';
import { callerOf, defineRoute, type RouteDefinition } from '../route.js';
import { nativeDialect, nativeError } from './dialect.js';
import { Me, SessionCreate, SetupRequest, SetupResult, SetupState } from './resource-schemas.js';
import { errorAnswer } from './schemas.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import { teamWire, tokenWire } from './wire.js';

export interface SessionRouteDeps extends AuthDeps {
  sessions: SessionsService;
  setup: SetupService;
  teams: TeamsService;
  idleMs: number;
  now: () => number;
}

const tags = ['Session'];
const meta = (request: FastifyRequest) => ({ ip: request.ip, requestId: request.id });

/** Who the caller is, as `GET /v1/me` answers. */
function meWire(token: ApiToken, team: Team, session: Session | undefined, idleMs: number, now: number) {
  return {
    token: tokenWire(token, now),
    team: teamWire(team),
    session: session
      ? { created_at: formatDateTime(session.createdAt), expires_at: formatDateTime(session.expiresAt), idle_expires_at: formatDateTime(Math.min(session.expiresAt, now + idleMs)) }
      : null,
  };
}

/** `GET /v1/me`, console sign-in and sign-out (the session cookie), and the first-run setup. */
export function sessionRoutes(deps: SessionRouteDeps): RouteDefinition[] {
  const teamOf = (token: ApiToken): Promise<Team> => deps.teams.byId(token.teamId);
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/me',
      ability: 'any',
      operationId: 'get-me',
      summary: 'Who am I',
      description: 'The calling token (or the token behind the console session): its team, abilities, expiry and last use.',
      tags,
      schema: {},
      responses: { 200: { description: 'The caller.', schema: Me } },
      async handler(request) {
        const token = callerOf(request);
        return meWire(token, await teamOf(token), request.session, deps.idleMs, deps.now());
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/sessions',
      operationId: 'create-session',
      secretInAnswer: true,
      summary: 'Sign in',
      description:
        "Trades a token for a console session: an HttpOnly, SameSite=Strict cookie (Secure behind TLS) that ends when unused for `KEYHOLD_SESSION_IDLE_MINUTES`, `KEYHOLD_SESSION_MAX_HOURS` after sign-in, at sign-out, or when the token goes. A wrong token counts against the address's failed-authentication budget.",
      tags,
      schema: { body: SessionCreate },
      bodyRequired: true,
      responses: {
        201: { description: 'Signed in; the cookie is set.', schema: Me, headers: { 'Set-Cookie': { description: '`keyhold_session=…; HttpOnly; SameSite=Strict; Path=/`', schema: Type.String() } } },
        401: errorAnswer('The token is not valid.'),
        429: errorAnswer('Too many failed authentications from this address.'),
      },
      async handler(request, reply) {
        try {
          const opened = await deps.sessions.open(request.body.token, meta(request));
          setSessionCookie(request, reply, opened.secret, deps.sessions.maxAgeSeconds());
          return reply.code(201).send(meWire(opened.token, await teamOf(opened.token), opened.session, deps.idleMs, deps.now()));
        } catch (e) {
          if (!isAppError(e, 'unauthorized')) throw e;
          if (!secretFailed(deps, nativeDialect, request, reply)) return reply;
          return nativeError(request, reply, 401, 'unauthorized', 'that token is not valid (unknown, revoked or expired)');
        }
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/sessions/current',
      ability: 'any',
      operationId: 'delete-session',
      summary: 'Sign out',
      description: 'Ends the console session this request came with and clears its cookie.',
      tags,
      schema: {},
      responses: { 204: { description: 'Signed out.' }, 400: errorAnswer('The request did not come with a session cookie.') },
      async handler(request, reply) {
        const session = request.session;
        if (!session) return nativeError(request, reply, 400, 'bad_request', 'this request carries a token, not a session: there is nothing to sign out of');
        await deps.sessions.close(actorOf(request), session);
        clearSessionCookie(request, reply);
        return reply.code(204).send();
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/setup',
      operationId: 'get-setup',
      summary: 'First-run state',
      description: 'Whether keyhold has no team yet, so the setup link printed at start can be used.',
      tags,
      schema: {},
      responses: { 200: { description: 'The state.', schema: SetupState } },
      handler: async () => ({ fresh: await deps.setup.isFresh() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/setup',
      operationId: 'complete-setup',
      secretInAnswer: true,
      summary: 'First-run setup',
      description:
        'Redeems the one-time code of the setup link keyhold prints on a fresh start (valid 15 minutes, once): creates the first team and an administrator token (`root`, `admin`, shown once), and signs the caller in with it. A wrong code counts against the address\'s failed-authentication budget.',
      tags,
      schema: { body: SetupRequest },
      bodyRequired: true,
      responses: {
        201: { description: 'Set up and signed in.', schema: SetupResult },
        403: errorAnswer('The code is unknown, used or expired.'),
        409: errorAnswer('keyhold is already set up.'),
        429: errorAnswer('Too many failed authentications from this address.'),
      },
      async handler(request, reply) {
        try {
          const done = await deps.setup.complete(request.body.code, request.body.team, meta(request));
          setSessionCookie(request, reply, done.session.secret, deps.sessions.maxAgeSeconds());
          const now = deps.now();
          return reply.code(201).send({
            team: teamWire(done.team),
            token: { ...tokenWire(done.session.token, now), token: done.issued.token },
            me: meWire(done.session.token, done.team, done.session.session, deps.idleMs, now),
          });
        } catch (e) {
          if (isAppError(e, 'forbidden') && !secretFailed(deps, nativeDialect, request, reply)) return reply;
          throw e;
        }
      },
    }),
  ];
}
