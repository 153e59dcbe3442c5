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
}

/** Ordered `field path → messages`, as Gcore's `invalid_fields`. */
export type InvalidFields = Array<[string, string[]]>;

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * RFC 3339 date-time → epoch ms truncated to whole seconds, in UTC; no offset means UTC.
 * A bare date, impossible calendar values or anything else gives null.
 */
export function parseDateTime(text: string): number | null {
  const m = DATETIME.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(local);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  let offsetMin = 0;
  const tz = m[8];
  if (tz && tz !== 'Z' && tz !== 'z') {
    const digits = tz.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return null;
    offsetMin = (tz[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return local - offsetMin * 60_000;
}

/** Formats epoch ms as Gcore does: `YYYY-MM-DDTHH:MM:SSZ`. */
export function gcoreTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

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

const MAX_INT32 = 2147483647;

/** A path or query integer as pydantic parses it from text, with optional bounds. */
export function checkInteger(
  name: string,
  raw: unknown,
  bounds: { gt?: number; ge?: number; le?: number },
  errors: InvalidFields,
): number | undefined {
  const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (typeof text !== 'string' || !/^[+-]?\d+$/.test(text.trim())) {
    errors.push([name, ['Input should be a valid integer, unable to parse string as an integer']]);
    return undefined;
  }
  const n = Number(text.trim());
  const le = bounds.le ?? MAX_INT32;
  if (bounds.gt !== undefined && !(n > bounds.gt)) errors.push([name, [`Input should be greater than ${bounds.gt}`]]);
  else if (bounds.ge !== undefined && !(n >= bounds.ge)) errors.push([name, [`Input should be greater than or equal to ${bounds.ge}`]]);
  else if (n > le) errors.push([name, [`Input should be less than or equal to ${le}`]]);
  else return n;
  return undefined;
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
