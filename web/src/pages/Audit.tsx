import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { Pager } from '../components/Pager';
import { api, unwrap } from '../lib/api';
import { formatTime, localInputToRfc3339, rfc3339ToLocalInput } from '../lib/time';
import { useUrlPaging, useUrlQuery } from '../lib/url-state';
import { useLoad } from '../lib/use-load';

interface Filters {
  since?: string;
  until?: string;
  actor?: string;
  resource?: string;
}

const PAGE_SIZES = [25, 50, 100, 200] as const;

/** The filters an address asks for: `?since=…&until=…&actor=…&resource=…` (times in RFC 3339). */
function filtersOf(query: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of ['since', 'until', 'actor', 'resource'] as const) {
    const v = query.get(k)?.trim();
    if (v) f[k] = v;
  }
  return f;
}

function AuditFilters({ value, limit, onApply, onLimit }: { value: Filters; limit: number; onApply: (f: Filters) => void; onLimit: (n: number) => void }) {
  const [since, setSince] = useState(rfc3339ToLocalInput(value.since));
  const [until, setUntil] = useState(rfc3339ToLocalInput(value.until));
  const [actor, setActor] = useState(value.actor ?? '');
  const [resource, setResource] = useState(value.resource ?? '');
  const apply = (e: FormEvent) => {
    e.preventDefault();
    onApply({
      since: localInputToRfc3339(since),
      until: localInputToRfc3339(until),
      actor: actor.trim() || undefined,
      resource: resource.trim() || undefined,
    });
  };
  const clear = () => {
    setSince('');
    setUntil('');
    setActor('');
    setResource('');
    onApply({});
  };
  return (
    <form className="filters" onSubmit={apply} role="search" aria-label="Filter the audit trail">
      <Field label="Since" hint="Local time, inclusive.">
        {(ids) => <input {...ids} type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />}
      </Field>
      <Field label="Until" hint="Local time, exclusive.">
        {(ids) => <input {...ids} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />}
      </Field>
      <Field label="Actor" hint="e.g. token:12 or cli">
        {(ids) => <input {...ids} value={actor} onChange={(e) => setActor(e.target.value)} spellCheck={false} />}
      </Field>
      <Field label="Resource" hint="A key id (uuid, 1/1/my-key) or type:id">
        {(ids) => <input {...ids} value={resource} onChange={(e) => setResource(e.target.value)} spellCheck={false} />}
      </Field>
      <Field label="Per page">
        {(ids) => (
          <select {...ids} value={limit} onChange={(e) => onLimit(Number(e.target.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="filter-actions">
        <button type="submit" className="button">
          Filter
        </button>
        <button type="button" className="button" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}

/** The team's audit trail, newest first: who did what to which resource, from where; filtered and paged, all of it in the address. */
export function Audit() {
  const { query, update } = useUrlQuery();
  const filters = filtersOf(query);
  const filterKey = JSON.stringify(filters);
  const asked = Number(query.get('limit'));
  const limit: number = (PAGE_SIZES as readonly number[]).includes(asked) ? asked : 50;
  const paging = useUrlPaging();
  const page = useLoad(
    () => unwrap(api.GET('/v1/audit', { params: { query: { ...filters, limit, ...(paging.cursor ? { cursor: paging.cursor } : {}) } } })),
    [filterKey, limit, paging.cursor],
  );

  return (
    <Page
      title="Audit"
      intro="Every change to the team's keys, tokens and projects, and every private key reveal: who, what, when and from where. Changed fields are named, never their values."
      actions={
        <button type="button" className="button" onClick={page.reload} disabled={page.loading}>
          Refresh
        </button>
      }
    >
      <AuditFilters
        key={filterKey}
        value={filters}
        limit={limit}
        onApply={(f) => update({ ...f, cursor: undefined, page: undefined })}
        onLimit={(n) => update({ limit: n === 50 ? undefined : n, cursor: undefined, page: undefined })}
      />
      <ErrorMessage error={page.error} />
      {page.data && page.data.events.length === 0 && <p className="empty">No events.</p>}
      {page.data && page.data.events.length > 0 && (
        <div className="table-wrap">
          <table className="responsive audit-table" aria-busy={page.loading}>
            <caption className="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Actor</th>
                <th scope="col">Changed</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {page.data.events.map((ev) => (
                <tr key={ev.id} data-action={ev.action}>
                  <td data-label="When">
                    <time dateTime={ev.at}>{formatTime(ev.at)}</time>
                  </td>
                  <th scope="row" data-label="Action">
                    <code>{ev.action}</code>
                  </th>
                  <td data-label="Resource">
                    <span className="muted">{ev.resource_type}</span> <code className="wrap">{ev.resource_id}</code>
                  </td>
                  <td data-label="Actor">
                    <code>{ev.actor}</code>
                  </td>
                  <td data-label="Changed">{ev.changed_fields.length ? ev.changed_fields.join(', ') : <span className="muted">—</span>}</td>
                  <td data-label="From" className="from">
                    <span className="from-ip">{ev.ip ?? '—'}</span>
                    {ev.request_id && (
                      <span className="request-id" title="keyhold's request id">
                        {ev.request_id}
                      </span>
                    )}
                  </td>
                </tr>
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
        noun={['event', 'events']}
        shown={page.data?.events.length ?? 0}
        loading={page.loading}
      />
      {!page.data && page.loading && <p className="loading">Loading…</p>}
    </Page>
  );
}
