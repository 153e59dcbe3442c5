import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Ability, can, canReveal } from './abilities';
import { api, KeyholdError, onSessionLost, type Schemas, unwrap } from './api';

type Me = Schemas['Me'];

interface SessionState {
  /** undefined while the first /v1/me is on its way; null when signed out. */
  me: Me | null | undefined;
  /** Set after sign-in or setup, whose answers include who the caller is. */
  signedIn: (me: Me) => void;
  signOut: () => Promise<void>;
  /** Why the last session ended, when it was not the user's doing. */
  lost: boolean;
  can: (ability: Ability) => boolean;
  canReveal: boolean;
}

const Context = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [lost, setLost] = useState(false);

  useEffect(() => {
    let live = true;
    unwrap(api.GET('/v1/me')).then(
      (m) => live && setMe(m),
      (e: unknown) => {
        if (!live) return;
        // 401 is the plain "not signed in"; anything else still leaves the sign-in form as the way on.
        if (!(e instanceof KeyholdError && e.status === 401)) console.error(e);
        setMe(null);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(
    () =>
      onSessionLost(() =>
        setMe((current) => {
          if (current) setLost(true);
          return null;
        }),
      ),
    [],
  );

  const signedIn = useCallback((m: Me) => {
    setLost(false);
    setMe(m);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await unwrap(api.DELETE('/v1/sessions/current'));
    } finally {
      setLost(false);
      setMe(null);
    }
  }, []);

  const value = useMemo<SessionState>(() => {
    const abilities = me?.token.abilities ?? [];
    return { me, signedIn, signOut, lost, can: (a) => can(abilities, a), canReveal: canReveal(abilities) };
  }, [me, signedIn, signOut, lost]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(Context);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in caller; only for pages shown behind sign-in. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe while signed out');
  return me;
}
