import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { orderedJson, parseJsonBody } from '../json-input.js';
import { rawBody } from '../raw-body.js';

/** The request body both Coolify write routes document (upstream's own extract declares the same). */
export const KeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 255 })),
    description: Type.Optional(Type.String({ maxLength: 255 })),
    private_key: Type.String(),
  },
  { additionalProperties: false },
);
export type KeyBodyT = Static<typeof KeyBody>;

const RULE_FIELDS = ['name', 'description', 'private_key'] as const;

/** A Coolify answer other than success: status and exact JSON text. */
export interface CoolifyFailure {
  status: number;
  body: string;
}

const gate = (error: string): CoolifyFailure => ({ status: 400, body: JSON.stringify({ message: 'Invalid request.', error }) });

// Laravel's Str::trim: Unicode whitespace plus U+FEFF, U+200B, U+200E and NUL.
const TRIM = /^[\s\u0000\u200B\u200E\uFEFF]+|[\s\u0000\u200B\u200E\uFEFF]+$/gu;

/** TrimStrings + ConvertEmptyStringsToNull at any depth, iteratively so no input can exhaust the stack. */
function normalize(value: unknown): unknown {
  const fix = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const t = v.replace(TRIM, '');
    return t === '' ? null : t;
  };
  const root = { v: value } as Record<string, unknown>;
  const stack: Array<Record<string, unknown> | unknown[]> = [root];
  while (stack.length) {
    const node = stack.pop()!;
    for (const k of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[k];
      if (child !== null && typeof child === 'object') stack.push(child as Record<string, unknown>);
      else (node as Record<string, unknown>)[k] = fix(child);
    }
  }
  return root.v;
}

/** PHP's notion of a falsy decoded JSON value. */
function phpFalsy(v: unknown): boolean {
  return v === null || v === false || v === 0 || v === '' || v === '0' || (Array.isArray(v) && v.length === 0);
}

/** Ordered input entries: body keys in wire order, then query parameters the body does not have. */
export type Input = Array<[string, unknown]>;

/**
 * Coolify's `validateIncomingRequest` gate, then Laravel's input merge and middleware normalisation.
 * Returns the ordered input or the 400 to send.
 */
export function readInput(request: FastifyRequest): { input: Input } | { failure: CoolifyFailure } {
  const ct = request.clientContentType ?? '';
  if (!ct.includes('/json') && !ct.includes('+json')) return { failure: gate('Content-Type must be application/json.') };
  const parsed = parseJsonBody(rawBody(request), { keyOrder: true });
  if (!parsed.ok || phpFalsy(parsed.value)) return { failure: gate('Invalid JSON.') };
  const v = parsed.value;
  let entries: Input;
  if (parsed.keys) {
    if (parsed.keys.length === 0) return { failure: gate('Empty JSON.') };
    entries = parsed.keys.map((k) => [k, (v as Record<string, unknown>)[k]]);
  } else if (Array.isArray(v)) {
    entries = v.map((item, i) => [String(i), item]);
  } else {
    entries = [['0', v]]; // PHP's (array) cast of a scalar
  }
  const seen = new Set(entries.map(([k]) => k));
  for (const [k, qv] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (!seen.has(k)) entries.push([k, qv]);
  }
  return { input: entries.map(([k, val]) => [k, normalize(val)]) };
}

const label = (field: string) => field.replace(/_/g, ' ');

/**
 * Laravel validation with Coolify's rules: `name`/`description` `string|max:255`, `private_key` `required|string`,
 * and on PATCH `This field is not allowed.` for anything else. Errors keep rule order, then input order.
 */
export function validateInput(input: Input, opts: { patch: boolean }): { values: Partial<Record<(typeof RULE_FIELDS)[number], string>> } | { failure: CoolifyFailure } {
  const map = new Map(input);
  const errors: Array<[string, string[]]> = [];
  const values: Partial<Record<(typeof RULE_FIELDS)[number], string>> = {};
  for (const field of RULE_FIELDS) {
    const present = map.has(field);
    const v = map.get(field);
    const msgs: string[] = [];
    if (field === 'private_key' && (!present || v === null || (Array.isArray(v) && v.length === 0))) {
      msgs.push('This field is required.');
    } else if (present) {
      const maxLength = (KeyBody.properties[field] as { maxLength?: number }).maxLength;
      if (typeof v !== 'string') msgs.push(`The ${label(field)} field must be a string.`);
      else if (maxLength !== undefined && [...v].length > maxLength) msgs.push(`The ${label(field)} field must not be greater than ${maxLength} characters.`);
      else values[field] = v;
    }
    if (msgs.length) errors.push([field, msgs]);
  }
  if (opts.patch) {
    for (const [k] of input) if (!(RULE_FIELDS as readonly string[]).includes(k)) errors.push([k, ['This field is not allowed.']]);
  }
  if (errors.length === 0) return { values };
  return { failure: { status: 422, body: `{"message":"Validation failed.","errors":${orderedJson(errors)}}` } };
}

/** PHP's non-strict base64_decode: skip every character outside the alphabet, drop an incomplete tail. */
export function phpBase64Decode(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  return Buffer.from(clean.slice(0, clean.length - (clean.length % 4 === 1 ? 1 : 0)), 'base64').toString('latin1');
}

/** HasSafeStringAttribute's strip_tags, approximated: drop `<…>` runs, an unclosed `<` to the end, and NUL bytes (as PHP does). */
export function stripTags(text: string): string {
  return text.replace(/<[^>]*>/g, '').replace(/<[\s\S]*$/, '').replace(/\0/g, '');
}
