import { useId } from 'react';
import { ALL, EVENT_TYPES, eventHelp, type Subscription } from './events';

interface Props {
  value: Subscription[];
  onChange: (events: Subscription[]) => void;
  error?: string;
}

/** The event types an endpoint receives, as checkboxes; "every event" (`*`) stands for all, those to come included. */
export function EventsField({ value, onChange, error }: Props) {
  const id = useId();
  const all = value.includes(ALL);
  const toggle = (t: Subscription, on: boolean) => onChange(on ? [...value.filter((x) => x !== t), t] : value.filter((x) => x !== t));
  return (
    <fieldset className={`events${error ? ' has-error' : ''}`} aria-describedby={`${id}-hint ${id}-error`}>
      <legend>Events</legend>
      <p className="hint" id={`${id}-hint`}>
        What keyhold sends to this endpoint. No payload carries a secret.
      </p>
      <label className="check">
        <input type="checkbox" name="events" value={ALL} checked={all} onChange={(e) => onChange(e.target.checked ? [ALL] : [])} />
        <strong>Every event</strong> <span className="muted">the types below and any added later</span>
      </label>
      <div className="events-grid">
        {EVENT_TYPES.map((t) => (
          <label key={t} className="check">
            <input type="checkbox" name="events" value={t} checked={all || value.includes(t)} disabled={all} onChange={(e) => toggle(t, e.target.checked)} />
            <span>
              <code>{t}</code> <span className="muted">{eventHelp(t)}</span>
            </span>
          </label>
        ))}
      </div>
      <div className="field-error" id={`${id}-error`} aria-live="polite">
        {error}
      </div>
    </fieldset>
  );
}
