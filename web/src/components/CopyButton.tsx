import { type RefObject, useEffect, useRef, useState } from 'react';

/** Selects an element's text, so it can be copied by hand. */
export function selectText(el: HTMLElement | null): void {
  if (!el) return;
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    el.focus();
    el.select();
    return;
  }
  const range = document.createRange();
  range.selectNodeContents(el);
  const sel = window.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
}

interface Props {
  text: string;
  /** What is copied, for screen readers: "Copy the secret". */
  label: string;
  /** The element showing the text: selected instead when the clipboard is unavailable. */
  target?: RefObject<HTMLElement | null>;
  className?: string;
}

/** Copies `text` to the clipboard; without a clipboard (plain HTTP, a refusal) selects it instead and says so. */
export function CopyButton({ text, label, target, className }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');
  const timer = useRef<number>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const copy = async () => {
    let next: typeof state = 'copied';
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
    } catch {
      selectText(target?.current ?? null);
      next = 'selected';
    }
    setState(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState('idle'), 4000);
  };
  return (
    <span className="copy">
      <button type="button" className={className ?? 'button small'} onClick={() => void copy()} aria-label={label}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className="copy-status" role="status">
        {state === 'copied' ? 'Copied to the clipboard.' : state === 'selected' ? 'The clipboard is unavailable: the text is selected, press Ctrl+C (⌘C).' : ''}
      </span>
    </span>
  );
}
