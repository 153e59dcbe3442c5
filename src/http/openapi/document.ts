import type { FastifyInstance } from 'fastify';

/** A JSON Schema object, as TypeBox builds them (plain, serialisable objects). */
export type Schema = object;
type Json = Record<string, unknown>;

export interface ResponseDoc {
  description: string;
  /** Body schema; omitted for bodiless responses. */
  schema?: Schema;
  /** Defaults to application/json. */
  contentType?: string;
  headers?: Record<string, { description: string; schema: Schema }>;
}

export interface ParameterDoc {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: Schema;
}

/** What a route says about itself for the OpenAPI document (`config.openapi`). */
export interface RouteDoc {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Security scheme names (components.securitySchemes); empty for open routes. */
  security: string[];
  /** TypeBox object schemas whose properties become parameters. */
  path?: Schema;
  query?: Schema;
  headers?: ParameterDoc[];
  body?: { schema: Schema; required: boolean; contentType?: string };
  responses: Record<string, ResponseDoc>;
  /** For routes registered on many methods (`app.all`): the ones to document. */
  methods?: string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's OpenAPI description; `false` keeps a route out of the document on purpose. */
    openapi?: RouteDoc | false;
  }
}

export interface DocumentedRoute {
  method: string;
  url: string;
  doc: RouteDoc | false | undefined;
}

/** The header every surface's 429 carries. */
export const RETRY_AFTER: ResponseDoc['headers'] = { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } };

/** Named schemas: wherever one of these objects appears, the document has a `$ref` to it instead. */
const named = new Map<object, string>();

/** Registers `schema` as `components.schemas[name]`; returns it, for declaring and naming in one go. */
export function component<T extends object>(name: string, schema: T): T {
  named.set(schema, name);
  return schema;
}

/** Records every route registered after this call (HEAD twins of GET routes excepted). */
export function collectRoutes(app: FastifyInstance): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (r) => {
    const methods = (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');
    const doc = (r.config as { openapi?: RouteDoc | false } | undefined)?.openapi;
    for (const method of methods) routes.push({ method, url: r.url, doc });
  });
  return routes;
}

/** `/v1/x/:id` → `/v1/x/{id}`. */
export const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'trace'];
const SCHEMA_KEYS_WITH_SCHEMAS = ['items', 'not', 'additionalProperties'] as const;
const SCHEMA_KEYS_WITH_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;

/** A plain copy of a schema with named sub-schemas replaced by `$ref`s; collects the names it used. */
function render(schema: Schema, used: Set<string>, top = false): Json {
  const name = named.get(schema);
  if (name && !top) {
    used.add(name);
    return { $ref: `#/components/schemas/${name}` };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([p, s]) => [p, render(s, used)]));
    } else if ((SCHEMA_KEYS_WITH_SCHEMAS as readonly string[]).includes(k) && v && typeof v === 'object') {
      out[k] = render(v as Schema, used);
    } else if ((SCHEMA_KEYS_WITH_LISTS as readonly string[]).includes(k) && Array.isArray(v)) {
      out[k] = v.map((s: Schema) => render(s, used));
    } else {
      out[k] = v;
    }
  }
  return out;
}

function parameters(doc: RouteDoc, used: Set<string>): ParameterDoc[] {
  const fromObject = (obj: Schema | undefined, where: 'path' | 'query'): ParameterDoc[] => {
    if (!obj) return [];
    const o = obj as { required?: string[]; properties: Record<string, Json> };
    const required = new Set(o.required ?? []);
    return Object.entries(o.properties).map(([name, s]) => ({
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
      schema: render(s, used),
    }));
  };
  return [...fromObject(doc.path, 'path'), ...fromObject(doc.query, 'query'), ...(doc.headers ?? []).map((h) => ({ ...h, schema: render(h.schema, used) }))];
}

function operation(doc: RouteDoc, used: Set<string>): Json {
  const op: Json = { operationId: doc.operationId, summary: doc.summary };
  if (doc.description) op.description = doc.description;
  op.tags = doc.tags;
  const params = parameters(doc, used);
  if (params.length) op.parameters = params;
  if (doc.body) {
    op.requestBody = { required: doc.body.required, content: { [doc.body.contentType ?? 'application/json']: { schema: render(doc.body.schema, used) } } };
  }
  op.responses = Object.fromEntries(
    Object.entries(doc.responses).map(([status, r]) => {
      const res: Json = { description: r.description };
      if (r.headers) res.headers = Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d.description, schema: render(d.schema, used) }]));
      if (r.schema) res.content = { [r.contentType ?? 'application/json']: { schema: render(r.schema, used) } };
      return [status, res];
    }),
  );
  op.security = doc.security.map((s) => ({ [s]: [] }));
  return op;
}

export interface DocumentInfo {
  version: string;
  securitySchemes: Record<string, Json>;
  tags: Array<{ name: string; description: string }>;
}

/**
 * The OpenAPI 3.1 document of the routes as registered: paths sorted, operations in a fixed method
 * order, named schemas as components. Deterministic, so the checked-in copy can be compared byte for byte.
 * Throws if a route has no description and was not kept out with `openapi: false`.
 */
export function buildDocument(routes: DocumentedRoute[], info: DocumentInfo): Json {
  const missing = routes.filter((r) => r.doc === undefined).map((r) => `${r.method} ${r.url}`);
  if (missing.length) throw new Error(`routes without an OpenAPI description (config.openapi): ${missing.join(', ')}`);
  const used = new Set<string>();
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    if (!r.doc || (r.doc.methods && !r.doc.methods.includes(r.method))) continue;
    const p = openApiPath(r.url);
    const method = r.method.toLowerCase();
    if (!METHOD_ORDER.includes(method)) continue;
    (paths[p] ??= {})[method] = operation(r.doc, used);
  }
  const sortedPaths = Object.fromEntries(
    Object.keys(paths)
      .sort()
      .map((p) => [p, Object.fromEntries(METHOD_ORDER.filter((m) => paths[p]![m]).map((m) => [m, paths[p]![m]]))]),
  );
  // Components, including those only other components refer to.
  const schemas: Record<string, Json> = {};
  const byName = new Map([...named].map(([s, n]) => [n, s]));
  for (let pending = [...used]; pending.length; ) {
    const name = pending.pop()!;
    if (schemas[name]) continue;
    const inner = new Set<string>();
    schemas[name] = render(byName.get(name)!, inner, true);
    pending.push(...[...inner].filter((n) => !schemas[n]));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'keyhold',
      version: info.version,
      description:
        'Coolify-compatible private keys (`/api/v1/security/keys`), Gcore-compatible CaaS API keys (`/cloud/v1/caas/keys`), ' +
        'and keyhold\'s own routes: gateway verification, audit trail, health, readiness and metrics.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: info.tags,
    paths: sortedPaths,
    components: {
      schemas: Object.fromEntries(Object.keys(schemas).sort().map((n) => [n, schemas[n]])),
      securitySchemes: info.securitySchemes,
    },
  };
}
