import { messageOf, requestIdOf } from '../lib/api';

/** A failure, announced (role=alert) as keyhold worded it, with the request id to quote. */
export function ErrorMessage({ error, prefix }: { error: unknown; prefix?: string }) {
  if (error === undefined || error === null || error === '') return null;
  const text = typeof error === 'string' ? error : messageOf(error);
  const requestId = typeof error === 'string' ? undefined : requestIdOf(error);
  return (
    <div className="error" role="alert">
      {prefix ? `${prefix}: ` : ''}
      {text}
      {requestId && <span className="request-id"> (request {requestId})</span>}
    </div>
  );
}
