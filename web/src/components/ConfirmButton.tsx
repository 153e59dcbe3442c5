import { type ReactNode, useEffect, useRef, useState } from 'react';

interface Props {
  /** The button: "Delete". */
  label: string;
  /** For screen readers when the label alone is ambiguous in a list: "Delete key deploy". */
  ariaLabel?: string;
  /** The question: "Delete deploy? Gateways refuse it at once." */
  question: ReactNode;
  confirmLabel?: string;
  onConfirm: () => Promise<void> | void;
  disabled?: boolean;
}

/**
 * A destructive action asked twice, inline (no dialog): the button turns into a question with
 * "Yes" and "Cancel"; focus moves to "Yes", and back to the button on cancel.
 */
export function ConfirmButton({ label, ariaLabel, question, confirmLabel, onConfirm, disabled }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      start.current?.focus();
    }
  }, [asking]);
  if (!asking)
    return (
      <button ref={start} type="button" className="button small danger" aria-label={ariaLabel} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      returnFocus.current = true;
      setAsking(false);
    }
  };
  const cancel = () => {
    returnFocus.current = true;
    setAsking(false);
  };
  return (
    <span className="confirm" role="group" aria-label={ariaLabel ?? label}>
      <span className="confirm-question">{question}</span>
      <button
        ref={yes}
        type="button"
        className="button small danger"
        disabled={busy}
        onClick={() => void confirm()}
        onKeyDown={(e) => e.key === 'Escape' && cancel()}
      >
        {confirmLabel ?? `Yes, ${label.toLowerCase()}`}
      </button>
      <button type="button" className="button small" onClick={cancel} onKeyDown={(e) => e.key === 'Escape' && cancel()}>
        Cancel
      </button>
    </span>
  );
}
