import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { api, fieldErrors, type Schemas, unwrap } from '../../lib/api';
import { localInputToRfc3339, rfc3339ToLocalInput } from '../../lib/time';
import { type ContainerRow, ContainersEditor, containerRow, toContainers } from './ContainersEditor';
import { ExpiryField } from './ExpiryField';
import { RateLimitField, rateLimitState, toRateLimit } from './RateLimitField';
import { closeOnEscape } from '../../lib/escape';

const FIELDS = ['description', 'containers', 'expire', 'rate_limit'] as const;
type Errors = ReturnType<typeof fieldErrors<(typeof FIELDS)[number]>>;

export const keyPath = (k: Schemas['ApiKey']) => ({ path: { project_id: k.project_id, region_id: k.region_id, name: k.name } });

/** Changes a key's description, containers, expiry and rate limit; gateways see the change at once. */
export function EditApiKey({ apiKey, onSaved, onCancel }: { apiKey: Schemas['ApiKey']; onSaved: (k: Schemas['ApiKeyUpdated']) => void; onCancel: () => void }) {
  const [description, setDescription] = useState(apiKey.description);
  const [rows, setRows] = useState<ContainerRow[]>(() => apiKey.containers.map((c) => containerRow(c.name, c.namespace)));
  const [expire, setExpire] = useState(rfc3339ToLocalInput(apiKey.expire));
  const [rateLimit, setRateLimit] = useState(() => rateLimitState(apiKey.rate_limit));
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>({ fields: {} });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({ fields: {} });
    const expireAt = localInputToRfc3339(expire);
    if (expire && !expireAt) return setErrors({ fields: { expire: 'not a date and time' } });
    const limit = toRateLimit(rateLimit);
    if ('error' in limit) return setErrors({ fields: { rate_limit: limit.error } });
    const body: Schemas['ApiKeyUpdate'] = {};
    const containers = toContainers(rows);
    if (JSON.stringify(containers) !== JSON.stringify(apiKey.containers.map(({ name, namespace }) => ({ name, namespace })))) body.containers = containers;
    if (description !== apiKey.description) body.description = description;
    if (expire !== rfc3339ToLocalInput(apiKey.expire)) body.expire = expireAt ?? null;
    if (
      JSON.stringify(limit.value) !==
      JSON.stringify(apiKey.rate_limit ? { limit: apiKey.rate_limit.limit, window_seconds: apiKey.rate_limit.window_seconds } : null)
    )
      body.rate_limit = limit.value;
    setBusy(true);
    try {
      // Only what changed is sent, so the audit trail names only what changed.
      onSaved(Object.keys(body).length ? await unwrap(api.PATCH('/v1/api-keys/{project_id}/{region_id}/{name}', { params: keyPath(apiKey), body })) : apiKey);
    } catch (err) {
      setErrors(fieldErrors(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel inset" onSubmit={(e) => void submit(e)} noValidate onKeyDown={closeOnEscape(onCancel)} aria-label={`Edit ${apiKey.name}`}>
      <Field label="Description" error={errors.fields.description}>
        {(ids) => <input {...ids} name="description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} autoFocus />}
      </Field>
      <ContainersEditor rows={rows} onChange={setRows} error={errors.fields.containers} />
      <ExpiryField value={expire} onChange={setExpire} error={errors.fields.expire} />
      <RateLimitField value={rateLimit} onChange={setRateLimit} error={errors.fields.rate_limit} />
      <ErrorMessage error={errors.form} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
