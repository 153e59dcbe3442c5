import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';

interface Toast {
  id: number;
  text: string;
}

const AddContext = createContext<(text: string) => void>(() => {});
const ListContext = createContext<Toast[]>([]);

/** Short confirmations ("Key deploy deleted."), kept for five seconds; `<ToastRegion>` shows them. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Set<number>());
  useEffect(() => {
    const live = timers.current;
    return () => live.forEach((t) => window.clearTimeout(t));
  }, []);
  const add = useCallback((text: string) => {
    const id = next.current++;
    setToasts((t) => [...t.slice(-2), { id, text }]);
    const timer = window.setTimeout(() => {
      timers.current.delete(timer);
      setToasts((t) => t.filter((x) => x.id !== id));
    }, 5000);
    timers.current.add(timer);
  }, []);
  return (
    <AddContext.Provider value={add}>
      <ListContext.Provider value={toasts}>{children}</ListContext.Provider>
    </AddContext.Provider>
  );
}

/**
 * The confirmations, read out by screen readers from a polite live region. In the page's flow
 * under the header (not floating over it), so a toast never covers a row, a button or the pager.
 */
export function ToastRegion() {
  const toasts = useContext(ListContext);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast">
          {t.text}
        </div>
      ))}
    </div>
  );
}

export const useToast = () => useContext(AddContext);
