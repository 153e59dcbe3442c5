import { api, type Schemas, unwrap } from '../../lib/api';
import { WebhookForm } from './WebhookForm';

/** Changes an endpoint's URL, events or description; only what changed is sent. */
export function EditWebhook({ webhook, onSaved, onCancel }: { webhook: Schemas['Webhook']; onSaved: (w: Schemas['Webhook']) => void; onCancel: () => void }) {
  return (
    <WebhookForm
      initial={webhook}
      className="panel inset"
      ariaLabel={`Edit ${webhook.url}`}
      submitLabel="Save"
      busyLabel="Saving…"
      onCancel={onCancel}
      onSubmit={async ({ url, events, description }) => {
        const body: Schemas['WebhookUpdate'] = {};
        if (url !== webhook.url) body.url = url;
        if (description !== webhook.description) body.description = description;
        if (JSON.stringify([...events].sort()) !== JSON.stringify([...webhook.events].sort())) body.events = events;
        onSaved(Object.keys(body).length ? await unwrap(api.PATCH('/v1/webhooks/{id}', { params: { path: { id: webhook.id } }, body })) : webhook);
      }}
    />
  );
}
