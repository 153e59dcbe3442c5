import { MAX_ID } from './types.js';

/**
 * Opaque page cursors: `<direction>:<id>` in base64url. A cursor is only ever one this server
 * issued; anything else decodes to undefined.
 */
export type CursorDirection = 'before' | 'after';

export const encodeCursor = (direction: CursorDirection, id: number) => Buffer.from(`${direction}:${id}`).toString('base64url');

export function decodeCursor(direction: CursorDirection, cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(before|after):([1-9]\d{0,9})$/.exec(text);
  if (!m || m[1] !== direction) return undefined;
  const id = Number(m[2]);
  return id <= MAX_ID ? id : undefined;
}
