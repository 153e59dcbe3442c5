import type { KeyboardEvent } from 'react';

/**
 * Escape closes a form (as Cancel does): its onKeyDown. A control that uses Escape itself (an
 * inline confirmation) stops it first.
 */
export function closeOnEscape(onCancel: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    onCancel();
  };
}
