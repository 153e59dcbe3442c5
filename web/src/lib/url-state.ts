import { navigate, useRoute } from './router';

type Changes = Record<string, string | number | undefined | null>;

/**
 * A page's filters and paging kept in its address (`/api-keys?status=Active&q=shop`): a bookmark
 * or a shared link opens the same list, and Back goes to the previous filters or page.
 */
export function useUrlQuery() {
  const { path, query } = useRoute();
  /** A new history entry with these parameters changed (undefined, null or '' removes one). */
  const update = (changes: Changes, opts: { replace?: boolean; state?: unknown; keep?: boolean } = {}) => {
    const next = opts.keep === false ? new URLSearchParams() : new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    const search = next.toString();
    navigate(`${path}${search ? `?${search}` : ''}`, opts);
  };
  return { query, update };
}

interface PagingState {
  /** The cursors of the pages before this one, as followed in this tab. */
  trail?: (string | null)[];
}

/**
 * Cursor paging in the address: `cursor` (keyhold's next_cursor) and `page` (its number, for
 * people). The cursors that led here ride in the history entry, so Previous replays them; a
 * bookmarked later page goes back to the first.
 */
export function useUrlPaging() {
  const { query, update } = useUrlQuery();
  const cursor = query.get('cursor') ?? undefined;
  const page = Math.max(1, Number(query.get('page')) || 1);
  const state = (history.state ?? {}) as PagingState;
  const trail = cursor ? (state.trail ?? []) : [];
  return {
    cursor,
    depth: cursor ? page - 1 : 0,
    next: (c: string) => update({ cursor: c, page: page + 1 }, { state: { trail: [...trail, cursor ?? null] } satisfies PagingState }),
    previous: () => {
      const before = trail.length === page - 1 ? trail[trail.length - 1] : null;
      if (before) update({ cursor: before, page: page - 1 }, { state: { trail: trail.slice(0, -1) } satisfies PagingState });
      else update({ cursor: undefined, page: undefined });
    },
    first: () => update({ cursor: undefined, page: undefined }),
  };
}
