import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../domain/errors.js';
import type { Ability } from '../domain/types.js';
import type { ResponseSpec, RouteDefinition } from './route.js';
import type { HttpPart, Issue, Validation } from './validation.js';

/**
 * A surface's dialect: how it reads credentials and bodies, and how it words every failure. The
 * machinery (authentication, validation, error handling) is shared; only the words differ.
 */

/**
 * Why a request carries no usable credential: `invalid` means the token (or session) was read but is
 * not a live one; `foreign_origin` a session cookie sent with a write from another site.
 */
export type CredentialProblem =
  | { kind: 'missing' }
  | { kind: 'unsupported_scheme' }
  | { kind: 'malformed'; credential: string }
  | { kind: 'invalid' }
  | { kind: 'foreign_origin' };

/** What a request presents: a token's text, or the secret of a console session cookie. */
export type Credential = string | { session: string };

/** Validation problems of one request part (Fastify stops at the first part that fails). */
export interface ValidationFailure {
  part: HttpPart;
  issues: Issue[];
}

export interface Dialect {
  readonly name: string;
  /** OpenAPI: security scheme names of authenticated routes, and the answers authentication adds. */
  readonly docs: { tags: string[]; security: string[]; authResponses: Record<number, ResponseSpec> };
  /** Its validation: formats and parameter rules (the schemas are the routes'). */
  readonly validation: Validation;

  /** The token text (or session) a request carries, or why there is none. */
  credential(request: FastifyRequest): Credential | CredentialProblem;
  /**
   * The value body validation sees, from the raw bytes (`undefined` when none were sent). May
   * throw a `Rejection` for bodies the upstream refuses before validating.
   */
  decodeBody(request: FastifyRequest, definition: RouteDefinition, raw: Buffer | undefined): unknown;

  tooManyAttempts(request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number): FastifyReply;
  unauthenticated(request: FastifyRequest, reply: FastifyReply, problem: CredentialProblem): FastifyReply;
  /** The token lacks the route's ability, or a session cookie came with a write from another site. */
  forbidden(request: FastifyRequest, reply: FastifyReply, reason: Ability | 'foreign_origin'): FastifyReply;
  invalid(request: FastifyRequest, reply: FastifyReply, failure: ValidationFailure): FastifyReply;
  failed(request: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply;
  tooLarge(request: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** Any other 4xx the framework raises (a malformed request line, bad headers, …). */
  malformed(request: FastifyRequest, reply: FastifyReply): FastifyReply;
  internal(request: FastifyRequest, reply: FastifyReply): FastifyReply;
  notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply | Promise<FastifyReply>;
}

/** An answer a dialect decided on before validation (Coolify's JSON gate, a missing Content-Type). */
export class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`request rejected with ${status}`);
    this.name = 'Rejection';
  }
}

/** Sends JSON exactly as given (a text keeps its field order), typed `application/json` as the upstreams do. */
export function sendJson(reply: FastifyReply, status: number, body: string | object): FastifyReply {
  return reply
    .code(status)
    .type('application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}
