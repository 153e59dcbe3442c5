/** Pydantic-style validation driven by the TypeBox (JSON Schema) route schemas, with pydantic's wording. */

interface JsonSchema {
  type?: string;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  pattern?: string;
  format?: string;
  title?: string;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  default?: unknown;
}

/** Ordered `field path → messages`, as Gcore's `invalid_fields`. */
export type InvalidFields = Array<[string, string[]]>;

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** The range Python's datetime can hold, 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z; our output format needs it too. */
const FIRST_MS = -62135596800000;
const LAST_MS = 253402300799000;

/**
 * RFC 3339 date-time → epoch ms truncated to whole seconds, in UTC; no offset means UTC.
 * A bare date, impossible calendar values, a result outside years 1 to 9999 or anything else gives null.
 */
export function parseDateTime(text: string): number | null {
  const m = DATETIME.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  // setUTCFullYear, unlike Date.UTC, does not read years 0 to 99 as 1900 to 1999.
  const local = new Date(0);
  local.setUTCFullYear(y, mo - 1, d);
  local.setUTCHours(h, mi, s, 0);
  if (local.getUTCFullYear() !== y || local.getUTCMonth() !== mo - 1 || local.getUTCDate() !== d) return null;
  let offsetMin = 0;
  const tz = m[8];
  if (tz && tz !== 'Z' && tz !== 'z') {
    const digits = tz.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return null;
    offsetMin = (tz[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = local.getTime() - offsetMin * 60_000;
  return ms < FIRST_MS || ms > LAST_MS ? null : ms;
}

/** Formats epoch ms as Gcore does: `YYYY-MM-DDTHH:MM:SSZ`. */
export function gcoreTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

const LONE_SURROGATE = /\p{Surrogate}/u;
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/**
 * Checks `value` against `schema`, appending pydantic-worded problems to `errors` under dotted paths.
 * Object properties are visited in alphabetical order, so errors come out in the order Gcore lists them.
 */
export function validateValue(schema: JsonSchema, value: unknown, path: string, errors: InvalidFields): void {
  const add = (msg: string) => errors.push([path, [msg]]);
  if (schema.anyOf) {
    if (value === null && schema.anyOf.some((s) => s.type === 'null')) return;
    const branch = schema.anyOf.find((s) => s.type !== 'null');
    if (branch) validateValue(branch, value, path, errors);
    return;
  }
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') {
        if (typeof value !== 'string' || parseDateTime(value) === null) add('Input should be a valid datetime');
      } else if (typeof value !== 'string') add('Input should be a valid string');
      // A lone surrogate ("\ud800" is valid JSON) has no UTF-8 form: stored, it would come back changed.
      else if (LONE_SURROGATE.test(value)) add('Input should be a valid string, unable to parse raw data as a unicode string');
      // PostgreSQL text cannot hold NUL; refuse it up front rather than fail at the database.
      else if (value.includes('\0')) add('String should not contain NUL characters');
      else if (schema.pattern && !new RegExp(schema.pattern).test(value)) add(`String should match pattern '${schema.pattern}'`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') add('Input should be a valid boolean');
      return;
    case 'array':
      if (!Array.isArray(value)) {
        add('Input should be a valid list');
        return;
      }
      value.forEach((item, i) => validateValue(schema.items ?? {}, item, join(path, i), errors));
      return;
    case 'object': {
      if (!isPlainObject(value)) {
        add(path ? `Input should be a valid dictionary or instance of ${schema.title ?? 'object'}` : 'Input should be a valid dictionary');
        return;
      }
      const required = new Set(schema.required ?? []);
      for (const key of Object.keys(schema.properties ?? {}).sort()) {
        if (!(key in value)) {
          if (required.has(key)) errors.push([join(path, key), ['Field required']]);
          continue;
        }
        validateValue(schema.properties![key]!, value[key], join(path, key), errors);
      }
      return;
    }
    default:
      return;
  }
}

/** A plain decimal integer, as text: an optional minus and ASCII digits (leading zeros allowed). */
const INTEGER_TEXT = /^-?[0-9]+$/;

/** An integer schema's bounds in pydantic's words; undefined when `n` is within them. */
function boundsProblem(schema: JsonSchema, n: number): string | undefined {
  if (schema.exclusiveMinimum !== undefined && !(n > schema.exclusiveMinimum)) return `Input should be greater than ${schema.exclusiveMinimum}`;
  if (schema.minimum !== undefined && !(n >= schema.minimum)) return `Input should be greater than or equal to ${schema.minimum}`;
  if (schema.maximum !== undefined && !(n <= schema.maximum)) return `Input should be less than or equal to ${schema.maximum}`;
  return undefined;
}

/**
 * Checks path or query parameters (always text) against an object schema of integers and strings,
 * in the schema's declared order, appending problems under each parameter's name. Returns the parsed
 * values with defaults filled in, meaningful only when nothing was appended. A repeated query
 * parameter counts by its last value.
 */
export function validateParams(schema: JsonSchema, raw: Record<string, unknown>, errors: InvalidFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const value = raw[name];
    const text = Array.isArray(value) ? value[value.length - 1] : value;
    if (text === undefined) {
      if (required.has(name)) errors.push([name, ['Field required']]);
      else out[name] = prop.default;
      continue;
    }
    let problem: string | undefined;
    if (typeof text !== 'string') problem = 'Input should be a valid string';
    else if (prop.type === 'integer') {
      if (INTEGER_TEXT.test(text)) {
        out[name] = Number(text) + 0; // + 0 turns -0 into 0
        problem = boundsProblem(prop, out[name] as number);
      } else problem = 'Input should be a valid integer, unable to parse string as an integer';
    } else if (prop.minLength !== undefined && text.length < prop.minLength) {
      problem = `String should have at least ${prop.minLength} character${prop.minLength === 1 ? '' : 's'}`;
    } else out[name] = text;
    if (problem) errors.push([name, [problem]]);
  }
  return out;
}

/** Python's repr() of a str, which Gcore's messages embed. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return quote + out + quote;
}

/** `Validation Error: {'field': ['msg'], …}` exactly as Gcore writes it. */
export function validationMessage(fields: InvalidFields): string {
  return `Validation Error: {${fields.map(([k, msgs]) => `${pyRepr(k)}: [${msgs.map(pyRepr).join(', ')}]`).join(', ')}}`;
}
