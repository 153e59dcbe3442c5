import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { useToast } from '../components/Toasts';
import { api, fieldErrors, type Schemas, unwrap } from '../lib/api';
import { useSession } from '../lib/session';
import { formatTime } from '../lib/time';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';

type Errors<F extends string> = ReturnType<typeof fieldErrors<F>>;

/** Id (optional: the next free one) and name (optional). */
function CreateProject({ onCreated }: { onCreated: (p: Schemas['Project']) => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors<'id' | 'name'>>({ fields: {} });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({ fields: {} });
    if (id !== '' && !/^\d+$/.test(id)) return setErrors({ fields: { id: 'id must be a whole number' } });
    setBusy(true);
    try {
      const p = await unwrap(api.POST('/v1/projects', { body: { ...(id ? { id: Number(id) } : {}), ...(name.trim() ? { name: name.trim() } : {}) } }));
      setId('');
      setName('');
      onCreated(p);
    } catch (err) {
      setErrors(fieldErrors(err, ['id', 'name'] as const));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-project-title">
      <h2 id="create-project-title">New project</h2>
      <div className="row">
        <Field label="Id (optional)" hint="Gcore project_id; the next free one when empty." error={errors.fields.id}>
          {(ids) => <input {...ids} name="id" inputMode="numeric" value={id} onChange={(e) => setId(e.target.value)} />}
        </Field>
        <Field label="Name (optional)" error={errors.fields.name}>
          {(ids) => <input {...ids} name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={255} />}
        </Field>
      </div>
      <ErrorMessage error={errors.form} />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create project'}
      </button>
    </form>
  );
}

/** Regions belong to the instance; administrators add them. */
function CreateRegion({ onCreated }: { onCreated: (r: Schemas['Region']) => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors<'id' | 'name'>>({ fields: {} });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({ fields: {} });
    if (!/^\d+$/.test(id)) return setErrors({ fields: { id: 'id must be a whole number' } });
    setBusy(true);
    try {
      const r = await unwrap(api.POST('/v1/regions', { body: { id: Number(id), name: name.trim() } }));
      setId('');
      setName('');
      onCreated(r);
    } catch (err) {
      setErrors(fieldErrors(err, ['id', 'name'] as const));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-region-title">
      <h3 id="create-region-title">Add a region</h3>
      <div className="row">
        <Field label="Region id" hint="Gcore region_id." error={errors.fields.id}>
          {(ids) => <input {...ids} name="id" inputMode="numeric" value={id} onChange={(e) => setId(e.target.value)} required />}
        </Field>
        <Field label="Region name" error={errors.fields.name}>
          {(ids) => <input {...ids} name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={255} required />}
        </Field>
      </div>
      <ErrorMessage error={errors.form} />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Adding…' : 'Add region'}
      </button>
    </form>
  );
}

/** The team's projects (where API keys live) with their key counts, and the instance's regions. */
export function Projects() {
  const session = useSession();
  const toast = useToast();
  const projects = useLoad(() => unwrap(api.GET('/v1/projects')), []);
  const regions = useLoad(() => unwrap(api.GET('/v1/regions')), []);
  const canWrite = session.can('write');

  const removal = useAction(async (p: Schemas['Project']) => {
    await unwrap(api.DELETE('/v1/projects/{id}', { params: { path: { id: p.id } } }));
    toast(`Project ${p.id} deleted.`);
    projects.reload();
  });

  return (
    <Page title="Projects" intro="API keys live in a project of your team and a region of this keyhold, as in Gcore's API.">
      {canWrite && (
        <CreateProject
          onCreated={(p) => {
            toast(`Project ${p.id} created.`);
            projects.reload();
          }}
        />
      )}
      <ErrorMessage error={projects.error ?? removal.error} />
      {projects.data && projects.data.length === 0 && <p className="empty">No projects yet.</p>}
      {projects.data && projects.data.length > 0 && (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">Projects</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">API keys</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {projects.data.map((p) => (
                <tr key={p.id} data-project={p.id}>
                  <th scope="row" data-label="Id">
                    {p.id}
                  </th>
                  <td data-label="Name">{p.name}</td>
                  <td data-label="API keys">{p.keys}</td>
                  <td data-label="Created">{formatTime(p.created_at)}</td>
                  <td data-label="Actions" className="actions">
                    {canWrite && (
                      <ConfirmButton
                        label="Delete"
                        ariaLabel={`Delete project ${p.id}`}
                        disabled={p.keys > 0}
                        question={
                          <>
                            Delete project {p.id}
                            {p.name ? ` (${p.name})` : ''}?
                          </>
                        }
                        typeToConfirm={String(p.id)}
                        onConfirm={() => removal.run(p)}
                      />
                    )}
                    {canWrite && p.keys > 0 && <span className="hint"> Holds keys: delete them first.</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="regions-title">
        <h2 id="regions-title">Regions</h2>
        <ErrorMessage error={regions.error} />
        {regions.data && (
          <ul className="plain regions">
            {regions.data.map((r) => (
              <li key={r.id}>
                <strong>{r.id}</strong> {r.name}
              </li>
            ))}
          </ul>
        )}
        {session.can('admin') && (
          <CreateRegion
            onCreated={(r) => {
              toast(`Region ${r.id} added.`);
              regions.reload();
            }}
          />
        )}
      </section>
    </Page>
  );
}
