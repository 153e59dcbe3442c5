import { type UsageWindow, WINDOWS } from '../lib/usage-window';
import '../styles/usage.css';

/** A row of toggle buttons: 1 h, 24 h, 7 d, 30 d. */
export function WindowPicker({ value, onChange, label = 'Window' }: { value: UsageWindow; onChange: (w: UsageWindow) => void; label?: string }) {
  return (
    <div className="window-picker" role="group" aria-label={label}>
      {WINDOWS.map((w) => (
        <button
          key={w.id}
          type="button"
          className={`button small${w.id === value.id ? ' selected' : ''}`}
          aria-pressed={w.id === value.id}
          onClick={() => w.id !== value.id && onChange(w)}
        >
          {w.label}
        </button>
      ))}
    </div>
  );
}
