import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SecretOnce } from '../components/SecretOnce';
import { useToast } from '../components/Toasts';
import { api, fieldErrors, type Schemas, unwrap } from '../lib/api';
import { useMe } from '../lib/session';
import { formatTime } from '../lib/time';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';

/** Every team of this keyhold, for administrators: create one (its first root token shown once), delete an empty one. */
export function Teams() {
  const me = useMe();
  const toast = useToast();
  const teams = useLoad(() => unwrap(api.GET('/v1/teams')), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<Schemas['TeamCreated']>();

  const create = useAction(async () => {
    const c = await unwrap(api.POST('/v1/teams', { body: { name: name.trim() } }));
    setName('');
    setCreated(c);
    toast(`Team ${c.team.name} created.`);
    teams.reload();
  });
  const errors = create.error === undefined ? { fields: {} as { name?: string } } : fieldErrors(create.error, ['name'] as const);
  const busy = create.busy;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  const removal = useAction(async (t: Schemas['Team']) => {
    await unwrap(api.DELETE('/v1/teams/{name}', { params: { path: { name: t.name } } }));
    toast(`Team ${t.name} deleted.`);
    teams.reload();
  });

  return (
    <Page title="Teams" intro="Teams own keys, projects and tokens; one team never sees another's. Only administrators see this page.">
      {created ? (
        <SecretOnce what="Root token of the new team" value={created.token.token} onDone={() => setCreated(undefined)}>
          <p className="hint">
            Hand it to team <strong>{created.team.name}</strong>: it signs in to this console and makes the team&apos;s other tokens.
          </p>
        </SecretOnce>
      ) : (
        <form className="panel" onSubmit={submit} noValidate aria-labelledby="create-team-title">
          <h2 id="create-team-title">New team</h2>
          <Field label="Team name" hint="Letters, digits, “.”, “_” and “-”; up to 64." error={errors.fields.name}>
            {(ids) => <input {...ids} name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required />}
          </Field>
          <ErrorMessage error={errors.form} />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create team'}
          </button>
        </form>
      )}
      <ErrorMessage error={teams.error ?? removal.error} />
      {teams.data && (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">Teams</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {teams.data.map((t) => (
                <tr key={t.id} data-team={t.name}>
                  <th scope="row" data-label="Name">
                    {t.name}
                    {t.id === me.team.id && <span className="tag">yours</span>}
                  </th>
                  <td data-label="Created">{formatTime(t.created_at)}</td>
                  <td data-label="Actions" className="actions">
                    {t.id !== me.team.id && (
                      <ConfirmButton
                        label="Delete"
                        ariaLabel={`Delete team ${t.name}`}
                        question={<>Delete team {t.name} and its tokens? keyhold refuses while it owns keys or projects.</>}
                        typeToConfirm={t.name}
                        onConfirm={() => removal.run(t)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
