import { useState } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBadge } from '../../components/StatusBadge';
import { api, type Schemas, unwrap } from '../../lib/api';
import { Link, navigate } from '../../lib/router';
import { formatTime, relativeTime } from '../../lib/time';
import { useToast } from '../../components/Toasts';
import { EditWebhook } from './EditWebhook';
import { RotateWebhookSecret } from './RotateWebhookSecret';
import { ALL } from './events';

const COLUMNS = 4;
const BY_USER = 'disabled by a user';

/** An endpoint's state in a word, and the reason when keyhold gives one. */
export function webhookStatus(w: Schemas['Webhook']): { word: string; note?: string } {
  if (!w.enabled)
    return w.disabled_reason && w.disabled_reason !== BY_USER
      ? { word: 'Disabled', note: `${w.disabled_reason} (since ${formatTime(w.disabled_at)})` }
      : { word: 'Disabled', note: w.disabled_at ? `since ${formatTime(w.disabled_at)}` : undefined };
  if (w.failing_since) return { word: 'Failing', note: `every attempt has failed since ${formatTime(w.failing_since)} (${relativeTime(w.failing_since)})` };
  return { word: 'Active' };
}

interface Props {
  webhook: Schemas['Webhook'];
  onChanged: (w: Schemas['Webhook'], what: string) => void;
  onDeleted: (w: Schemas['Webhook']) => void;
  onRotated: (w: Schemas['WebhookCreated']) => void;
}

/** One endpoint as a table row: its URL, events, state; edit, enable or disable, delete, and a link to its deliveries. */
export function WebhookRow({ webhook: w, onChanged, onDeleted, onRotated }: Props) {
  const toast = useToast();
  const [open, setOpen] = useState<'edit' | 'rotate'>();
  const editing = open !== undefined;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const status = webhookStatus(w);

  const toggle = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await unwrap(api.PATCH('/v1/webhooks/{id}', { params: { path: { id: w.id } }, body: { enabled: !w.enabled } }));
      onChanged(next, `Endpoint ${w.url} ${next.enabled ? 'enabled' : 'disabled'}.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const sendTest = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const d = await unwrap(api.POST('/v1/webhooks/{id}/test', { params: { path: { id: w.id } } }));
      toast(`Test event sent to ${w.url}: delivery ${d.id}.`);
      navigate(`/webhooks?endpoint=${encodeURIComponent(w.id)}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setError(undefined);
    try {
      await unwrap(api.DELETE('/v1/webhooks/{id}', { params: { path: { id: w.id } } }));
      onDeleted(w);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <tr data-webhook={w.id}>
        <th scope="row" data-label="Endpoint">
          <span className="webhook-url">{w.url}</span>
          {w.description && <span className="key-description">{w.description}</span>}
          <code className="secret-prefix">{w.id}</code>
        </th>
        <td data-label="Events">
          {w.events.includes(ALL) ? (
            <span>every event</span>
          ) : (
            <ul className="plain">
              {w.events.map((e) => (
                <li key={e}>
                  <code>{e}</code>
                </li>
              ))}
            </ul>
          )}
        </td>
        <td data-label="Status">
          <StatusBadge status={status.word} />
          {status.note && <span className="status-note">{status.note}</span>}
          {w.previous_secret_until && new Date(w.previous_secret_until).getTime() > Date.now() && (
            <span className="status-note" data-testid="previous-secret">
              the previous signing secret also signs until <time dateTime={w.previous_secret_until}>{formatTime(w.previous_secret_until)}</time>
            </span>
          )}
        </td>
        <td data-label="Actions" className="actions">
          {!editing && (
            <div className="item-actions">
              <Link to={`/webhooks?endpoint=${encodeURIComponent(w.id)}`} className="button small" aria-label={`Deliveries of ${w.url}`}>
                Deliveries
              </Link>
              <button
                type="button"
                className="button small"
                onClick={() => void sendTest()}
                disabled={busy || !w.enabled}
                aria-label={`Send a test event to ${w.url}`}
              >
                Send test
              </button>
              <button type="button" className="button small" onClick={() => setOpen('rotate')} aria-label={`Rotate the signing secret of ${w.url}`}>
                Rotate secret
              </button>
              <button type="button" className="button small" onClick={() => setOpen('edit')} aria-label={`Edit ${w.url}`}>
                Edit
              </button>
              <button
                type="button"
                className="button small"
                onClick={() => void toggle()}
                disabled={busy}
                aria-label={`${w.enabled ? 'Disable' : 'Enable'} ${w.url}`}
              >
                {w.enabled ? 'Disable' : 'Enable'}
              </button>
              <ConfirmButton
                label="Delete"
                ariaLabel={`Delete ${w.url}`}
                question={<>Delete this endpoint and its delivery log? Nothing more is sent to it.</>}
                onConfirm={remove}
              />
            </div>
          )}
          <ErrorMessage error={error} />
        </td>
      </tr>
      {editing && (
        <tr className="edit-row">
          <td colSpan={COLUMNS}>
            {open === 'edit' ? (
              <EditWebhook
                webhook={w}
                onCancel={() => setOpen(undefined)}
                onSaved={(next) => {
                  setOpen(undefined);
                  onChanged(next, `Endpoint ${next.url} saved.`);
                }}
              />
            ) : (
              <RotateWebhookSecret
                webhook={w}
                onCancel={() => setOpen(undefined)}
                onRotated={(next) => {
                  setOpen(undefined);
                  onRotated(next);
                }}
              />
            )}
          </td>
        </tr>
      )}
    </>
  );
}
