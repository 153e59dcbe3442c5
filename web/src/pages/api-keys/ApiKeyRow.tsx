import { useState } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBadge } from '../../components/StatusBadge';
import { api, type Schemas, unwrap } from '../../lib/api';
import { formatTime, relativeTime } from '../../lib/time';
import { EditApiKey, keyPath } from './EditApiKey';

interface Props {
  apiKey: Schemas['ApiKey'];
  canWrite: boolean;
  onChanged: (k: Schemas['ApiKey'], what: string) => void;
  onDeleted: (k: Schemas['ApiKey']) => void;
}

const COLUMNS = 7;

/** One key as a table row (a block on phones), and its edit form in the row under it. */
export function ApiKeyRow({ apiKey: k, canWrite, onChanged, onDeleted }: Props) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const toggle = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await unwrap(api.PATCH('/v1/api-keys/{project_id}/{region_id}/{name}', { params: keyPath(k), body: { is_disabled: !k.is_disabled } }));
      onChanged(next, `Key ${k.name} ${next.is_disabled ? 'disabled' : 'enabled'}.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setError(undefined);
    try {
      await unwrap(api.DELETE('/v1/api-keys/{project_id}/{region_id}/{name}', { params: keyPath(k) }));
      onDeleted(k);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <tr data-key={k.name}>
        <th scope="row" data-label="Name">
          <span className="key-name">{k.name}</span>
          {k.description && <span className="key-description">{k.description}</span>}
          <code className="secret-prefix" title="The first characters of its secret">
            {k.secret_prefix}…
          </code>
        </th>
        <td data-label="Project / region">
          {k.project_id} / {k.region_id}
        </td>
        <td data-label="Status">
          <StatusBadge status={k.status} />
        </td>
        <td data-label="Containers">
          {k.containers.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="plain">
              {k.containers.map((c) => (
                <li key={`${c.namespace}/${c.name}`}>
                  <code>{c.name}</code> <span className="muted">in {c.namespace}</span>
                </li>
              ))}
            </ul>
          )}
        </td>
        <td data-label="Expires">{k.expire ? <time dateTime={k.expire}>{formatTime(k.expire)}</time> : <span className="muted">never</span>}</td>
        <td data-label="Last use">
          {k.last_used_at ? (
            <time dateTime={k.last_used_at} title={formatTime(k.last_used_at)}>
              {relativeTime(k.last_used_at)}
            </time>
          ) : (
            <span className="muted">never</span>
          )}
        </td>
        <td data-label="Actions" className="actions">
          {canWrite && !editing && (
            <div className="item-actions">
              <button
                type="button"
                className="button small"
                onClick={() => void toggle()}
                disabled={busy}
                aria-label={`${k.is_disabled ? 'Enable' : 'Disable'} ${k.name}`}
              >
                {k.is_disabled ? 'Enable' : 'Disable'}
              </button>
              <button type="button" className="button small" onClick={() => setEditing(true)} aria-label={`Edit ${k.name}`}>
                Edit
              </button>
              <ConfirmButton label="Delete" ariaLabel={`Delete ${k.name}`} question={<>Delete {k.name}? Gateways refuse it at once.</>} onConfirm={remove} />
            </div>
          )}
          <ErrorMessage error={error} />
        </td>
      </tr>
      {editing && (
        <tr className="edit-row">
          <td colSpan={COLUMNS}>
            <EditApiKey
              apiKey={k}
              onCancel={() => setEditing(false)}
              onSaved={(next) => {
                setEditing(false);
                onChanged(next, `Key ${next.name} saved.`);
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}
