import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { api, fieldErrors, type Schemas, unwrap } from '../../lib/api';
import { KeyTextField } from './KeyTextField';
import { closeOnEscape } from '../../lib/escape';

const FIELDS = ['name', 'description', 'private_key'] as const;
type Errors = ReturnType<typeof fieldErrors<(typeof FIELDS)[number]>>;

/** Adds a key: keyhold checks it, stores it encrypted, and answers its public half. */
export function AddSshKey({ onAdded, onCancel }: { onAdded: (key: Schemas['SshKey']) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>({ fields: {} });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({ fields: {} });
    try {
      const created = await unwrap(api.POST('/v1/private-keys', { body: { name, private_key: key, ...(description ? { description } : {}) } }));
      onAdded(created);
    } catch (err) {
      const sorted = fieldErrors(err, FIELDS);
      // "…already has an SSH key named …" is about the name; "the team already has this key" about the key text. Neither names its field.
      if (sorted.form && !sorted.fields.name && /\bSSH key named\b/.test(sorted.form)) setErrors({ fields: { ...sorted.fields, name: sorted.form } });
      else if (sorted.form && !sorted.fields.private_key && /\bkey\b/.test(sorted.form)) setErrors({ fields: { ...sorted.fields, private_key: sorted.form } });
      else setErrors(sorted);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate onKeyDown={closeOnEscape(onCancel)} aria-labelledby="add-ssh-title">
      <h2 id="add-ssh-title">Add an SSH key</h2>
      <Field label="Name" error={errors.fields.name}>
        {(ids) => <input {...ids} name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={255} required autoFocus />}
      </Field>
      <Field label="Description (optional)" error={errors.fields.description}>
        {(ids) => <input {...ids} name="description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={255} />}
      </Field>
      <KeyTextField label="Private key" value={key} onChange={setKey} error={errors.fields.private_key} />
      <ErrorMessage error={errors.form} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add key'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
