import { ErrorMessage } from '../components/ErrorMessage';
import { Page } from '../components/Page';
import { VerificationChart } from '../components/VerificationChart';
import { WindowPicker } from '../components/WindowPicker';
import { api, type Schemas, unwrap } from '../lib/api';
import { Link } from '../lib/router';
import { STEP_MS, usageQuery, useUsageWindow } from '../lib/usage-window';
import { useLoad } from '../lib/use-load';
import { usageLink } from './api-keys/usage-link';
import '../styles/usage.css';

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** One list of top keys, each linking to its usage page for the same window. */
function TopKeys({ title, keys, window, what }: { title: string; keys: Schemas['UsageTopKey'][]; window: string; what: 'total' | 'refused' }) {
  const id = `top-${what}`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {keys.length === 0 ? (
        <p className="empty">None in this window.</p>
      ) : (
        <ol>
          {keys.map((k) => (
            <li key={`${k.project_id}/${k.region_id}/${k.name}`} data-key={k.name}>
              <Link to={usageLink(k, window)}>{k.name}</Link>{' '}
              <span className="muted">
                ({k.project_id} / {k.region_id})
              </span>
              <span className="legend-count">{what === 'total' ? `${k.total} answers` : `${k.refused} refused`}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** What the team has, its gateway verifications over a window, and its busiest and most refused keys. */
export function Overview() {
  const [window, setWindow] = useUsageWindow();
  const o = useLoad(() => unwrap(api.GET('/v1/overview')), []);
  const usage = useLoad(() => unwrap(api.GET('/v1/usage', { params: { query: usageQuery(window) } })), [window.id]);
  const d = o.data;
  const u = usage.data;
  const reload = () => {
    o.reload();
    usage.reload();
  };
  return (
    <Page
      title="Overview"
      actions={
        <button type="button" className="button" onClick={reload} disabled={o.loading || usage.loading}>
          Refresh
        </button>
      }
    >
      <ErrorMessage error={o.error} />
      {d && (
        <>
          <ul className="cards" aria-label="Counts">
            <li className="card">
              <Link to="/ssh-keys">
                <span className="card-number">{d.private_keys}</span> <span className="card-label">{plural(d.private_keys, 'SSH key', 'SSH keys')}</span>
              </Link>
            </li>
            <li className="card">
              <Link to="/api-keys">
                <span className="card-number">{d.api_keys.active + d.api_keys.disabled + d.api_keys.expired}</span>{' '}
                <span className="card-label">{plural(d.api_keys.active + d.api_keys.disabled + d.api_keys.expired, 'API key', 'API keys')}</span>
              </Link>
              <span className="card-detail">
                {d.api_keys.active} active · {d.api_keys.disabled} disabled · {d.api_keys.expired} expired
              </span>
            </li>
            <li className="card">
              <span className="card-number">{d.tokens}</span> <span className="card-label">{plural(d.tokens, 'live token', 'live tokens')}</span>
            </li>
            <li className="card">
              <Link to="/projects">
                <span className="card-number">{d.projects}</span> <span className="card-label">{plural(d.projects, 'project', 'projects')}</span>
              </Link>
            </li>
          </ul>
          <section aria-labelledby="verif-title">
            <div className="usage-head">
              <h2 id="verif-title">Verifications, {window.span.replace(/^the /, '')}</h2>
              <WindowPicker value={window} onChange={setWindow} />
            </div>
            <p className="hint">
              Answers every keyhold process gave gateways about the team&apos;s API keys, per {window.granularity} (written every few seconds).
            </p>
            <ErrorMessage error={usage.error} />
            {u && (
              <div aria-busy={usage.loading}>
                <VerificationChart points={u.series} stepMs={STEP_MS[u.granularity]} span={window.span} />
                <div className="top-keys">
                  <TopKeys title="Most used keys" keys={u.top_keys} window={window.id} what="total" />
                  <TopKeys title="Most refused keys" keys={u.top_refused_keys} window={window.id} what="refused" />
                </div>
              </div>
            )}
            {!u && usage.loading && <p className="loading">Loading…</p>}
          </section>
        </>
      )}
      {!d && o.loading && <p className="loading">Loading…</p>}
    </Page>
  );
}
