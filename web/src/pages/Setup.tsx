import { type FormEvent, useEffect, useState } from 'react';
import { Field } from '../components/Field';
import { ErrorMessage } from '../components/ErrorMessage';
import { SecretOnce } from '../components/SecretOnce';
import { api, fieldErrors, type Schemas, unwrap } from '../lib/api';
import { Link, navigate, useRoute } from '../lib/router';
import { useSession } from '../lib/session';
import { useLoad } from '../lib/use-load';

/**
 * First run: the link keyhold prints on a fresh start (`/ui/setup?code=…`). The first team's name
 * in, the administrator token out (once), and the browser is signed in with it.
 */
export function Setup() {
  const { query } = useRoute();
  const [code] = useState(() => query.get('code') ?? '');
  const session = useSession();
  const state = useLoad(() => unwrap(api.GET('/v1/setup')), []);
  const [team, setTeam] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ form?: string; fields: { team?: string; code?: string } }>({ fields: {} });
  const [done, setDone] = useState<Schemas['SetupResult']>();

  useEffect(() => {
    document.title = 'Set up · keyhold';
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError({ fields: {} });
    try {
      const result = await unwrap(api.POST('/v1/setup', { body: { code, team } }));
      // The code is spent: keep it out of the address bar and history.
      history.replaceState(null, '', '/ui/setup');
      setDone(result);
    } catch (err) {
      setError(fieldErrors(err, ['team', 'code'] as const));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (done) {
    body = (
      <>
        <p>
          Team <strong>{done.team.name}</strong> is created, and this browser is signed in as its administrator.
        </p>
        <SecretOnce
          what="Administrator token"
          value={done.token.token}
          doneLabel="Continue to the overview"
          onDone={() => {
            session.signedIn(done.me);
            navigate('/', { replace: true });
          }}
        >
          <p className="hint">
            It holds <code>root</code> and <code>admin</code>: sign in with it later, and make narrower tokens on the Tokens page for everything else. Keep it
            in a password manager.
          </p>
        </SecretOnce>
      </>
    );
  } else if (!code) {
    body = (
      <p>
        This page needs the setup link keyhold printed when it first started (<code>/ui/setup?code=…</code>, in the server&apos;s output).{' '}
        <Link to="/">Sign in with a token</Link> instead.
      </p>
    );
  } else if (state.data && !state.data.fresh) {
    body = (
      <p>
        keyhold is already set up. <Link to="/">Sign in with a token</Link>.
      </p>
    );
  } else {
    body = (
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p>Name the first team. You become its administrator: you can then create more teams, tokens and keys.</p>
        <Field label="Team name" hint="Letters, digits, “.”, “_” and “-”; up to 64." error={error.fields.team}>
          {(ids) => (
            <input {...ids} name="team" value={team} onChange={(e) => setTeam(e.target.value)} required maxLength={64} autoComplete="organization" autoFocus />
          )}
        </Field>
        <ErrorMessage error={error.form ?? error.fields.code} />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create the team'}
        </button>
      </form>
    );
  }

  return (
    <main id="main" className="narrow">
      <p className="brand-big">keyhold</p>
      <h1>Set up keyhold</h1>
      <ErrorMessage error={state.error} />
      {body}
    </main>
  );
}
