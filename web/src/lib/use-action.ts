import { useCallback, useEffect, useRef, useState } from 'react';

export interface Action<A extends unknown[], T> {
  /** Runs the action: `busy` until it settles; a failure lands in `error` (and the promise answers undefined). */
  run: (...args: A) => Promise<T | undefined>;
  busy: boolean;
  /** The last run's failure, until the next run or `reset`. */
  error: unknown;
  reset: () => void;
}

/**
 * One mutation: its busy state and its failure, so that a form or button does not hand-write
 * setBusy / try / catch / finally. A second run while one is on its way is ignored.
 */
export function useAction<A extends unknown[], T>(fn: (...args: A) => Promise<T>): Action<A, T> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const running = useRef(false);
  const live = useRef(true);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  const run = useCallback(async (...args: A) => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      return await latest.current(...args);
    } catch (e) {
      if (live.current) setError(e);
      return undefined;
    } finally {
      running.current = false;
      if (live.current) setBusy(false);
    }
  }, []);
  const reset = useCallback(() => setError(undefined), []);
  return { run, busy, error, reset };
}
