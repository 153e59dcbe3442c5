import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  ContextConfigDefault,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HTTPMethods,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import type { TSchema, TUndefined, TUnknown } from 'typebox';
import type { Ability, ApiToken, Session } from '../domain/types.js';
import type { Dialect } from './dialect.js';

/**
 * A route is one definition: method, URL, the ability it needs, TypeBox schemas for what it reads,
 * its documented answers, and its handler. From it come Fastify's validation (through the surface's
 * validator compiler), the handler's types, and the route's OpenAPI operation.
 */

/** One documented answer. */
export interface ResponseSpec {
  description: string;
  /** Body schema; omitted for bodiless answers. */
  schema?: TSchema;
  /** Defaults to application/json. */
  contentType?: string;
  headers?: Record<string, { description: string; schema: TSchema }>;
}

/** A request header a route reads, documented as a parameter (the credential header is implied by `ability`). */
export interface HeaderDoc {
  name: string;
  description: string;
  schema: TSchema;
}

/** What a route reads, as TypeBox schemas: validated before the handler runs, and typed in it. */
export interface RouteSchemas {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
}

/** The request a handler gets: params, query and body typed from the route's schemas. */
export type TypedRequest<S extends RouteSchemas> = FastifyRequest<RouteGenericInterface, RawServerDefault, RawRequestDefaultExpression, S, TypeBoxTypeProvider>;

/** A route's documented answers, by status. */
export type ResponseSpecs = Record<number, ResponseSpec>;

/**
 * The documented answers' body schemas where Fastify's type provider looks for them (`schema.response`):
 * a JSON body as its schema says, no body as nothing, and any other content type (a stream, bytes,
 * text) as what Fastify sends.
 */
type ResponseSchemasOf<R extends ResponseSpecs> = { [K in keyof R]: BodySchemaOf<R[K]> };
type BodySchemaOf<A> = A extends { schema: infer B extends TSchema } ? (A extends { contentType: infer C } ? (C extends 'application/json' ? B : TUnknown) : B) : TUndefined;

/**
 * A route's handler: request typed from its schemas, and what it returns or sends typed from its
 * documented answers, so a handler that drifts from its OpenAPI document (and with it from the SDK)
 * does not compile.
 */
export type RouteHandler<S extends RouteSchemas, R extends ResponseSpecs = ResponseSpecs> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  ContextConfigDefault,
  S & { response: ResponseSchemasOf<R> },
  TypeBoxTypeProvider
>;

/** What a route asks of its caller: an ability, or `any` valid token or session. */
export type RouteAbility = Ability | 'any';

export interface RouteDefinition<S extends RouteSchemas = RouteSchemas, R extends ResponseSpecs = ResponseSpecs> {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  /** The ability the caller's token needs (`any`: just a valid one); without one the route is open. */
  ability?: RouteAbility;
  operationId: string;
  summary: string;
  description?: string;
  /** OpenAPI tags; the surface's by default. */
  tags?: string[];
  schema: S;
  /**
   * The answer may carry a secret (a token, an API key, a private key, a signing secret, a session
   * cookie): it is sent with `Cache-Control: no-store`, so no browser or proxy keeps a copy.
   */
  secretInAnswer?: true;
  /** Must a body be sent? (Documented, and the surface's body reader enforces it.) */
  bodyRequired?: boolean;
  headers?: HeaderDoc[];
  /** Answers besides the ones authentication adds (the surface's dialect documents those). */
  responses: R;
  /** Documented methods of a multi-method route (default: all); `false` keeps the route out of the document. */
  documented?: false | HTTPMethods[];
  // Method syntax, so a list of definitions with different schemas is a list of RouteDefinition.
  handler(this: FastifyInstance, ...args: Parameters<RouteHandler<S, R>>): ReturnType<RouteHandler<S, R>>;
}

/** Declares a route; the identity function that lets TypeScript infer the handler's types from the schemas. */
export function defineRoute<const S extends RouteSchemas, const R extends ResponseSpecs>(def: RouteDefinition<S, R>): RouteDefinition<S, R> {
  return def;
}

/** A route as registered: its definition and the dialect of the surface it belongs to. */
export interface RegisteredRoute {
  definition: RouteDefinition;
  dialect: Dialect;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `registerRoutes`: the route's definition and its surface's dialect. */
    route?: RegisteredRoute;
  }
  interface FastifyRequest {
    /** The authenticated caller, on routes that need an ability. */
    token?: ApiToken;
    /** The console session the caller came through, when it used the session cookie. */
    session?: Session;
    /** The Content-Type the client sent; bodies reach a surface as bytes and its dialect decodes them. */
    clientContentType?: string;
  }
}

/** Set first thing on routes whose answers carry a secret, so every answer of theirs, errors included, has it. */
async function noStore(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('cache-control', 'no-store');
}

/** Registers one definition: its schemas go to Fastify's validation, the definition itself to the document. */
function registerRoute<S extends RouteSchemas, R extends ResponseSpecs>(app: FastifyInstance, dialect: Dialect, definition: RouteDefinition<S, R>): void {
  app.withTypeProvider<TypeBoxTypeProvider>().route({
    method: definition.method,
    url: definition.url,
    // The answers' schemas type the handler only: Fastify does not serialise with them (answers are
    // sent as the handlers make them), so the object holds the request's schemas alone.
    schema: definition.schema as S & { response: ResponseSchemasOf<R> },
    config: { route: { definition, dialect } },
    ...(definition.secretInAnswer ? { onRequest: noStore } : {}),
    // Fastify calls handlers with `this` bound to the instance, as their type says.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    handler: definition.handler,
  });
}

/** Registers route definitions on a surface's Fastify scope. */
export function registerRoutes(app: FastifyInstance, dialect: Dialect, routes: readonly RouteDefinition[]): void {
  for (const definition of routes) registerRoute(app, dialect, definition);
}

/** The caller of an authenticated route (the auth hook has set it before any handler runs). */
export function callerOf(request: FastifyRequest): ApiToken {
  if (!request.token) throw new Error(`${request.method} ${request.url}: no authenticated caller; does the route declare an ability?`);
  return request.token;
}
