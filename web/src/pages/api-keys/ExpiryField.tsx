import { Field } from '../../components/Field';
import { localInputToRfc3339 } from '../../lib/time';

interface Props {
  /** A `datetime-local` value (local time), '' for never. */
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

/** When a key stops working: a local date and time, sent to keyhold as RFC 3339 UTC. Empty means never. */
export function ExpiryField({ value, onChange, error }: Props) {
  const utc = localInputToRfc3339(value);
  return (
    <Field
      label="Expires (optional)"
      hint={utc ? `Your local time; sent as ${utc} (UTC).` : 'Your local time. Leave empty for a key that never expires.'}
      error={error}
    >
      {(ids) => (
        <span className="inline-controls">
          <input {...ids} type="datetime-local" name="expire" value={value} onChange={(e) => onChange(e.target.value)} />
          {value && (
            <button type="button" className="button small" onClick={() => onChange('')}>
              Never
            </button>
          )}
        </span>
      )}
    </Field>
  );
}
