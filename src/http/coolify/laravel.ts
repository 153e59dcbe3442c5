import { type Issue, issueSegments } from '../validation.js';

/**
 * Laravel's validation messages for Ajv's issues, with Coolify's one override ("This field is
 * required."), ordered as Laravel reports them: fields in rule order (the schema's declared
 * properties), then unknown fields in input order.
 */

const label = (field: string) => field.replace(/_/g, ' ');

/** What Laravel's `required` rule calls empty: null, an empty string or an empty array/object. */
function laravelEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

function message(issue: Issue, field: string, required: boolean): string {
  const p = issue.params as { limit?: number; type?: string };
  switch (issue.keyword) {
    case 'required':
      return 'This field is required.';
    case 'type':
      // `required` runs before `string`: an empty value fails it first.
      if (required && laravelEmpty(issue.data)) return 'This field is required.';
      return `The ${label(field)} field must be a ${p.type === 'integer' ? 'integer' : (p.type ?? 'string')}.`;
    case 'maxLength':
      return `The ${label(field)} field must not be greater than ${p.limit} characters.`;
    case 'minLength':
      return `The ${label(field)} field must be at least ${p.limit} characters.`;
    case 'additionalProperties':
      return 'This field is not allowed.';
    default:
      return `The ${label(field)} field is invalid.`;
  }
}

/**
 * `{"field": [messages]}` entries in Laravel's order. `ruleOrder` is the body schema's property
 * names (the rules), `required` its required ones, `inputOrder` the input's keys as sent.
 */
export function laravelErrors(issues: readonly Issue[], ruleOrder: readonly string[], required: readonly string[], inputOrder: readonly string[]): Array<[string, string[]]> {
  const byField = new Map<string, string[]>();
  for (const issue of issues) {
    const field = issueSegments(issue)[0] ?? '';
    const list = byField.get(field) ?? [];
    const text = message(issue, field, required.includes(field));
    if (!list.includes(text)) list.push(text);
    byField.set(field, list);
  }
  const position = (field: string) => {
    const rule = ruleOrder.indexOf(field);
    return rule !== -1 ? rule : ruleOrder.length + Math.max(0, inputOrder.indexOf(field));
  };
  return [...byField.entries()].sort(([a], [b]) => position(a) - position(b));
}
