import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { api, fieldErrors, type Schemas, unwrap } from '../../lib/api';
import { closeOnEscape } from '../../lib/escape';
import { useAction } from '../../lib/use-action';

/** How long the previous signing secret keeps signing beside the new one (keyhold takes 0 to 7 days). */
const GRACE: { label: string; seconds: number }[] = [
  { label: 'none: it stops at once', seconds: 0 },
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
];

interface Props {
  webhook: Schemas['Webhook'];
  onRotated: (w: Schemas['WebhookCreated']) => void;
  onCancel: () => void;
}

/** A new signing secret for an endpoint, answered once; the previous one can keep signing beside it so the receiver can switch without losing a message. */
export function RotateWebhookSecret({ webhook, onRotated, onCancel }: Props) {
  const [grace, setGrace] = useState(86_400);
  const rotate = useAction(async () => {
    onRotated(await unwrap(api.POST('/v1/webhooks/{id}/rotate-secret', { params: { path: { id: webhook.id } }, body: { grace_seconds: grace } })));
  });
  const errors = rotate.error ? fieldErrors(rotate.error, ['grace_seconds'] as const) : { fields: {} as { grace_seconds?: string }, form: undefined };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void rotate.run();
  };
  return (
    <form
      className="panel inset"
      onSubmit={submit}
      onKeyDown={closeOnEscape(onCancel)}
      noValidate
      aria-label={`Rotate the signing secret of ${webhook.url}`}
    >
      <p>
        A new signing secret for <strong className="webhook-url">{webhook.url}</strong>, shown once. While the old one keeps signing, each message carries two
        signatures, and the receiver accepts it with either secret.
      </p>
      <Field
        label="The old secret keeps signing for"
        hint="0 to 7 days. A secret kept from an earlier rotation stops at once."
        error={errors.fields.grace_seconds}
      >
        {(ids) => (
          <select {...ids} name="grace_seconds" value={grace} onChange={(e) => setGrace(Number(e.target.value))} autoFocus>
            {GRACE.map((g) => (
              <option key={g.seconds} value={g.seconds}>
                {g.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorMessage error={errors.form} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={rotate.busy}>
          {rotate.busy ? 'Rotating…' : 'Rotate secret'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
