import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

/**
 * A small history router: the console lives under /ui (keyhold answers every /ui/<path> with the
 * page), so a route is the path after /ui, e.g. "/api-keys".
 */

export const BASE = '/ui';
const CHANGE = 'keyhold:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

const snapshot = () => location.pathname + location.search;

/** The route ("/", "/ssh-keys", …) and its query. */
export function useRoute(): { path: string; query: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(current, location.origin);
  let path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
  if (path === '' || path === '/') path = '/';
  else path = path.replace(/\/+$/, '');
  return { path, query: url.searchParams };
}

/** Go to a route of the console ("/tokens"). */
export function navigate(to: string, opts: { replace?: boolean; state?: unknown } = {}): void {
  const url = BASE + (to === '/' ? '' : to);
  if (opts.replace) history.replaceState(opts.state ?? null, '', url);
  else history.pushState(opts.state ?? null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; current?: boolean };

/** A real link (it opens in a new tab, is read as a link) that navigates in place on a plain click. */
export function Link({ to, current, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={BASE + (to === '/' ? '' : to)} aria-current={current ? 'page' : undefined} onClick={handle} {...rest} />;
}
