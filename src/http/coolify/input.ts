import type { FastifyRequest } from 'fastify';
import { Rejection } from '../dialect.js';
import { parseJsonBody } from '../json-input.js';

/**
 * Coolify's `validateIncomingRequest` gate, then Laravel's input merge and middleware normalisation
 * (docs/compatibility.md): what validation sees is neither the raw body nor JSON.parse's object.
 */

const gate = (error: string) => new Rejection(400, JSON.stringify({ message: 'Invalid request.', error }));

// Laravel's Str::trim: Unicode whitespace plus U+FEFF, U+200B, U+200E and NUL.
const TRIM = /^[\s\u0000\u200B\u200E\uFEFF]+|[\s\u0000\u200B\u200E\uFEFF]+$/gu;

/** TrimStrings + ConvertEmptyStringsToNull at any depth, iteratively so no input can exhaust the stack. */
function normalize(value: unknown): unknown {
  const fix = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const t = v.replace(TRIM, '');
    return t === '' ? null : t;
  };
  const root: Record<string, unknown> = { v: value };
  const stack: Array<Record<string, unknown> | unknown[]> = [root];
  while (stack.length) {
    const node = stack.pop()!;
    for (const k of Object.keys(node)) {
      const child: unknown = (node as Record<string, unknown>)[k];
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

/** The request's input in order, or a Rejection (400) for what the gate refuses. */
export function readInput(request: FastifyRequest, raw: Buffer | undefined): Input {
  const ct = request.clientContentType ?? '';
  if (!ct.includes('/json') && !ct.includes('+json')) throw gate('Content-Type must be application/json.');
  const parsed = parseJsonBody(raw, { keyOrder: true });
  if (!parsed.ok || phpFalsy(parsed.value)) throw gate('Invalid JSON.');
  const v = parsed.value;
  let entries: Input;
  if (parsed.keys) {
    if (parsed.keys.length === 0) throw gate('Empty JSON.');
    const object = v as Record<string, unknown>;
    entries = parsed.keys.map((k) => [k, object[k]]);
  } else if (Array.isArray(v)) {
    entries = v.map((item, i) => [String(i), item]);
  } else {
    entries = [['0', v]]; // PHP's (array) cast of a scalar
  }
  const seen = new Set(entries.map(([k]) => k));
  for (const [k, qv] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (!seen.has(k)) entries.push([k, qv]);
  }
  return entries.map(([k, val]) => [k, normalize(val)]);
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
