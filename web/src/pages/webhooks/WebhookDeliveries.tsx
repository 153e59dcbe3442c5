import { useEffect, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { StatusBadge } from '../../components/StatusBadge';
import { useToast } from '../../components/Toasts';
import { api, type Schemas, unwrap } from '../../lib/api';
import { Link } from '../../lib/router';
import { formatTimeSeconds } from '../../lib/time';
import { useCursor } from '../../lib/use-cursor';
import { useLoad } from '../../lib/use-load';
import { webhookStatus } from './WebhookRow';

const PAGE_SIZE = 20;
/** While a delivery on show is pending, the page asks again this often… */
const POLL_MS = 2000;
/** …for at most this long (then a Refresh button does it). */
const POLL_FOR_MS = 3 * 60_000;

type Delivery = Schemas['WebhookDelivery'];

/** One endpoint's deliveries, newest first and paged: status, attempts, the receiver's last answer, times; any can be sent again. */
export function WebhookDeliveries({ id }: { id: string }) {
  const toast = useToast();
  const paging = useCursor();
  const webhook = useLoad(() => unwrap(api.GET('/v1/webhooks/{id}', { params: { path: { id } } })), [id]);
  const page = useLoad(
    () =>
      unwrap(
        api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: PAGE_SIZE, ...(paging.cursor ? { cursor: paging.cursor } : {}) } } }),
      ),
    [id, paging.cursor],
  );
  const [error, setError] = useState<unknown>();
  const [redelivering, setRedelivering] = useState<number>();

  // Polling: only while something on show is pending, and not for more than POLL_FOR_MS in a row.
  const pending = page.data?.deliveries.some((d) => d.status === 'pending') ?? false;
  const pollingSince = useRef<number | undefined>(undefined);
  const [pollExpired, setPollExpired] = useState(false);
  useEffect(() => {
    if (!pending) {
      pollingSince.current = undefined;
      setPollExpired(false);
      return;
    }
    if (page.loading || pollExpired) return;
    pollingSince.current ??= Date.now();
    if (Date.now() - pollingSince.current > POLL_FOR_MS) {
      setPollExpired(true);
      return;
    }
    const timer = window.setTimeout(page.reload, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [pending, page.data, page.loading, page.reload, pollExpired]);

  const refresh = () => {
    pollingSince.current = undefined;
    setPollExpired(false);
    page.reload();
  };

  const redeliver = async (d: Delivery) => {
    setError(undefined);
    setRedelivering(d.id);
    try {
      const again = await unwrap(api.POST('/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver', { params: { path: { id, delivery_id: d.id } } }));
      // A pending delivery (or its pending redelivery) is made due now rather than doubled: same id.
      toast(again.id === d.id ? `Delivery ${d.id} will be sent again now.` : `Delivery ${d.id} queued again as delivery ${again.id}.`);
      pollingSince.current = undefined;
      setPollExpired(false);
      if (paging.depth > 0) paging.first();
      else page.reload();
    } catch (e) {
      setError(e);
    } finally {
      setRedelivering(undefined);
    }
  };

  const [testing, setTesting] = useState(false);
  const sendTest = async () => {
    setError(undefined);
    setTesting(true);
    try {
      const d = await unwrap(api.POST('/v1/webhooks/{id}/test', { params: { path: { id } } }));
      toast(`Test event sent: delivery ${d.id}.`);
      pollingSince.current = undefined;
      setPollExpired(false);
      if (paging.depth > 0) paging.first();
      else page.reload();
    } catch (e) {
      setError(e);
    } finally {
      setTesting(false);
    }
  };

  const w = webhook.data;
  const status = w ? webhookStatus(w) : undefined;
  return (
    <Page
      title="Webhook deliveries"
      actions={
        <>
          <button type="button" className="button" onClick={refresh} disabled={page.loading}>
            Refresh
          </button>
          <Link to="/webhooks" className="button">
            All endpoints
          </Link>
        </>
      }
    >
      {/* An unknown endpoint fails both questions with the same answer: said once. */}
      <ErrorMessage error={webhook.error ?? page.error} />
      {w && status && (
        <p className="intro">
          To <span className="webhook-url">{w.url}</span> <StatusBadge status={status.word} />
          {status.note && <span className="status-note">{status.note}</span>}
        </p>
      )}
      {w && (
        <p className="item-actions">
          <button type="button" className="button small" onClick={() => void sendTest()} disabled={testing || !w?.enabled}>
            {testing ? 'Sending…' : 'Send test event'}
          </button>
        </p>
      )}
      <ErrorMessage error={error} />
      {pending && !pollExpired && (
        <p className="polling" role="status">
          Some deliveries are pending; this list refreshes every few seconds.
        </p>
      )}
      {pending && pollExpired && (
        <p className="polling" role="status">
          Stopped refreshing after {POLL_FOR_MS / 60_000} minutes; press Refresh to see later attempts.
        </p>
      )}
      {page.data && page.data.deliveries.length === 0 && <p className="empty">Nothing sent to this endpoint yet.</p>}
      {page.data && page.data.deliveries.length > 0 && (
        <div className="table-wrap">
          <table className="responsive deliveries-table" aria-busy={page.loading && !pending}>
            <caption className="visually-hidden">Deliveries</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Response</th>
                <th scope="col">Latency</th>
                <th scope="col">Times</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.deliveries.map((d) => (
                <DeliveryRow key={d.id} delivery={d} busy={redelivering === d.id} onRedeliver={() => void redeliver(d)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        depth={paging.depth}
        next={page.data?.next_cursor}
        onFirst={paging.first}
        onPrevious={paging.previous}
        onNext={paging.next}
        noun={['delivery', 'deliveries']}
        shown={page.data?.deliveries.length ?? 0}
        loading={page.loading && !pending}
      />
      {!page.data && page.loading && <p className="loading">Loading…</p>}
    </Page>
  );
}

function DeliveryRow({ delivery: d, busy, onRedeliver }: { delivery: Delivery; busy: boolean; onRedeliver: () => void }) {
  return (
    <tr data-delivery={d.id} data-status={d.status}>
      <th scope="row" data-label="Event">
        <code>{d.event_type}</code>
        <span className="status-note" title="The webhook-id header of every attempt">
          #{d.id} · {d.event_id}
        </span>
      </th>
      <td data-label="Status">
        <StatusBadge status={d.status} />
      </td>
      <td data-label="Attempts">{d.attempts}</td>
      <td data-label="Response" className="delivery-answer">
        {d.response_status !== null ? <span className="response-status">HTTP {d.response_status}</span> : <span className="muted">no answer</span>}
        {d.error && <span className="status-note">{d.error}</span>}
        {d.response_body && (
          <details>
            <summary>Body</summary>
            <pre>{d.response_body}</pre>
          </details>
        )}
      </td>
      <td data-label="Latency">{d.latency_ms !== null ? `${d.latency_ms} ms` : <span className="muted">—</span>}</td>
      <td data-label="Times">
        <ul className="plain">
          <li>
            created <time dateTime={d.created_at}>{formatTimeSeconds(d.created_at)}</time>
          </li>
          {d.last_attempt_at && (
            <li>
              last attempt <time dateTime={d.last_attempt_at}>{formatTimeSeconds(d.last_attempt_at)}</time>
            </li>
          )}
          {d.next_attempt_at && (
            <li>
              next attempt <time dateTime={d.next_attempt_at}>{formatTimeSeconds(d.next_attempt_at)}</time>
            </li>
          )}
          {d.delivered_at && (
            <li>
              delivered <time dateTime={d.delivered_at}>{formatTimeSeconds(d.delivered_at)}</time>
            </li>
          )}
        </ul>
      </td>
      <td data-label="Actions" className="actions">
        <button type="button" className="button small" onClick={onRedeliver} disabled={busy} aria-label={`Redeliver delivery ${d.id}`}>
          {busy ? 'Queuing…' : 'Redeliver'}
        </button>
      </td>
    </tr>
  );
}
