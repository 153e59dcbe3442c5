import type { TSchema } from 'typebox';
import { type HttpPart, type Issue, issueSegments, meaningfulIssues, schemaAt } from '../validation.js';

/**
 * Gcore's validation errors are pydantic's (FastAPI): every problem of the path, the query and the
 * body in one list, one message per field, under dotted field paths. This words Ajv's issues that way.
 */

/** Ordered `field path → messages`, as Gcore's `invalid_fields`. */
export type InvalidFields = Array<[string, string[]]>;

type Json = Record<string, unknown>;

/** FastAPI checks the path, then the query, then the body. */
export const PART_ORDER: readonly HttpPart[] = ['params', 'querystring', 'body'];

/** Which issue speaks for a field when Ajv reports several (pydantic stops at the first failing check). */
const PRIORITY = ['unreadableBody', 'required', 'type', 'wellFormedText', 'format', 'const', 'enum', 'pattern', 'minLength', 'maxLength'];
const rank = (i: Issue) => {
  const r = PRIORITY.indexOf(i.keyword);
  return r === -1 ? PRIORITY.length : r;
};

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`: pydantic's list of allowed values. */
function alternatives(values: readonly unknown[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? pyRepr(v) : String(v)));
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function typeMessage(issue: Issue, atRoot: boolean, part: HttpPart): string {
  const parent = (issue.parentSchema ?? {}) as Json;
  switch ((issue.params as { type?: string }).type) {
    case 'string':
      return parent.format === 'date-time' ? 'Input should be a valid datetime' : 'Input should be a valid string';
    case 'boolean':
      return 'Input should be a valid boolean';
    case 'array':
      return 'Input should be a valid list';
    case 'object':
      return atRoot ? 'Input should be a valid dictionary' : `Input should be a valid dictionary or instance of ${typeof parent.title === 'string' ? parent.title : 'object'}`;
    case 'integer':
      return part === 'body' && typeof issue.data !== 'string' ? 'Input should be a valid integer' : 'Input should be a valid integer, unable to parse string as an integer';
    case 'number':
      return 'Input should be a valid number';
    default:
      return 'Input should be None';
  }
}

/** One issue in pydantic's words. */
function message(issue: Issue, atRoot: boolean, part: HttpPart): string {
  const p = issue.params as Record<string, unknown>;
  switch (issue.keyword) {
    case 'unreadableBody':
      return p.problem === 'invalid_json' ? 'Invalid JSON' : p.problem === 'missing' ? 'Field required' : 'Input should be a valid dictionary';
    case 'required':
      return 'Field required';
    case 'type':
      return typeMessage(issue, atRoot, part);
    case 'wellFormedText':
      return p.problem === 'surrogate' ? 'Input should be a valid string, unable to parse raw data as a unicode string' : 'String should not contain NUL characters';
    case 'format':
      return p.format === 'date-time' ? 'Input should be a valid datetime' : `Input should be a valid ${String(p.format)}`;
    case 'pattern':
      return `String should match pattern '${String(p.pattern)}'`;
    case 'minLength':
      return `String should have at least ${plural(Number(p.limit), 'character')}`;
    case 'maxLength':
      return `String should have at most ${plural(Number(p.limit), 'character')}`;
    case 'minimum':
      return `Input should be greater than or equal to ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `Input should be greater than ${String(p.limit)}`;
    case 'maximum':
      return `Input should be less than or equal to ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `Input should be less than ${String(p.limit)}`;
    case 'const':
      return `Input should be ${alternatives([p.allowedValue])}`;
    case 'enum':
      return `Input should be ${alternatives(p.allowedValues as unknown[])}`;
    case 'additionalProperties':
      return 'Extra inputs are not permitted';
    case 'minItems':
      return `List should have at least ${plural(Number(p.limit), 'item')} after validation`;
    case 'maxItems':
      return `List should have at most ${plural(Number(p.limit), 'item')} after validation`;
    default:
      return issue.message ?? 'Input is invalid';
  }
}

/** Where a field comes in pydantic's report: by declared property order, array items by index. */
function position(schema: TSchema, segments: readonly string[]): number[] {
  return segments.map((seg, i) => {
    const parent = schemaAt(schema, segments.slice(0, i));
    const branch = parent && Array.isArray(parent.anyOf) ? (parent.anyOf as Json[]).find((b) => b.type !== 'null') : parent;
    if (branch?.type === 'array') return Number(seg);
    const names = Object.keys((branch?.properties as Json | undefined) ?? {});
    const at = names.indexOf(seg);
    return at === -1 ? names.length : at;
  });
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Gcore's `invalid_fields` for the issues of each request part: parts in FastAPI's order, fields in
 * declared order, one message per field (the first check pydantic would fail). Path and query
 * parameters go by their names; body fields by dotted paths, or `body` for the body itself.
 */
export function invalidFields(parts: ReadonlyArray<{ part: HttpPart; schema: TSchema; issues: readonly Issue[] }>): InvalidFields {
  const out: InvalidFields = [];
  for (const { part, schema, issues } of [...parts].sort((a, b) => PART_ORDER.indexOf(a.part) - PART_ORDER.indexOf(b.part))) {
    const byField = new Map<string, { segments: string[]; issue: Issue }>();
    for (const issue of meaningfulIssues(issues)) {
      const segments = issueSegments(issue);
      const key = segments.length ? segments.join('.') : 'body';
      const seen = byField.get(key);
      if (!seen || rank(issue) < rank(seen.issue)) byField.set(key, { segments, issue });
    }
    const fields = [...byField.entries()].sort(([, a], [, b]) => compareNumbers(position(schema, a.segments), position(schema, b.segments)));
    for (const [key, { segments, issue }] of fields) out.push([key, [message(issue, segments.length === 0, part)]]);
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
