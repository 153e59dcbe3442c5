import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { api, fieldErrors, type Schemas, unwrap } from '../../lib/api';
import { keyPath } from './EditApiKey';
import { closeOnEscape } from '../../lib/escape';

const MAX_GRACE = 30 * 86_400;

/** How long the replaced secret keeps verifying. */
const GRACE: { label: string; seconds: number }[] = [
  { label: 'none: it stops at once', seconds: 0 },
  { label: '5 minutes', seconds: 300 },
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: MAX_GRACE },
];
const UNITS: { word: string; seconds: number }[] = [
  { word: 'minutes', seconds: 60 },
  { word: 'hours', seconds: 3600 },
  { word: 'days', seconds: 86_400 },
];

/** The grace period in seconds, or why it is not one keyhold takes (0 to 30 days, whole seconds). */
export function graceSeconds(preset: string, amount: string, unit: number): { seconds: number } | { error: string } {
  if (preset !== 'custom') return { seconds: Number(preset) };
  const n = Number(amount.trim());
  if (amount.trim() === '' || !Number.isFinite(n)) return { error: 'enter how long the old secret keeps working, e.g. 2 hours' };
  const seconds = Math.round(n * unit);
  if (seconds < 0 || seconds > MAX_GRACE) return { error: 'the grace period must be between 0 and 30 days' };
  return { seconds };
}

interface Props {
  apiKey: Schemas['ApiKey'];
  onRerolled: (k: Schemas['ApiKeyCreated']) => void;
  onCancel: () => void;
}

/**
 * A new secret for a key (nothing else changes). The old one can keep verifying for a grace period,
 * so clients can move over; keyhold answers the new secret once.
 */
export function RerollApiKey({ apiKey, onRerolled, onCancel }: Props) {
  const [preset, setPreset] = useState('3600');
  const [amount, setAmount] = useState('');
  const [unit, setUnit] = useState(3600);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors<'grace_seconds'>>>({ fields: {} });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setErrors({ fields: {} });
    const grace = graceSeconds(preset, amount, unit);
    if ('error' in grace) return setErrors({ fields: { grace_seconds: grace.error } });
    setBusy(true);
    try {
      onRerolled(
        await unwrap(api.POST('/v1/api-keys/{project_id}/{region_id}/{name}/reroll', { params: keyPath(apiKey), body: { grace_seconds: grace.seconds } })),
      );
    } catch (err) {
      setErrors(fieldErrors(err, ['grace_seconds'] as const));
    } finally {
      setBusy(false);
    }
  };
  // Enter submits from the selects too (browsers submit a form on Enter only from text fields).
  const enterSubmits = (e: KeyboardEvent<HTMLFormElement>) => {
    closeOnEscape(onCancel)(e);
    if (e.key === 'Enter' && e.target instanceof HTMLSelectElement) {
      e.preventDefault();
      e.currentTarget.requestSubmit();
    }
  };

  return (
    <form className="panel inset" onSubmit={(e) => void submit(e)} onKeyDown={enterSubmits} noValidate aria-label={`Reroll ${apiKey.name}`}>
      <p>
        A new secret for <strong>{apiKey.name}</strong>; its name, containers, expiry and rate limit stay. Clients must move to the new secret before the old
        one stops working.
      </p>
      <Field
        label="The old secret keeps working for"
        hint="0 to 30 days. Gateways are told (rotating_until) while it does; a secret kept from an earlier reroll stops at once."
        error={errors.fields.grace_seconds}
      >
        {(ids) => (
          <span className="inline-controls">
            <select {...ids} name="grace_preset" value={preset} onChange={(e) => setPreset(e.target.value)} autoFocus>
              {GRACE.map((g) => (
                <option key={g.seconds} value={g.seconds}>
                  {g.label}
                </option>
              ))}
              <option value="custom">another length…</option>
            </select>
            {preset === 'custom' && (
              <>
                <input
                  name="grace_amount"
                  type="number"
                  inputMode="decimal"
                  min={0}
                  step="any"
                  value={amount}
                  onChange={(e) => setAmount(e.target.value)}
                  aria-label="Grace period length"
                  aria-invalid={errors.fields.grace_seconds ? true : undefined}
                  autoFocus
                />
                <select name="grace_unit" aria-label="Grace period unit" value={unit} onChange={(e) => setUnit(Number(e.target.value))}>
                  {UNITS.map((u) => (
                    <option key={u.seconds} value={u.seconds}>
                      {u.word}
                    </option>
                  ))}
                </select>
              </>
            )}
          </span>
        )}
      </Field>
      <ErrorMessage error={errors.form} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Rerolling…' : 'Reroll secret'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
