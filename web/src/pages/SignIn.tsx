import { type FormEvent, useEffect, useState } from 'react';
import { Field } from '../components/Field';
import { api, messageOf, unwrap } from '../lib/api';
import { useSession } from '../lib/session';

/** Sign in with a keyhold token; the answer sets an HttpOnly session cookie, and the token is forgotten here. */
export function SignIn() {
  const session = useSession();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    document.title = 'Sign in · keyhold';
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await unwrap(api.POST('/v1/sessions', { body: { token: token.trim() } }));
      setToken('');
      session.signedIn(me);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="narrow">
      <p className="brand-big">keyhold</p>
      <h1>Sign in</h1>
      {session.lost && (
        <p className="notice" role="status">
          Your session ended (unused for a while, expired, or its token was revoked). Sign in again.
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Token"
          hint={
            <>
              A keyhold token, <code>&lt;id&gt;|&lt;secret&gt;</code>: the administrator token from the setup page, or one from{' '}
              <code>keyhold tokens create</code>.
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
