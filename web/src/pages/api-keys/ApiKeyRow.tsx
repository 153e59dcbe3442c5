import { useState } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBadge } from '../../components/StatusBadge';
import { api, type Schemas, unwrap } from '../../lib/api';
import { Link } from '../../lib/router';
import { formatTime, relativeTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { EditApiKey, keyPath } from './EditApiKey';
import { describeRateLimit } from './RateLimitField';
import { RerollApiKey } from './RerollApiKey';
import { RotationCountdown } from './RotationCountdown';
import { usageLink } from './usage-link';

const THIRTY_DAYS = 30 * 86_400_000;
/** Verified at least once in the last 30 days: keyhold writes last_used_at on every answer about the key (flushed every few seconds). */
const usedRecently = (at: string | null) => !!at && Date.now() - new Date(at).getTime() <= THIRTY_DAYS;

interface Props {
  apiKey: Schemas['ApiKey'];
  canWrite: boolean;
  onChanged: (k: Schemas['ApiKeyUpdated'], what: string) => void;
  onDeleted: (k: Schemas['ApiKey']) => void;
  onRerolled: (k: Schemas['ApiKeyCreated']) => void;
}

const COLUMNS = 8;

/** One key as a table row (a block on phones), and its edit form in the row under it. */
export function ApiKeyRow({ apiKey: k, canWrite, onChanged, onDeleted, onRerolled }: Props) {
  const [open, setOpen] = useState<'edit' | 'reroll'>();
  const toggle = useAction(async () => {
    const next = await unwrap(api.PATCH('/v1/api-keys/{project_id}/{region_id}/{name}', { params: keyPath(k), body: { is_disabled: !k.is_disabled } }));
    onChanged(next, `Key ${k.name} ${next.is_disabled ? 'disabled' : 'enabled'}.`);
  });
  const removal = useAction(async () => {
    await unwrap(api.DELETE('/v1/api-keys/{project_id}/{region_id}/{name}', { params: keyPath(k) }));
    onDeleted(k);
  });
  const busy = toggle.busy;
  const error = toggle.error ?? removal.error;

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
          <RotationCountdown until={k.rotating_until} />
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
        <td data-label="Rate limit">{k.rate_limit ? describeRateLimit(k.rate_limit) : <span className="muted">none</span>}</td>
        <td data-label="Expires">{k.expire ? <time dateTime={k.expire}>{formatTime(k.expire)}</time> : <span className="muted">never</span>}</td>
        <td data-label="Used in the last 30 days" data-used={usedRecently(k.last_used_at) ? 'yes' : 'no'}>
          {k.last_used_at ? (
            <>
              <span className="used-word">{usedRecently(k.last_used_at) ? 'Yes' : 'No'}</span>{' '}
              <time dateTime={k.last_used_at} title={formatTime(k.last_used_at)} className="muted">
                {usedRecently(k.last_used_at) ? relativeTime(k.last_used_at) : `last ${formatTime(k.last_used_at)}`}
              </time>
            </>
          ) : (
            <span className="muted">No, never used</span>
          )}
        </td>
        <td data-label="Actions" className="actions">
          {!open && (
            <div className="item-actions">
              <Link to={usageLink(k)} className="button small usage-link" aria-label={`Usage of ${k.name}`}>
                Usage
              </Link>
              {canWrite && (
                <>
                  <button
                    type="button"
                    className="button small"
                    onClick={() => void toggle.run()}
                    disabled={busy}
                    aria-label={`${k.is_disabled ? 'Enable' : 'Disable'} ${k.name}`}
                  >
                    {k.is_disabled ? 'Enable' : 'Disable'}
                  </button>
                  <button type="button" className="button small" onClick={() => setOpen('edit')} aria-label={`Edit ${k.name}`}>
                    Edit
                  </button>
                  <button type="button" className="button small" onClick={() => setOpen('reroll')} aria-label={`Reroll ${k.name}`}>
                    Reroll
                  </button>
                  <ConfirmButton
                    label="Delete"
                    ariaLabel={`Delete ${k.name}`}
                    question={<>Delete {k.name}? Gateways refuse it at once.</>}
                    onConfirm={() => removal.run()}
                  />
                </>
              )}
            </div>
          )}
          <ErrorMessage error={error} />
        </td>
      </tr>
      {open && (
        <tr className="edit-row">
          <td colSpan={COLUMNS}>
            {open === 'edit' ? (
              <EditApiKey
                apiKey={k}
                onCancel={() => setOpen(undefined)}
                onSaved={(next) => {
                  setOpen(undefined);
                  onChanged(next, `Key ${next.name} saved.`);
                }}
              />
            ) : (
              <RerollApiKey
                apiKey={k}
                onCancel={() => setOpen(undefined)}
                onRerolled={(next) => {
                  setOpen(undefined);
                  onRerolled(next);
                }}
              />
            )}
          </td>
        </tr>
      )}
    </>
  );
}
