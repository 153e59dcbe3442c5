import { useState } from 'react';

/** The cursor of the page on show, and the ones before it (keyhold's cursors only go forwards). */
export function useCursor() {
  const [trail, setTrail] = useState<(string | undefined)[]>([]);
  const [cursor, setCursor] = useState<string>();
  return {
    cursor,
    depth: trail.length,
    next: (c: string) => {
      setTrail([...trail, cursor]);
      setCursor(c);
    },
    previous: () => {
      setCursor(trail[trail.length - 1]);
      setTrail(trail.slice(0, -1));
    },
    first: () => {
      setTrail([]);
      setCursor(undefined);
    },
  };
}
