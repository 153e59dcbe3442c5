import type { ReactElement } from 'react';
import { Layout, NAV } from './components/Layout';
import { Page } from './components/Page';
import { ApiKeys } from './pages/api-keys/ApiKeys';
import { ApiKeyUsage } from './pages/api-keys/ApiKeyUsage';
import { Audit } from './pages/Audit';
import { Overview } from './pages/Overview';
import { Projects } from './pages/Projects';
import { Setup } from './pages/Setup';
import { SignIn } from './pages/SignIn';
import { SshCa } from './pages/ssh-ca/SshCa';
import { SshKeys } from './pages/ssh-keys/SshKeys';
import { Teams } from './pages/Teams';
import { Tokens } from './pages/Tokens';
import { Webhooks } from './pages/webhooks/Webhooks';
import { Link, useRoute } from './lib/router';
import { useSession } from './lib/session';

const PAGES: Record<string, () => ReactElement> = {
  '/': Overview,
  '/ssh-keys': SshKeys,
  '/ssh-ca': SshCa,
  '/api-keys': ApiKeys,
  // One key's usage: ?project=&region=&name= name it.
  '/api-keys/usage': ApiKeyUsage,
  '/projects': Projects,
  '/tokens': Tokens,
  '/webhooks': Webhooks,
  '/teams': Teams,
  '/audit': Audit,
};

/** Setup is reachable signed out; everything else needs a session, and each page the ability it needs. */
export function App() {
  const { path } = useRoute();
  const session = useSession();
  if (path === '/setup') return <Setup />;
  if (session.me === undefined)
    return (
      <main id="main" className="narrow">
        <p className="loading">Loading…</p>
      </main>
    );
  if (session.me === null) return <SignIn />;

  const Current = PAGES[path];
  const needs = NAV.find((n) => n.to === path)?.needs;
  let content: ReactElement;
  if (!Current)
    content = (
      <Page title="Not found">
        <p>
          The console has no page here. <Link to="/">Go to the overview</Link>.
        </p>
      </Page>
    );
  else if (needs && !session.can(needs))
    content = (
      <Page title="Not allowed">
        <p>
          This page needs a token with the <code>{needs}</code> ability; you signed in with <code>{session.me.token.abilities.join(', ')}</code>.
        </p>
      </Page>
    );
  else content = <Current />;
  return <Layout>{content}</Layout>;
}
