import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Dialect } from '../dialect.js';
import type { ResponseSpec, RouteDefinition } from '../route.js';

/** A JSON Schema object, as TypeBox builds them (plain, serialisable objects). */
type Schema = object;
type Json = Record<string, unknown>;

/** A route as the document sees it: one method of a registered definition. */
export interface DocumentedRoute {
  method: string;
  url: string;
  definition: RouteDefinition;
  dialect: Dialect;
}

export interface DocumentInfo {
  version: string;
  securitySchemes: Record<string, Json>;
  tags: Array<{ name: string; description: string }>;
}

/** The header every surface's 429 carries. */
export const RETRY_AFTER: ResponseSpec['headers'] = { 'Retry-After': { description: 'Seconds to wait.', schema: Type.Integer() } };

/** Named schemas: wherever one of these objects appears, the document has a `$ref` to it instead. */
const named = new Map<object, string>();

/** Registers `schema` as `components.schemas[name]`; returns it, for declaring and naming in one go. */
export function component<T extends object>(name: string, schema: T): T {
  named.set(schema, name);
  return schema;
}

/**
 * Records every route registered after this call (HEAD twins of GET routes excepted). Every route
 * is a definition (`registerRoutes`); one registered any other way makes the document fail to build.
 */
export function collectRoutes(app: FastifyInstance): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (r) => {
    const registered = r.config?.route;
    const methods = (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');
    if (!registered) throw new Error(`${methods.join(',')} ${r.url} is not a route definition (register it with registerRoutes)`);
    for (const method of methods) routes.push({ method, url: r.url, definition: registered.definition, dialect: registered.dialect });
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

function parameters(def: RouteDefinition, used: Set<string>): Json[] {
  const fromObject = (obj: Schema | undefined, where: 'path' | 'query'): Json[] => {
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
  const headers = (def.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: false, description: h.description, schema: render(h.schema, used) }));
  return [...fromObject(def.schema.params, 'path'), ...fromObject(def.schema.querystring, 'query'), ...headers];
}

function response(r: ResponseSpec, used: Set<string>): Json {
  const res: Json = { description: r.description };
  if (r.headers) res.headers = Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d.description, schema: render(d.schema, used) }]));
  if (r.schema) res.content = { [r.contentType ?? 'application/json']: { schema: render(r.schema, used) } };
  return res;
}

function operation({ definition: def, dialect }: DocumentedRoute, used: Set<string>): Json {
  const op: Json = { operationId: def.operationId, summary: def.summary };
  if (def.description) op.description = def.description;
  op.tags = def.tags ?? dialect.docs.tags;
  const params = parameters(def, used);
  if (params.length) op.parameters = params;
  if (def.schema.body) {
    op.requestBody = { required: def.bodyRequired ?? false, content: { 'application/json': { schema: render(def.schema.body, used) } } };
  }
  // Authentication's answers come from the surface; a route's own answers win where both speak.
  const responses = { ...(def.ability ? dialect.docs.authResponses : {}), ...def.responses };
  op.responses = Object.fromEntries(Object.entries(responses).map(([status, r]) => [status, response(r, used)]));
  op.security = def.ability ? dialect.docs.security.map((s) => ({ [s]: [] })) : [];
  return op;
}

/**
 * The OpenAPI 3.1 document of the routes as registered: paths sorted, operations in a fixed method
 * order, named schemas as components. Deterministic, so the checked-in copy can be compared byte for byte.
 */
export function buildDocument(routes: readonly DocumentedRoute[], info: DocumentInfo): Json {
  const used = new Set<string>();
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const documented = r.definition.documented;
    if (documented === false || (documented && !(documented as readonly string[]).includes(r.method))) continue;
    const method = r.method.toLowerCase();
    if (!METHOD_ORDER.includes(method)) continue;
    (paths[openApiPath(r.url)] ??= {})[method] = operation(r, used);
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
        "and keyhold's own routes: gateway verification, audit trail, health, readiness and metrics.",
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: info.tags,
    paths: sortedPaths,
    components: {
      schemas: Object.fromEntries(
        Object.keys(schemas)
          .sort()
          .map((n) => [n, schemas[n]]),
      ),
      securitySchemes: info.securitySchemes,
    },
  };
}
