/** A plain decimal integer as text: an optional minus and ASCII digits (leading zeros allowed). */
const INTEGER_TEXT = /^-?[0-9]+$/;

/**
 * The integer a text spells in plain decimal (no sign but `-`, no spaces, exponents, hex or
 * separators), or undefined. `-0` reads as 0. Values beyond 2^53 are returned as the nearest
 * double: callers bound them with a maximum.
 */
export function integerFromText(text: string): number | undefined {
  return INTEGER_TEXT.test(text) ? Number(text) + 0 : undefined;
}

/** The integer a text spells if it lies within [min, max]; undefined otherwise. */
export function integerInRange(text: string, min: number, max: number): number | undefined {
  const n = integerFromText(text.trim());
  return n !== undefined && n >= min && n <= max ? n : undefined;
}
