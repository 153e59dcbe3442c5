/** Helpers for reading raw JSON bodies the way the upstream servers do, without trusting JSON.parse's object order. */

const decoder = new TextDecoder('utf-8', { fatal: true });

/** PHP's json_decode and Python's json both refuse nesting deeper than this. */
export const MAX_JSON_DEPTH = 512;

export type ParsedJson = { ok: true; value: unknown; keys: string[] | null } | { ok: false };

/** Does the text nest arrays/objects deeper than `max`? Scans without recursion, skipping strings. */
function tooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** The keys of a top-level JSON object in the order they appear (first occurrence wins the position). */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
        expectKey = false;
      }
      i = j;
    } else if (ch === '{' || ch === '[') {
      depth++;
      if (depth === 1 && ch === '{') expectKey = true;
    } else if (ch === '}' || ch === ']') depth--;
    else if (ch === ',' && depth === 1) expectKey = true;
  }
  return keys;
}

/**
 * Decodes a request body as strict UTF-8 JSON. Invalid UTF-8, bad syntax and excessive nesting all fail.
 * With `keyOrder`, a top-level object also gets `keys`: its keys in wire order (JSON.parse moves numeric ones first).
 */
export function parseJsonBody(body: Buffer | undefined, opts: { keyOrder?: boolean } = {}): ParsedJson {
  if (!body || body.length === 0) return { ok: false };
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    return { ok: false };
  }
  if (tooDeep(text, MAX_JSON_DEPTH)) return { ok: false };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  return { ok: true, value, keys: isObject && opts.keyOrder ? topLevelKeys(text) : null };
}

/** JSON.stringify for an ordered list of entries, keeping the order even for numeric-looking keys. */
export function orderedJson(entries: ReadonlyArray<readonly [string, unknown]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}
