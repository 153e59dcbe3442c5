import { type FormEvent, type ReactNode, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { fieldErrors, type Schemas } from '../../lib/api';
import { EventsField } from './EventsField';
import type { Subscription } from './events';
import { closeOnEscape } from '../../lib/escape';

const FIELDS = ['url', 'events', 'description'] as const;
export type WebhookFormValues = { url: string; events: Subscription[]; description: string };

interface Props {
  /** The endpoint being edited; a new one when absent. */
  initial?: Schemas['Webhook'];
  heading?: ReactNode;
  ariaLabel: string;
  submitLabel: string;
  busyLabel: string;
  /** Sends the values; a thrown keyhold error is shown at the fields it names. */
  onSubmit: (values: WebhookFormValues) => Promise<void>;
  onCancel: () => void;
  className?: string;
}

/** URL, description and event types of an endpoint: the create and the edit form. */
export function WebhookForm({ initial, heading, ariaLabel, submitLabel, busyLabel, onSubmit, onCancel, className = 'panel' }: Props) {
  const [url, setUrl] = useState(initial?.url ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [events, setEvents] = useState<Subscription[]>(() => (initial?.events ?? []) as Subscription[]);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors<(typeof FIELDS)[number]>>>({ fields: {} });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({ fields: {} });
    const target = url.trim();
    if (!/^https?:\/\/\S+$/i.test(target)) return setErrors({ fields: { url: 'enter the receiver’s address, starting with https:// (or http://)' } });
    if (events.length === 0) return setErrors({ fields: { events: 'choose at least one event type' } });
    setBusy(true);
    try {
      await onSubmit({ url: target, events, description });
    } catch (err) {
      setErrors(fieldErrors(err, FIELDS));
      setBusy(false);
    }
  };

  return (
    <form className={className} onSubmit={(e) => void submit(e)} noValidate onKeyDown={closeOnEscape(onCancel)} aria-label={ariaLabel}>
      {heading}
      <Field
        label="URL"
        hint="Where keyhold POSTs the events, signed (Standard Webhooks). Private and loopback addresses are refused unless the server allows them."
        error={errors.fields.url}
      >
        {(ids) => (
          <input
            {...ids}
            name="url"
            type="url"
            inputMode="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            maxLength={2048}
            spellCheck={false}
            autoCapitalize="off"
            placeholder="https://hooks.example.com/keyhold"
            autoFocus
          />
        )}
      </Field>
      <Field label="Description (optional)" error={errors.fields.description}>
        {(ids) => <input {...ids} name="description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} />}
      </Field>
      <EventsField value={events} onChange={setEvents} error={errors.fields.events} />
      <ErrorMessage error={errors.form} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
