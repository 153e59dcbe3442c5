import { ErrorMessage } from '../components/ErrorMessage';
import { Page } from '../components/Page';
import { VerificationChart } from '../components/VerificationChart';
import { api, unwrap } from '../lib/api';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** What the team has, and the last hour of gateway verifications. */
export function Overview() {
  const o = useLoad(() => unwrap(api.GET('/v1/overview')), []);
  const d = o.data;
  return (
    <Page
      title="Overview"
      actions={
        <button type="button" className="button" onClick={o.reload} disabled={o.loading}>
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
            <h2 id="verif-title">Verifications, last hour</h2>
            <p className="hint">Answers every keyhold process gave gateways about the team&apos;s API keys, per minute (written every few seconds).</p>
            <VerificationChart minutes={d.verifications} />
          </section>
        </>
      )}
      {!d && o.loading && <p className="loading">Loading…</p>}
    </Page>
  );
}
