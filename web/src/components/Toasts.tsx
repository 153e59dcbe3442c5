import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';

interface Toast {
  id: number;
  text: string;
}

const Context = createContext<(text: string) => void>(() => {});

/** Short confirmations ("Key deploy deleted."), read out by screen readers from a polite live region. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Set<number>());
  useEffect(() => () => timers.current.forEach((t) => window.clearTimeout(t)), []);
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
    <Context.Provider value={add}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className="toast">
            {t.text}
          </div>
        ))}
      </div>
    </Context.Provider>
  );
}

export const useToast = () => useContext(Context);
