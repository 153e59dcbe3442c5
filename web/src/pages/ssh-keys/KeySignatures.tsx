import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBadge } from '../../components/StatusBadge';
import { api, unwrap } from '../../lib/api';
import { formatTime } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import '../../styles/ssh.css';

const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** A key's recent signatures and refusals (from the audit), newest first: who, where, for what, and the outcome. */
export function KeySignatures({ uuid, name }: { uuid: string; name: string }) {
  const sigs = useLoad(() => unwrap(api.GET('/v1/private-keys/{uuid}/signatures', { params: { path: { uuid }, query: { limit: 20 } } })), [uuid]);
  const rows = sigs.data?.events;
  return (
    <section className="ssh-section" aria-label={`Recent signatures of ${name}`}>
      <h3>Recent signatures</h3>
      <ErrorMessage error={sigs.error} />
      {rows && rows.length === 0 && <p className="empty">No signatures yet.</p>}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="responsive ssh-signatures">
            <caption className="visually-hidden">Recent signatures of {name}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Token</th>
                <th scope="col">Where</th>
                <th scope="col">Purpose</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const d = r.detail ?? {};
                const user = text(d.user);
                const host = text(d.host_fingerprint);
                const outcome = text(d.outcome) ?? 'unknown';
                const reason = text(d.message) ?? text(d.reason);
                return (
                  <tr key={r.id} data-signature={r.id}>
                    <td data-label="When">{formatTime(r.at)}</td>
                    <td data-label="Token">{r.token_id !== null ? `token #${r.token_id}` : r.actor}</td>
                    <td data-label="Where">
                      {user || host ? (
                        <>
                          {user ?? '?'}@<code className="wrap">{host ?? 'unbound host'}</code>
                        </>
                      ) : (
                        <span className="muted">{text(d.namespace) ? `namespace ${text(d.namespace)}` : '—'}</span>
                      )}
                      {d.forwarded === true && <span className="tag">forwarded</span>}
                    </td>
                    <td data-label="Purpose">{text(d.purpose) ?? '—'}</td>
                    <td data-label="Outcome">
                      <StatusBadge status={outcome} />
                      {outcome === 'refused' && reason && <div className="muted">{reason}</div>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {!sigs.data && sigs.loading && <p className="loading">Loading…</p>}
      {sigs.data && (
        <button type="button" className="button small" onClick={sigs.reload} aria-label={`Reload the signatures of ${name}`}>
          Reload
        </button>
      )}
    </section>
  );
}
