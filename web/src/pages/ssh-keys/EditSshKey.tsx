import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { api, fieldErrors, type Schemas, unwrap } from '../../lib/api';
import { KeyTextField } from './KeyTextField';
import { closeOnEscape } from '../../lib/escape';

const FIELDS = ['name', 'description', 'private_key'] as const;
type Errors = ReturnType<typeof fieldErrors<(typeof FIELDS)[number]>>;

interface Props {
  sshKey: Schemas['SshKey'];
  /** "details": rename and describe; "replace": a new key pair under the same uuid. */
  mode: 'details' | 'replace';
  onSaved: (key: Schemas['SshKey']) => void;
  onCancel: () => void;
}

/** Renames or describes a key, or replaces its key pair; only what changed is sent. */
export function EditSshKey({ sshKey, mode, onSaved, onCancel }: Props) {
  const [name, setName] = useState(sshKey.name);
  const [description, setDescription] = useState(sshKey.description ?? '');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>({ fields: {} });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({ fields: {} });
    const body: Schemas['SshKeyUpdate'] = {};
    if (mode === 'replace') body.private_key = key;
    else {
      if (name !== sshKey.name) body.name = name;
      if (description !== (sshKey.description ?? '')) body.description = description === '' ? null : description;
    }
    try {
      onSaved(Object.keys(body).length ? await unwrap(api.PATCH('/v1/private-keys/{uuid}', { params: { path: { uuid: sshKey.uuid } }, body })) : sshKey);
    } catch (err) {
      const sorted = fieldErrors(err, FIELDS);
      // A duplicate name is refused in words that name no field: shown at the name.
      if (sorted.form && !sorted.fields.name && /\bSSH key named\b/.test(sorted.form)) setErrors({ fields: { ...sorted.fields, name: sorted.form } });
      else if (mode === 'replace' && sorted.form && !sorted.fields.private_key) setErrors({ fields: { private_key: sorted.form } });
      else setErrors(sorted);
    } finally {
      setBusy(false);
    }
  };

  const title = mode === 'replace' ? `Replace the key pair of ${sshKey.name}` : `Edit ${sshKey.name}`;
  return (
    <form className="panel inset" onSubmit={(e) => void submit(e)} noValidate onKeyDown={closeOnEscape(onCancel)} aria-label={title}>
      {mode === 'details' ? (
        <>
          <Field label="Name" error={errors.fields.name}>
            {(ids) => <input {...ids} name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={255} autoFocus />}
          </Field>
          <Field label="Description" error={errors.fields.description}>
            {(ids) => <input {...ids} name="description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={255} />}
          </Field>
        </>
      ) : (
        <KeyTextField label="New private key" value={key} onChange={setKey} error={errors.fields.private_key} />
      )}
      <ErrorMessage error={errors.form} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : mode === 'replace' ? 'Replace key' : 'Save'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
