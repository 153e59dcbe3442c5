import { api, type Schemas, unwrap } from '../../lib/api';
import { WebhookForm } from './WebhookForm';

/** A new endpoint; keyhold answers its signing secret, once. */
export function CreateWebhook({ onCreated, onCancel }: { onCreated: (w: Schemas['WebhookCreated']) => void; onCancel: () => void }) {
  return (
    <WebhookForm
      heading={<h2 id="create-webhook-title">New webhook endpoint</h2>}
      ariaLabel="New webhook endpoint"
      submitLabel="Create endpoint"
      busyLabel="Creating…"
      onCancel={onCancel}
      onSubmit={async ({ url, events, description }) => {
        onCreated(await unwrap(api.POST('/v1/webhooks', { body: { url, events, ...(description ? { description } : {}) } })));
      }}
    />
  );
}
