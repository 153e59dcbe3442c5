import { createKeyholdClient, KeyholdError, KeyholdNetworkError, unwrap, type Schemas } from '@keyhold/sdk';

/**
 * The console's one client. No token: the session cookie (HttpOnly, set by sign-in or setup)
 * authenticates, and the browser sends the Origin header keyhold checks on writes.
 */
export const api = createKeyholdClient({ baseUrl: '' });

export { KeyholdError, unwrap };
export type { Schemas };

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

/** Called when an authenticated call answers 401: the session ended (idle, expired, token revoked). */
export function onSessionLost(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

api.use({
  onResponse({ request, response }) {
    const path = new URL(request.url, location.origin).pathname;
    // A wrong token at sign-in or a wrong setup code is the form's business, not a lost session.
    if (response.status === 401 && path !== '/v1/sessions' && path !== '/v1/setup') for (const l of signedOutListeners) l();
    return undefined;
  },
});

/** The words to show for a failure: keyhold's own message, or what went wrong on the way. */
export function messageOf(e: unknown): string {
  // The SDK has already retried what it could (GETs, deletes) before giving up.
  if (e instanceof KeyholdNetworkError || e instanceof TypeError) return 'keyhold could not be reached: check the connection and try again';
  if (e instanceof KeyholdError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** keyhold's request id for a failure, to quote in a report. */
export function requestIdOf(e: unknown): string | undefined {
  return e instanceof KeyholdError ? e.requestId : undefined;
}

/**
 * keyhold words a validation failure as sentences joined by "; ", each starting with the field it
 * is about ("name must match …; private_key must not be empty"). This sorts them by field, so
 * each message can be shown next to its input; what names no listed field stays in `form`.
 */
export function fieldErrors<F extends string>(e: unknown, fields: readonly F[]): { form?: string; fields: Partial<Record<F, string>> } {
  const out: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  for (const sentence of messageOf(e).split('; ')) {
    const field = fields.find((f) => sentence === f || sentence.startsWith(`${f} `) || sentence.startsWith(`${f}.`));
    if (field) out[field] = out[field] ? `${out[field]}; ${sentence}` : sentence;
    else rest.push(sentence);
  }
  return { form: rest.length ? rest.join('; ') : undefined, fields: out };
}
