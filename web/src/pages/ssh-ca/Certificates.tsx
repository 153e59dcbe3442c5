import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { Pager } from '../../components/Pager';
import { StatusBadge } from '../../components/StatusBadge';
import { useToast } from '../../components/Toasts';
import { api, type Schemas, unwrap } from '../../lib/api';
import { formatTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useCursor } from '../../lib/use-cursor';
import { useLoad } from '../../lib/use-load';
import '../../styles/ssh.css';

interface Filters {
  ca: string;
  principal: string;
  key_id: string;
  active: '' | 'true' | 'false';
}
const NONE: Filters = { ca: '', principal: '', key_id: '', active: '' };
const PAGE = 25;

/** Every certificate keyhold issued, newest first, filtered and paged; revoke one (root). */
export function Certificates({ cas, canRoot }: { cas: Schemas['SshCa'][]; canRoot: boolean }) {
  const toast = useToast();
  const [draft, setDraft] = useState<Filters>(NONE);
  const [filters, setFilters] = useState<Filters>(NONE);
  const paging = useCursor();
  const certs = useLoad(
    () =>
      unwrap(
        api.GET('/v1/ssh/certificates', {
          params: {
            query: {
              limit: PAGE,
              ...(paging.cursor ? { cursor: paging.cursor } : {}),
              ...(filters.ca ? { ca: filters.ca } : {}),
              ...(filters.principal ? { principal: filters.principal } : {}),
              ...(filters.key_id ? { key_id: filters.key_id } : {}),
              ...(filters.active ? { active: filters.active === 'true' } : {}),
            },
          },
        }),
      ),
    [filters, paging.cursor],
  );
  const revoke = useAction(async (c: Schemas['SshCertificate']) => {
    await unwrap(api.POST('/v1/ssh/certificates/{serial}/revoke', { params: { path: { serial: c.serial } } }));
    toast(`Certificate ${c.serial} revoked.`);
    certs.reload();
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    paging.first();
    setFilters(draft);
  };
  const rows = certs.data?.certificates;
  return (
    <section aria-labelledby="certs-title">
      <div className="page-head">
        <h2 id="certs-title">Certificates</h2>
      </div>
      <form className="filters" onSubmit={apply} aria-label="Filter certificates">
        <Field label="CA">
          {(ids) => (
            <select {...ids} name="ca" value={draft.ca} onChange={(e) => setDraft({ ...draft, ca: e.target.value })}>
              <option value="">Any</option>
              {cas.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Principal">
          {(ids) => <input {...ids} name="principal" value={draft.principal} onChange={(e) => setDraft({ ...draft, principal: e.target.value })} />}
        </Field>
        <Field label="Key id">
          {(ids) => <input {...ids} name="key_id" value={draft.key_id} onChange={(e) => setDraft({ ...draft, key_id: e.target.value })} />}
        </Field>
        <Field label="State">
          {(ids) => (
            <select {...ids} name="active" value={draft.active} onChange={(e) => setDraft({ ...draft, active: e.target.value as Filters['active'] })}>
              <option value="">Any</option>
              <option value="true">Active</option>
              <option value="false">Expired or revoked</option>
            </select>
          )}
        </Field>
        <div className="filter-actions">
          <button type="submit" className="button">
            Filter
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(NONE);
              setFilters(NONE);
              paging.first();
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorMessage error={certs.error ?? revoke.error} />
      {rows && rows.length === 0 && <p className="empty">No certificates{filters === NONE ? ' issued yet' : ' match'}.</p>}
      {rows && rows.length > 0 && (
        <div className="table-wrap" aria-busy={certs.loading}>
          <table className="responsive ssh-certs">
            <caption className="visually-hidden">Certificates</caption>
            <thead>
              <tr>
                <th scope="col">Serial</th>
                <th scope="col">Key id</th>
                <th scope="col">Principals</th>
                <th scope="col">CA / role</th>
                <th scope="col">Valid</th>
                <th scope="col">Asked by</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.serial} data-serial={c.serial}>
                  <th scope="row" data-label="Serial">
                    {c.serial}
                  </th>
                  <td data-label="Key id">
                    <code className="wrap">{c.key_id}</code>
                  </td>
                  <td data-label="Principals">{c.principals.join(', ')}</td>
                  <td data-label="CA / role">
                    {c.ca} / {c.role} <span className="muted">({c.type})</span>
                  </td>
                  <td data-label="Valid">
                    {formatTime(c.valid_after)} – {formatTime(c.valid_before)}
                  </td>
                  <td data-label="Asked by">{c.requested_by}</td>
                  <td data-label="State">
                    <StatusBadge status={c.state} />
                    {c.revoked_at && <div className="muted">{formatTime(c.revoked_at)}</div>}
                  </td>
                  <td data-label="Actions" className="actions">
                    {canRoot && c.state === 'active' && (
                      <ConfirmButton
                        label="Revoke"
                        ariaLabel={`Revoke certificate ${c.serial}`}
                        question={<>Revoke certificate {c.serial}? Servers refuse it once they fetch the KRL again.</>}
                        onConfirm={() => revoke.run(c).then(() => undefined)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!certs.data && certs.loading && <p className="loading">Loading…</p>}
      <Pager
        depth={paging.depth}
        next={certs.data?.next_cursor}
        onFirst={paging.first}
        onPrevious={paging.previous}
        onNext={paging.next}
        noun={['certificate', 'certificates']}
        shown={rows?.length ?? 0}
        loading={certs.loading}
      />
    </section>
  );
}
