import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { api, fieldErrors, type Schemas, unwrap } from '../../lib/api';
import { Link } from '../../lib/router';
import { localInputToRfc3339 } from '../../lib/time';
import { type ContainerRow, ContainersEditor, containerRow, toContainers } from './ContainersEditor';
import { ExpiryField } from './ExpiryField';
import { RateLimitField, rateLimitState, toRateLimit } from './RateLimitField';
import { closeOnEscape } from '../../lib/escape';

const FIELDS = ['project_id', 'region_id', 'name', 'description', 'containers', 'expire', 'rate_limit'] as const;
type Errors = ReturnType<typeof fieldErrors<(typeof FIELDS)[number]>>;

interface Props {
  projects: Schemas['Project'][];
  regions: Schemas['Region'][];
  onCreated: (key: Schemas['ApiKeyCreated']) => void;
  onCancel: () => void;
}

/** A new API key in a project and region, bound to containers; keyhold answers its secret, once. */
export function CreateApiKey({ projects, regions, onCreated, onCancel }: Props) {
  const [projectId, setProjectId] = useState(String(projects[0]?.id ?? ''));
  const [regionId, setRegionId] = useState(String(regions[0]?.id ?? ''));
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [rows, setRows] = useState<ContainerRow[]>(() => [containerRow()]);
  const [expire, setExpire] = useState('');
  const [rateLimit, setRateLimit] = useState(() => rateLimitState(null));
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>({ fields: {} });

  if (projects.length === 0)
    return (
      <div className="panel">
        <p>
          An API key lives in a project, and the team has none yet. <Link to="/projects">Create a project</Link> first.
        </p>
        <button type="button" className="button" onClick={onCancel}>
          Close
        </button>
      </div>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({ fields: {} });
    const expireAt = localInputToRfc3339(expire);
    if (expire && !expireAt) return setErrors({ fields: { expire: 'not a date and time' } });
    const limit = toRateLimit(rateLimit);
    if ('error' in limit) return setErrors({ fields: { rate_limit: limit.error } });
    setBusy(true);
    try {
      const created = await unwrap(
        api.POST('/v1/api-keys', {
          body: {
            project_id: Number(projectId),
            region_id: Number(regionId),
            name: name.trim(),
            containers: toContainers(rows),
            ...(description ? { description } : {}),
            ...(expireAt ? { expire: expireAt } : {}),
            ...(limit.value ? { rate_limit: limit.value } : {}),
          },
        }),
      );
      onCreated(created);
    } catch (err) {
      setErrors(fieldErrors(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate onKeyDown={closeOnEscape(onCancel)} aria-labelledby="create-key-title">
      <h2 id="create-key-title">New API key</h2>
      <div className="row">
        <Field label="Project" error={errors.fields.project_id}>
          {(ids) => (
            <select {...ids} name="project_id" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.id} · {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Region" error={errors.fields.region_id}>
          {(ids) => (
            <select {...ids} name="region_id" value={regionId} onChange={(e) => setRegionId(e.target.value)}>
              {regions.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.id} · {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label="Name" hint="Lower-case letters, digits and “-”; 2 to 64, starting with a letter." error={errors.fields.name}>
        {(ids) => (
          <input {...ids} name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} spellCheck={false} autoCapitalize="off" autoFocus />
        )}
      </Field>
      <Field label="Description (optional)" error={errors.fields.description}>
        {(ids) => <input {...ids} name="description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} />}
      </Field>
      <ContainersEditor rows={rows} onChange={setRows} error={errors.fields.containers} />
      <ExpiryField value={expire} onChange={setExpire} error={errors.fields.expire} />
      <RateLimitField value={rateLimit} onChange={setRateLimit} error={errors.fields.rate_limit} />
      <ErrorMessage error={errors.form} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
