interface Props {
  /** Pages before this one (the cursors that led here). */
  depth: number;
  next: string | null | undefined;
  onFirst(): void;
  onPrevious(): void;
  onNext(cursor: string): void;
  /** "keys", "events". */
  noun: string;
  shown: number;
}

/** Cursor paging: keyhold answers a next_cursor; going back replays the cursors that led here. */
export function Pager({ depth, next, onFirst, onPrevious, onNext, noun, shown }: Props) {
  if (depth === 0 && !next) return null;
  return (
    <nav className="pager" aria-label={`Pages of ${noun}`}>
      <span className="pager-where">
        Page {depth + 1} · {shown} {noun}
      </span>
      <button type="button" className="button small" onClick={onFirst} disabled={depth === 0}>
        First
      </button>
      <button type="button" className="button small" onClick={onPrevious} disabled={depth === 0}>
        Previous
      </button>
      <button type="button" className="button small" onClick={() => next && onNext(next)} disabled={!next}>
        Next
      </button>
    </nav>
  );
}
