import { type FormEvent, useEffect, useState } from 'react';
import { Field } from '../components/Field';
import { type Ability, ABILITIES, ABILITY_HELP, can } from '../lib/abilities';
import { api, messageOf, type Schemas, unwrap } from '../lib/api';
import { useSession } from '../lib/session';
import { useAction } from '../lib/use-action';

/** What was pasted, as a token: without the `Bearer ` of a copied header, and without blanks around it. */
export function tokenOf(pasted: string): string {
  return pasted
    .trim()
    .replace(/^bearer\s+/i, '')
    .trim();
}

/** A token the console can show nothing with (no `read`, no `admin`): it signs in to an empty console. */
function uselessHere(abilities: readonly string[]): boolean {
  return !can(abilities, 'read') && !can(abilities, 'admin');
}

/** Sign in with a keyhold token; the answer sets an HttpOnly session cookie, and the token is forgotten here. */
export function SignIn() {
  const session = useSession();
  const [token, setToken] = useState('');
  // A valid token that the console cannot use: what it can do instead.
  const [refused, setRefused] = useState<Schemas['Me']>();

  useEffect(() => {
    document.title = 'Sign in · keyhold';
  }, []);

  const signIn = useAction(async () => {
    setRefused(undefined);
    const me = await unwrap(api.POST('/v1/sessions', { body: { token: tokenOf(token) } }));
    setToken('');
    if (uselessHere(me.token.abilities)) {
      // The session would show empty pages: end it again, and say why.
      await unwrap(api.DELETE('/v1/sessions/current')).catch(() => undefined);
      setRefused(me);
      return;
    }
    session.signedIn(me);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void signIn.run();
  };
  const busy = signIn.busy;
  const error = signIn.error === undefined ? undefined : messageOf(signIn.error);

  return (
    <main id="main" className="narrow">
      <p className="brand-big">keyhold</p>
      <h1>Sign in</h1>
      {session.lost && (
        <p className="notice" role="status">
          Your session ended (unused for a while, expired, or its token was revoked). Sign in again.
        </p>
      )}
      {refused && <CannotUseConsole me={refused} />}
      <form onSubmit={submit} noValidate>
        <Field
          label="Token"
          hint={
            <>
              A keyhold token, <code>&lt;id&gt;|&lt;secret&gt;</code> (a pasted <code>Bearer …</code> is fine): the administrator token from the setup page, or
              one from <code>keyhold tokens create</code> with <code>read</code> at least.
            </>
          }
          error={error}
        >
          {(ids) => (
            <input
              {...ids}
              type="password"
              name="token"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              required
              autoFocus
            />
          )}
        </Field>
        <button type="submit" className="button primary" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="hint">
        First run? Open the setup link keyhold printed when it started (<code>/ui/setup?code=…</code>).
      </p>
    </main>
  );
}

/** Why a valid token is not signed in: what it can do, and what the console needs. */
function CannotUseConsole({ me }: { me: Schemas['Me'] }) {
  const held = ABILITIES.filter((a: Ability) => me.token.abilities.includes(a));
  return (
    <div className="notice" role="alert" data-testid="cannot-use-console">
      <p>
        Token <strong>{me.token.name}</strong> of team <strong>{me.team.name}</strong> is valid, but the console cannot use it: it has{' '}
        {held.length
          ? held.map((a, i) => (
              <span key={a}>
                {i > 0 && ', '}
                <code>{a}</code>
              </span>
            ))
          : 'no abilities'}
        , not <code>read</code>.
      </p>
      {held.length > 0 && (
        <ul className="plain">
          {held.map((a) => (
            <li key={a}>
              <code>{a}</code>: {ABILITY_HELP[a]}
            </li>
          ))}
        </ul>
      )}
      <p>
        Every page of the console starts by listing what the team has, which needs <code>read</code> (or <code>read:sensitive</code> or <code>root</code>). Use
        this token from the API or <code>keyhold</code> CLI, and sign in here with one that can read; a team&apos;s root token makes one on the Tokens page.
      </p>
    </div>
  );
}
