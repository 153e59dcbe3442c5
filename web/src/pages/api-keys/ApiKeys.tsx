import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { SecretOnce } from '../../components/SecretOnce';
import { useToast } from '../../components/Toasts';
import { Warnings } from '../../components/Warnings';
import { api, type Schemas, unwrap } from '../../lib/api';
import { formatTime } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../lib/session';
import { useUrlPaging, useUrlQuery } from '../../lib/url-state';
import { ApiKeyFilters, filtersOf } from './ApiKeyFilters';
import { ApiKeyRow } from './ApiKeyRow';
import { CreateApiKey } from './CreateApiKey';
import { CurlSnippets } from './CurlSnippets';

const PAGE_SIZE = 25;

/** The team's CaaS API keys across projects: filtered, paged, created and rerolled (secret shown once), disabled, edited, deleted. */
export function ApiKeys() {
  const session = useSession();
  const toast = useToast();
  const canWrite = session.can('write');
  // Filters and the page on show live in the address (bookmarkable; Back goes back).
  const { query, update } = useUrlQuery();
  const filters = filtersOf(query);
  const filterKey = JSON.stringify(filters);
  const paging = useUrlPaging();
  const [creating, setCreating] = useState(false);
  // A secret keyhold just answered (a new key, or a reroll): shown once, kept only in this state.
  const [created, setCreated] = useState<{ key: Schemas['ApiKeyCreated']; rerolled: boolean }>();
  // keyhold saved a change but warned about it (an expiry in the past): said until dismissed.
  const [warned, setWarned] = useState<{ name: string; warnings: string[] }>();

  const scope = useLoad(() => Promise.all([unwrap(api.GET('/v1/projects')), unwrap(api.GET('/v1/regions'))]), []);
  const page = useLoad(
    () => unwrap(api.GET('/v1/api-keys', { params: { query: { ...filters, limit: PAGE_SIZE, ...(paging.cursor ? { cursor: paging.cursor } : {}) } } })),
    [filterKey, paging.cursor],
  );
  const [projects, regions] = scope.data ?? [[], []];

  return (
    <Page
      title="API keys"
      intro="Keys your gateways admit to containers (Gcore CaaS-compatible). A key's secret is shown once, when it is created."
      actions={
        canWrite &&
        !creating &&
        !created && (
          <button type="button" className="button primary" onClick={() => setCreating(true)} disabled={!scope.data}>
            New API key
          </button>
        )
      }
    >
      <ErrorMessage error={scope.error} />
      {warned && <Warnings title={`Key ${warned.name} saved, with a warning:`} warnings={warned.warnings} onDismiss={() => setWarned(undefined)} />}
      {created && (
        <SecretOnce what={created.rerolled ? 'New API key secret' : 'API key secret'} value={created.key.secret} onDone={() => setCreated(undefined)}>
          <p className="hint">
            Key <strong>{created.key.name}</strong> (project {created.key.project_id}, region {created.key.region_id}). Clients send it as{' '}
            <code>X-API-Key</code>; gateways check it with <code>POST /v1/keys/verify</code> or forward-auth.
            {created.rerolled &&
              (created.key.rotating_until ? (
                <> The old secret keeps verifying until {formatTime(created.key.rotating_until)}.</>
              ) : (
                <> The old secret no longer verifies.</>
              ))}
          </p>
          <Warnings title="keyhold warns:" warnings={created.key.warnings} />
          {!created.rerolled && <CurlSnippets apiKey={created.key} />}
        </SecretOnce>
      )}
      {creating && scope.data && (
        <CreateApiKey
          projects={projects}
          regions={regions}
          onCancel={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false);
            setCreated({ key: k, rerolled: false });
            toast(`Key ${k.name} created.`);
            page.reload();
          }}
        />
      )}
      <ApiKeyFilters
        key={filterKey}
        value={filters}
        projects={projects}
        regions={regions}
        onApply={(f) => update({ ...f, cursor: undefined, page: undefined })}
      />
      <ErrorMessage error={page.error} />
      {page.data && page.data.keys.length === 0 && (
        <p className="empty">{Object.values(filters).some((v) => v !== undefined) ? 'No key matches these filters.' : 'No API keys yet.'}</p>
      )}
      {page.data && page.data.keys.length > 0 && (
        <div className="table-wrap">
          <table className="responsive keys-table" aria-busy={page.loading}>
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Project / region</th>
                <th scope="col">Status</th>
                <th scope="col">Containers</th>
                <th scope="col">Rate limit</th>
                <th scope="col">Expires</th>
                <th scope="col">Used in the last 30 days</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.keys.map((k) => (
                <ApiKeyRow
                  key={`${k.project_id}/${k.region_id}/${k.name}`}
                  apiKey={k}
                  canWrite={canWrite}
                  onChanged={(next, what) => {
                    toast(what);
                    setWarned(next.warnings?.length ? { name: next.name, warnings: next.warnings } : undefined);
                    page.reload();
                  }}
                  onDeleted={(d) => {
                    toast(`Key ${d.name} deleted.`);
                    page.reload();
                  }}
                  onRerolled={(r) => {
                    setCreating(false);
                    setCreated({ key: r, rerolled: true });
                    toast(`Key ${r.name} rerolled.`);
                    page.reload();
                  }}
                />
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
        noun={['key', 'keys']}
        shown={page.data?.keys.length ?? 0}
        loading={page.loading}
      />
      {!page.data && page.loading && <p className="loading">Loading…</p>}
    </Page>
  );
}
