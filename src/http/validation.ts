import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { integerFromText } from '../domain/integers.js';

/**
 * Request validation for every surface: Ajv enforces each route's TypeBox schemas (every keyword),
 * and each surface's dialect only words the problems Ajv reports. What differs between surfaces is
 * configured here, not hand-written per route:
 *
 * - `formats`: what `format` means (Gcore reads date-times as Python does, keyhold as RFC 3339);
 * - how path and query text becomes typed values before checking (`repeated`, plain-decimal integers);
 * - `wellFormedText`: strings that cannot be stored faithfully (lone surrogates have no UTF-8 form,
 *   PostgreSQL text cannot hold NUL) are refused as a validation problem, at the field's path.
 */

/** One problem, as Ajv reports it (our own keywords use the same shape). */
export type Issue = ErrorObject;

/** The part of the request a schema describes, in Fastify's words. */
export type HttpPart = 'params' | 'querystring' | 'body' | 'headers';

/** A value a surface's body reader puts in place of a body it could not read, so validation reports it. */
export class UnreadableBody {
  constructor(readonly problem: 'missing' | 'invalid_json' | 'not_an_object') {}
}

export interface ValidatorOptions {
  /** Format validators by name (formats not listed are not checked). */
  formats: Record<string, (text: string) => boolean>;
  /** A query parameter given more than once: its last value counts, or it is a problem. */
  repeated: 'last' | 'refuse';
  /** Refuse strings that cannot be stored faithfully (`wellFormedText`); off where the upstream accepts them. */
  textChecks: boolean;
}

/** Per-string problems, most serious first. */
const SURROGATE = /\p{Surrogate}/u;
function textProblem(text: string): 'surrogate' | 'nul' | undefined {
  if (SURROGATE.test(text)) return 'surrogate';
  if (text.includes('\0')) return 'nul';
  return undefined;
}

type Json = Record<string, unknown>;
const SUBSCHEMA_KEYS = ['items', 'additionalProperties', 'not'] as const;
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;

/** A plain copy of a schema with `wellFormedText` on every string schema. */
function withTextChecks(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema) as Array<[string, unknown]>) {
    if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, withTextChecks(s)]));
    } else if ((SUBSCHEMA_KEYS as readonly string[]).includes(k)) out[k] = withTextChecks(v);
    else if ((SUBSCHEMA_LISTS as readonly string[]).includes(k) && Array.isArray(v)) out[k] = v.map(withTextChecks);
    else out[k] = v;
  }
  if (out.type === 'string') out.wellFormedText = true;
  return out;
}

function createAjv(opts: ValidatorOptions, useDefaults: boolean): Ajv {
  // `verbose` puts the failing value and its schema on each issue, which the dialects' wording needs.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, logger: false, useDefaults, coerceTypes: false, removeAdditional: false });
  for (const [name, validate] of Object.entries(opts.formats)) ajv.addFormat(name, { type: 'string', validate });
  const check = (_enabled: boolean, text: string): boolean => {
    const problem = textProblem(text);
    check.errors = problem ? [{ keyword: 'wellFormedText', params: { problem }, message: problem }] : undefined;
    return !problem;
  };
  check.errors = undefined as Array<Partial<Issue>> | undefined;
  ajv.addKeyword({ keyword: 'wellFormedText', type: 'string', schemaType: 'boolean', errors: true, validate: check });
  return ajv;
}

interface ObjectSchema {
  properties?: Record<string, { type?: string; anyOf?: Array<{ type?: string }> }>;
}

/** Whether a parameter's schema takes integers (possibly or null). */
function isIntegerSchema(s: { type?: string; anyOf?: Array<{ type?: string }> } | undefined): boolean {
  return s?.type === 'integer' || Boolean(s?.anyOf?.some((b) => b.type === 'integer'));
}

/**
 * Path and query parameters arrive as text: plain decimal integers become numbers where the schema
 * takes integers, and `true`/`false` booleans where it takes a boolean (anything else stays text and
 * fails the type check); repeated query parameters follow `repeated`.
 */
function typedParameters(schema: ObjectSchema, raw: object, repeated: ValidatorOptions['repeated'], issues: Issue[]): Json {
  const out: Json = {};
  for (const [name, value] of Object.entries(raw) as Array<[string, unknown]>) {
    let text: unknown = value;
    if (Array.isArray(value)) {
      if (repeated === 'refuse') {
        issues.push({ keyword: 'repeated', instancePath: `/${name}`, schemaPath: '#', params: {}, message: 'must be given once' });
        continue;
      }
      text = value[value.length - 1];
    }
    const property = schema.properties?.[name];
    if (typeof text === 'string' && isIntegerSchema(property)) out[name] = integerFromText(text) ?? text;
    else if (typeof text === 'string' && (property)?.type === 'boolean') out[name] = text === 'true' ? true : text === 'false' ? false : text;
    else out[name] = text;
  }
  return out;
}

/** One surface's validation: a compiler for Fastify, and the same checks callable on their own. */
export interface Validation {
  /** For `setValidatorCompiler`. */
  compiler: FastifySchemaCompiler<TSchema>;
  /** Checks one request part against a schema: the value (its type the schema's), or the issues. */
  check<S extends TSchema>(schema: S, part: HttpPart, data: unknown): { value: Static<S> } | { error: Issue[] };
}

/** Builds a surface's validation with its formats and parameter rules. */
export function createValidation(opts: ValidatorOptions): Validation {
  // Defaults fill parameters only: in a body, absent and default differ (an absent `expire` on a
  // Gcore PATCH keeps the expiry, an explicit null clears it).
  const forParameters = createAjv(opts, true);
  const forBodies = createAjv(opts, false);
  const compiled = new WeakMap<object, ValidateFunction>();
  const compile = (schema: TSchema, part: HttpPart): ValidateFunction => {
    let v = compiled.get(schema);
    if (!v) compiled.set(schema, (v = (part === 'body' ? forBodies : forParameters).compile((opts.textChecks ? withTextChecks(schema) : schema) as object)));
    return v;
  };
  const run = (validate: ValidateFunction, part: HttpPart, schema: TSchema, data: unknown): { value: unknown } | { error: Issue[] } => {
    if (data instanceof UnreadableBody) {
      return { error: [{ keyword: 'unreadableBody', instancePath: '', schemaPath: '#', params: { problem: data.problem }, message: data.problem }] };
    }
    const issues: Issue[] = [];
    let value = data;
    if ((part === 'params' || part === 'querystring') && data && typeof data === 'object') {
      value = typedParameters(schema, data, opts.repeated, issues);
    }
    if (!validate(value)) issues.push(...(validate.errors ?? []));
    return issues.length ? { error: issues } : { value };
  };
  return {
    compiler: ({ schema, httpPart }) => {
      const part = (httpPart ?? 'body') as HttpPart;
      const validate = compile(schema, part);
      return (data: unknown) => run(validate, part, schema, data);
    },
    // What Ajv accepted has the schema's type: the one place that says so.
    check: <S extends TSchema>(schema: S, part: HttpPart, data: unknown) => run(compile(schema, part), part, schema, data) as { value: Static<S> } | { error: Issue[] },
  };
}

/** `/containers/0/name` → `['containers', '0', 'name']`, JSON Pointer escapes undone. */
export function pointerSegments(instancePath: string): string[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The field an issue is about: its path, plus the missing or unexpected property for those keywords. */
export function issueSegments(issue: Issue): string[] {
  const segments = pointerSegments(issue.instancePath);
  const params = issue.params as { missingProperty?: string; additionalProperty?: string };
  if (issue.keyword === 'required' && params.missingProperty !== undefined) segments.push(params.missingProperty);
  if (issue.keyword === 'additionalProperties' && params.additionalProperty !== undefined) segments.push(params.additionalProperty);
  return segments;
}

/**
 * The issues a caller should read: the `null` branch of an optional-or-null field and the bare
 * "no branch matched" are noise next to the real branch's complaint.
 */
export function meaningfulIssues(issues: readonly Issue[]): Issue[] {
  return issues.filter((i) => i.keyword !== 'anyOf' && !(i.keyword === 'type' && (i.params as { type?: string }).type === 'null' && i.schemaPath.includes('/anyOf/')));
}

/** The sub-schema at a path of segments (through properties, items and anyOf branches). */
export function schemaAt(schema: unknown, segments: readonly string[]): Json | undefined {
  let cur = schema as Json | undefined;
  for (const seg of segments) {
    if (!cur) return undefined;
    const branch = Array.isArray(cur.anyOf) ? (cur.anyOf as Json[]).find((b) => b.type !== 'null') : cur;
    if (!branch) return undefined;
    if (branch.type === 'array') cur = branch.items as Json | undefined;
    else cur = (branch.properties as Record<string, Json> | undefined)?.[seg];
  }
  return cur;
}
