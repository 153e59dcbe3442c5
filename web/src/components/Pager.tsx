interface Props {
  /** Pages before this one (the cursors that led here). */
  depth: number;
  next: string | null | undefined;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
  /** ["key", "keys"], ["event", "events"]. */
  noun: [string, string];
  shown: number;
  loading: boolean;
}

/** Cursor paging: keyhold answers a next_cursor; going back replays the cursors that led here. */
export function Pager({ depth, next, onFirst, onPrevious, onNext, noun, shown, loading }: Props) {
  if (depth === 0 && !next) return null;
  return (
    <nav className="pager" aria-label={`Pages of ${noun[1]}`}>
      <span className="pager-where">
        Page {depth + 1} · {loading ? 'loading…' : `${shown} ${shown === 1 ? noun[0] : noun[1]}`}
      </span>
      <button type="button" className="button small" onClick={onFirst} disabled={depth === 0}>
        First
      </button>
      <button type="button" className="button small" onClick={onPrevious} disabled={depth === 0}>
        Previous
      </button>
      <button type="button" className="button small" onClick={() => next && onNext(next)} disabled={!next || loading}>
        Next
      </button>
    </nav>
  );
}
