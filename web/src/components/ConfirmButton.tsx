import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

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
  /** For what cannot be undone at scale (a team, a project): the name to type before "Yes" is offered. */
  typeToConfirm?: string;
}

/**
 * A destructive action asked twice, inline (no dialog): the button turns into a question with
 * "Yes" and "Cancel"; focus moves to "Yes", and back to the button on cancel.
 */
export function ConfirmButton({ label, ariaLabel, question, confirmLabel, onConfirm, disabled, typeToConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  const typedId = useId();
  const typing = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (asking) (typeToConfirm === undefined ? yes.current : typing.current)?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      start.current?.focus();
    }
  }, [asking, typeToConfirm]);
  if (!asking)
    return (
      <button
        ref={start}
        type="button"
        className="button small danger"
        aria-label={ariaLabel}
        disabled={disabled}
        onClick={() => {
          setTyped('');
          setAsking(true);
        }}
      >
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
  const matches = typeToConfirm === undefined || typed === typeToConfirm;
  return (
    <span className="confirm" role="group" aria-label={ariaLabel ?? label}>
      <span className="confirm-question">{question}</span>
      {typeToConfirm !== undefined && (
        <span className="confirm-type">
          <label htmlFor={typedId}>
            Type <strong className="confirm-name">{typeToConfirm}</strong> to confirm
          </label>
          <input
            ref={typing}
            id={typedId}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                cancel();
              } else if (e.key === 'Enter' && matches) void confirm();
            }}
            autoComplete="off"
            spellCheck={false}
          />
        </span>
      )}
      <button
        ref={yes}
        type="button"
        className="button small danger"
        disabled={busy || !matches}
        onClick={() => void confirm()}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          // Only the question closes, not a form around it.
          e.preventDefault();
          cancel();
        }}
      >
        {confirmLabel ?? `Yes, ${label.toLowerCase()}`}
      </button>
      <button
        type="button"
        className="button small"
        onClick={cancel}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          // Only the question closes, not a form around it.
          e.preventDefault();
          cancel();
        }}
      >
        Cancel
      </button>
    </span>
  );
}
