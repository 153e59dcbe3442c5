import type { ValidationFailure } from '../dialect.js';
import { type Issue, issueSegments, meaningfulIssues, schemaAt } from '../validation.js';

/**
 * keyhold's own validation wording: one sentence per problem, naming the field (`limit`,
 * `container.name`), joined with "; " in the order the schema declares the fields, unknown
 * parameters first.
 */

type Json = Record<string, unknown>;

const ARTICLE: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  null: 'null',
};

/** An integer field bounded on both sides reads best as one range, whichever bound (or the type) failed. */
function rangeOf(schema: Json | undefined): string | undefined {
  if (schema?.type !== 'integer' || typeof schema.minimum !== 'number' || typeof schema.maximum !== 'number') return undefined;
  return `an integer from ${schema.minimum} to ${schema.maximum}`;
}

function sentence(issue: Issue, field: string, part: ValidationFailure['part']): string {
  const p = issue.params as Record<string, unknown>;
  const parent: Json | undefined = issue.parentSchema;
  const subject = field || (part === 'body' ? 'the body' : part);
  switch (issue.keyword) {
    case 'unreadableBody':
      return p.problem === 'invalid_json' ? 'the body is not valid JSON' : p.problem === 'missing' ? 'a JSON body is required' : 'the body must be a JSON object';
    case 'required':
      return `${subject} is required`;
    case 'repeated':
      return `${subject} must be given once`;
    case 'type':
    case 'minimum':
    case 'maximum': {
      const range = rangeOf(parent);
      if (range) return `${subject} must be ${range}`;
      if (issue.keyword === 'minimum') return `${subject} must be at least ${String(p.limit)}`;
      if (issue.keyword === 'maximum') return `${subject} must be at most ${String(p.limit)}`;
      return `${subject} must be ${ARTICLE[String(p.type)] ?? String(p.type)}`;
    }
    case 'exclusiveMinimum':
      return `${subject} must be greater than ${String(p.limit)}`;
    case 'format':
      return p.format === 'date-time' ? `${subject} must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T12:00:00Z` : `${subject} must be a valid ${String(p.format)}`;
    case 'wellFormedText':
      return p.problem === 'nul' ? `${subject} must not contain NUL characters` : `${subject} must be valid Unicode text`;
    case 'minLength':
      return Number(p.limit) === 1 ? `${subject} must not be empty` : `${subject} must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `${subject} must be at most ${String(p.limit)} characters`;
    case 'pattern':
      // Never the regular expression itself: the schema says in words what is allowed.
      return `${subject} must be ${typeof parent?.['x-expected'] === 'string' ? parent['x-expected'] : 'in the form the API reference shows (/docs)'}`;
    case 'enum':
      return `${subject} must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `${subject} must be ${String(p.allowedValue)}`;
    case 'minItems':
      return `${subject} must have at least ${String(p.limit)} item${Number(p.limit) === 1 ? '' : 's'}`;
    case 'maxItems':
      return `${subject} must have at most ${String(p.limit)} items`;
    default:
      return `${subject} ${issue.message ?? 'is invalid'}`;
  }
}

/** "unknown parameter foo (known: a, b)" for every unexpected property of one object. */
function unknownSentence(names: string[], known: string[], part: ValidationFailure['part'], where: string): string {
  const noun = part === 'body' ? 'field' : 'parameter';
  const plural = names.length > 1 ? 's' : '';
  return `unknown ${noun}${plural} ${names.map((n) => (where ? `${where}.${n}` : n)).join(', ')} (known: ${known.join(', ')})`;
}

/** The problems of one request part as one message. */
export function describeFailure(failure: ValidationFailure, schema: unknown): string {
  const issues = mergeAlternatives(meaningfulIssues(failure.issues));
  const unknown = new Map<string, string[]>();
  const rest: Array<{ order: number; text: string }> = [];
  for (const issue of issues) {
    const segments = issueSegments(issue);
    if (issue.keyword === 'additionalProperties') {
      const where = segments.slice(0, -1).join('.');
      unknown.set(where, [...(unknown.get(where) ?? []), segments[segments.length - 1]!]);
      continue;
    }
    const top = segments[0];
    const declared = Object.keys((schemaAt(schema, []) as { properties?: Json } | undefined)?.properties ?? {});
    const order = top === undefined ? -1 : declared.indexOf(top) === -1 ? declared.length : declared.indexOf(top);
    rest.push({ order, text: sentence(issue, segments.join('.'), failure.part) });
  }
  const sentences = [...unknown.entries()].map(([where, names]) => {
    const known = Object.keys((schemaAt(schema, where ? where.split('.') : []) as { properties?: Json } | undefined)?.properties ?? {});
    return unknownSentence(names, known, failure.part, where);
  });
  rest.sort((a, b) => a.order - b.order);
  for (const { text } of rest) if (!sentences.includes(text)) sentences.push(text);
  return sentences.join('; ');
}

/** A union of literals fails once per literal ("must be Active", "must be Disabled", …): one sentence listing them. */
function mergeAlternatives(issues: Issue[]): Issue[] {
  const byField = new Map<string, unknown[]>();
  for (const i of issues) if (i.keyword === 'const') byField.set(i.instancePath, [...(byField.get(i.instancePath) ?? []), (i.params as { allowedValue: unknown }).allowedValue]);
  const out: Issue[] = [];
  const done = new Set<string>();
  for (const i of issues) {
    const values = byField.get(i.instancePath);
    if (i.keyword !== 'const' || !values || values.length < 2) out.push(i);
    else if (!done.has(i.instancePath)) {
      done.add(i.instancePath);
      out.push({ ...i, keyword: 'enum', params: { allowedValues: values } });
    }
  }
  return out;
}
