import { type ReactNode, useEffect, useRef } from 'react';
import { CopyButton } from './CopyButton';

interface Props {
  /** "API key secret", "Token", … */
  what: string;
  value: string;
  /** A line under the secret: what it is for. */
  children?: ReactNode;
  onDone: () => void;
  doneLabel?: string;
  /** How keyhold keeps it: a digest (tokens, API keys), or sealed because keyhold itself must use it (webhook signing secrets). */
  kept?: 'digest' | 'sealed';
}

/** A secret keyhold shows once: a read-only field, a copy button, and a plain warning. Focus lands on it. */
export function SecretOnce({ what, value, children, onDone, doneLabel = 'Done', kept = 'digest' }: Props) {
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);
  const id = `secret-${what.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className="secret-once" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{what}</h3>
      <p className="warning">
        <strong>Copy it now: you will not see it again.</strong>{' '}
        {kept === 'digest' ? 'keyhold keeps only a digest of it.' : 'keyhold keeps it encrypted, to sign with, and never shows it again.'}
      </p>
      <div className="secret-row">
        <label htmlFor={id} className="visually-hidden">
          {what}
        </label>
        <input id={id} ref={field} className="secret-value" readOnly value={value} spellCheck={false} autoComplete="off" data-secret="" />
        <CopyButton text={value} label={`Copy the ${what.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())}`} target={field} className="button" />
      </div>
      {children}
      <button type="button" className="button primary" onClick={onDone}>
        {doneLabel}
      </button>
    </section>
  );
}
