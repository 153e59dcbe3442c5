import { ErrorMessage } from '../../components/ErrorMessage';
import { Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { CODES, totalsOf, VerificationChart } from '../../components/VerificationChart';
import { WindowPicker } from '../../components/WindowPicker';
import { api, unwrap } from '../../lib/api';
import { Link, useRoute } from '../../lib/router';
import { formatTime, formatTimeSeconds, relativeTime } from '../../lib/time';
import { STEP_MS, usageQuery, useUsageWindow } from '../../lib/usage-window';
import { useLoad } from '../../lib/use-load';
import '../../styles/usage.css';

const REFUSALS = 50;

/** One API key's usage: its chart by outcome, totals, last use and recent refusals (issue 20's console part). */
export function ApiKeyUsage() {
  const { query } = useRoute();
  const project = Number(query.get('project'));
  const region = Number(query.get('region'));
  const name = query.get('name') ?? '';
  const valid = Number.isInteger(project) && project > 0 && Number.isInteger(region) && region > 0 && name !== '';
  const [window, setWindow] = useUsageWindow();
  const path = { project_id: project, region_id: region, name };

  const key = useLoad(
    () => (valid ? unwrap(api.GET('/v1/api-keys/{project_id}/{region_id}/{name}', { params: { path } })) : Promise.resolve(undefined)),
    [project, region, name],
  );
  const usage = useLoad(
    () =>
      valid
        ? unwrap(api.GET('/v1/api-keys/{project_id}/{region_id}/{name}/usage', { params: { path, query: usageQuery(window) } }))
        : Promise.resolve(undefined),
    [project, region, name, window.id],
  );
  const refusals = useLoad(
    () =>
      valid
        ? unwrap(api.GET('/v1/api-keys/{project_id}/{region_id}/{name}/refusals', { params: { path, query: { limit: REFUSALS } } }))
        : Promise.resolve(undefined),
    [project, region, name],
  );
  const reload = () => {
    key.reload();
    usage.reload();
    refusals.reload();
  };

  const k = key.data;
  const u = usage.data;
  const totals = u ? totalsOf(u.series) : undefined;
  const all = totals ? CODES.reduce((s, c) => s + totals[c], 0) : 0;
  const refused = totals ? all - totals.VALID : 0;

  return (
    <Page
      title={name ? `Usage of ${name}` : 'API key usage'}
      actions={
        <>
          <button type="button" className="button" onClick={reload} disabled={usage.loading}>
            Refresh
          </button>
          <Link to="/api-keys" className="button">
            All API keys
          </Link>
        </>
      }
    >
      {!valid && <p className="error">This address names no key: it needs ?project=, ?region= and ?name=.</p>}
      {/* An unknown key fails the three questions alike: said once. */}
      <ErrorMessage error={key.error ?? usage.error ?? refusals.error} />
      {k && (
        <dl className="usage-facts" aria-label="Key">
          <dt>Project / region</dt>
          <dd>
            {k.project_id} / {k.region_id}
          </dd>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={k.status} />
          </dd>
          <dt>Last use</dt>
          <dd data-testid="last-use">
            {k.last_used_at ? (
              <time dateTime={k.last_used_at} title={formatTime(k.last_used_at)}>
                {relativeTime(k.last_used_at)} ({formatTime(k.last_used_at)})
              </time>
            ) : (
              <span className="muted">never</span>
            )}
          </dd>
        </dl>
      )}
      {valid && (
        <section aria-labelledby="usage-title">
          <div className="usage-head">
            <h2 id="usage-title">Verifications, {window.span.replace(/^the /, '')}</h2>
            <WindowPicker value={window} onChange={setWindow} />
          </div>
          {u && totals && (
            <>
              <ul className="usage-totals" aria-label="Totals for the window">
                <li>
                  <span className="card-number">{all}</span> <span className="card-label">answers</span>
                </li>
                <li>
                  <span className="card-number">{totals.VALID}</span> <span className="card-label">valid</span>
                </li>
                <li>
                  <span className="card-number">{refused}</span> <span className="card-label">refused</span>
                </li>
              </ul>
              <div aria-busy={usage.loading}>
                <VerificationChart points={u.series} stepMs={STEP_MS[u.granularity]} span={window.span} />
              </div>
              <p className="hint">
                From {formatTime(u.from)} to {formatTime(u.to)}, per {u.granularity}, every keyhold process counted (written every few seconds).
              </p>
            </>
          )}
          {!u && usage.loading && <p className="loading">Loading…</p>}
        </section>
      )}
      {valid && (
        <section aria-labelledby="refusals-title">
          <h2 id="refusals-title">Recent refusals</h2>
          {refusals.data && refusals.data.refusals.length === 0 && <p className="empty">No refusals of this key kept.</p>}
          {refusals.data && refusals.data.refusals.length > 0 && (
            <div className="table-wrap">
              <table className="responsive refusals-table" aria-busy={refusals.loading}>
                <caption className="visually-hidden">Recent refusals</caption>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Code</th>
                    <th scope="col">Container</th>
                    <th scope="col">Client address</th>
                    <th scope="col">Request id</th>
                  </tr>
                </thead>
                <tbody>
                  {refusals.data.refusals.map((r, i) => (
                    <tr key={`${r.at}-${r.request_id ?? i}`} data-code={r.code}>
                      <th scope="row" data-label="Time">
                        <time dateTime={r.at}>{formatTimeSeconds(r.at)}</time>
                      </th>
                      <td data-label="Code">
                        <code>{r.code}</code>
                      </td>
                      <td data-label="Container">
                        <code>{r.container.name}</code> <span className="muted">in {r.container.namespace}</span>
                      </td>
                      <td data-label="Client address">{r.ip ?? <span className="muted">—</span>}</td>
                      <td data-label="Request id">{r.request_id ? <code>{r.request_id}</code> : <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="hint">The newest refusals, newest first (keyhold keeps the last 100 per key).</p>
        </section>
      )}
    </Page>
  );
}
