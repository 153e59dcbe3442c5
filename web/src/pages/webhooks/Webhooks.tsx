import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Page } from '../../components/Page';
import { SecretOnce } from '../../components/SecretOnce';
import { useToast } from '../../components/Toasts';
import { api, type Schemas, unwrap } from '../../lib/api';
import { useRoute } from '../../lib/router';
import { formatTime } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { CreateWebhook } from './CreateWebhook';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WebhookRow } from './WebhookRow';

/** The team's webhook endpoints (root tokens): created (signing secret shown once), edited, enabled or disabled, deleted; `?endpoint=<id>` shows one's deliveries. */
export function Webhooks() {
  const { query } = useRoute();
  const endpoint = query.get('endpoint');
  if (endpoint) return <WebhookDeliveries id={endpoint} />;
  return <WebhookList />;
}

function WebhookList() {
  const toast = useToast();
  const list = useLoad(() => unwrap(api.GET('/v1/webhooks')), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ w: Schemas['WebhookCreated']; rotated: boolean }>();

  return (
    <Page
      title="Webhooks"
      intro="Endpoints keyhold tells about changes to the team's credentials: each event is POSTed, signed with the endpoint's secret (Standard Webhooks), and retried for a day until it is taken."
      actions={
        !creating &&
        !created && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New endpoint
          </button>
        )
      }
    >
      {created && (
        <SecretOnce what={created.rotated ? 'New signing secret' : 'Signing secret'} value={created.w.secret} kept="sealed" onDone={() => setCreated(undefined)}>
          <p className="hint">
            For <strong className="webhook-url">{created.w.url}</strong>.
            {created.rotated &&
              (created.w.previous_secret_until ? (
                <> The previous secret keeps signing beside it until {formatTime(created.w.previous_secret_until)}: each message carries both signatures.</>
              ) : (
                <> The previous secret no longer signs.</>
              ))}{' '}
            The receiver checks each request&apos;s <code>webhook-signature</code> with it (any Standard Webhooks library), on the raw body, and de-duplicates
            on <code>webhook-id</code>.
          </p>
        </SecretOnce>
      )}
      {creating && (
        <CreateWebhook
          onCancel={() => setCreating(false)}
          onCreated={(w) => {
            setCreating(false);
            setCreated({ w, rotated: false });
            toast(`Endpoint ${w.url} created.`);
            list.reload();
          }}
        />
      )}
      <ErrorMessage error={list.error} />
      {list.data && list.data.length === 0 && <p className="empty">No webhook endpoints yet.</p>}
      {list.data && list.data.length > 0 && (
        <div className="table-wrap">
          <table className="responsive webhooks-table" aria-busy={list.loading}>
            <caption className="visually-hidden">Webhook endpoints</caption>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((w) => (
                <WebhookRow
                  key={w.id}
                  webhook={w}
                  onChanged={(_, what) => {
                    toast(what);
                    list.reload();
                  }}
                  onRotated={(r) => {
                    setCreated({ w: r, rotated: true });
                    toast(`Signing secret of ${r.url} rotated.`);
                    list.reload();
                  }}
                  onDeleted={(d) => {
                    toast(`Endpoint ${d.url} deleted.`);
                    list.reload();
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!list.data && list.loading && <p className="loading">Loading…</p>}
    </Page>
  );
}
