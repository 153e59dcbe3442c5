import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  /** The last answer; while `loading`, possibly one for earlier deps. */
  data: T | undefined;
  error: unknown;
  /** True from the render in which `deps` change (or reload is asked) until their answer is in. */
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change (or on reload); a later answer replaces an earlier one, never the other way round. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [tick, setTick] = useState(0);
  const key = JSON.stringify([...deps, tick]);
  const [state, setState] = useState<{ data?: T; error?: unknown; for?: string }>({});
  const latest = useRef(key);
  latest.current = key;
  useEffect(() => {
    load().then(
      (data) => latest.current === key && setState({ data, for: key }),
      (error: unknown) => latest.current === key && setState((s) => ({ data: s.data, error, for: key })),
    );
    // `key` stands for `deps` (and reloads).
  }, [key]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.for === key ? state.error : undefined, loading: state.for !== key, reload };
}
