import { type ReactNode, useState } from 'react';
import { messageOf } from '../lib/api';
import { ToastRegion } from './Toasts';
import { Link, useRoute } from '../lib/router';
import { useMe, useSession } from '../lib/session';
import type { Ability } from '../lib/abilities';

interface NavItem {
  to: string;
  label: string;
  needs: Ability;
}

/** The pages, and the ability each needs to be of any use (keyhold refuses the rest anyway). */
export const NAV: NavItem[] = [
  { to: '/', label: 'Overview', needs: 'read' },
  { to: '/ssh-keys', label: 'SSH keys', needs: 'read' },
  { to: '/ssh-ca', label: 'SSH CA', needs: 'read' },
  { to: '/api-keys', label: 'API keys', needs: 'read' },
  { to: '/projects', label: 'Projects', needs: 'read' },
  { to: '/tokens', label: 'Tokens', needs: 'root' },
  // Endpoints' signing secrets and receivers' answers: the webhook routes need root.
  { to: '/webhooks', label: 'Webhooks', needs: 'root' },
  { to: '/teams', label: 'Teams', needs: 'admin' },
  { to: '/audit', label: 'Audit', needs: 'root' },
];

/** Header (team, navigation, sign out) and the page's main landmark. */
export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  const session = useSession();
  const { path } = useRoute();
  const [signOutError, setSignOutError] = useState<string>();
  const items = NAV.filter((n) => session.can(n.needs));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="top-inner">
          <Link to="/" className="brand">
            keyhold
          </Link>
          <nav aria-label="Console">
            <ul>
              {items.map((n) => (
                <li key={n.to}>
                  <Link to={n.to} current={path === n.to}>
                    {n.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="who">
            <span className="who-text">
              <span className="visually-hidden">Signed in to team </span>
              <strong>{me.team.name}</strong>
              <span className="who-token"> · {me.token.name}</span>
            </span>
            <button type="button" className="button small" onClick={() => void session.signOut().catch((e: unknown) => setSignOutError(messageOf(e)))}>
              Sign out
            </button>
          </div>
        </div>
        {signOutError && (
          <div className="error" role="alert">
            Sign-out failed: {signOutError}
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <ToastRegion />
        {children}
      </main>
    </>
  );
}
