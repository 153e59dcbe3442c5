import { type ReactNode, useId } from 'react';

interface Props {
  label: string;
  /** Help under the label. */
  hint?: ReactNode;
  /** keyhold's message about this field. */
  error?: string;
  /** Renders the control with the ids it needs to be labelled and described. */
  children: (ids: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
  className?: string;
}

/** A labelled control with its hint and its error, both announced with it. */
export function Field({ label, hint, error, children, className }: Props) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {children({ id, 'aria-describedby': described, 'aria-invalid': error ? true : undefined })}
      <div className="field-error" id={`${id}-error`} aria-live="polite">
        {error}
      </div>
    </div>
  );
}
