import { ErrorMessage } from '../../components/ErrorMessage';
import { Page } from '../../components/Page';
import { api, unwrap } from '../../lib/api';
import { useSession } from '../../lib/session';
import { useLoad } from '../../lib/use-load';
import { CaList } from './CaList';
import { Certificates } from './Certificates';
import { Roles } from './Roles';
import '../../styles/ssh.css';

/** The team's SSH certificate authorities, roles and certificates (issue 18's console part). */
export function SshCa() {
  const session = useSession();
  const canRoot = session.can('root');
  const cas = useLoad(() => unwrap(api.GET('/v1/ssh/cas')), []);
  const roles = useLoad(() => unwrap(api.GET('/v1/ssh/roles')), []);
  return (
    <Page
      title="SSH certificate authority"
      intro="Servers trust one CA line; each login carries a short-lived certificate from a role. Every certificate is in the inventory, and revoked ones in the team's KRL."
    >
      <ErrorMessage error={cas.error ?? roles.error} />
      {!cas.data && cas.loading && <p className="loading">Loading…</p>}
      {cas.data && (
        <div className="ssh-ca-grid">
          <CaList
            cas={cas.data}
            canRoot={canRoot}
            onChanged={() => {
              cas.reload();
              roles.reload();
            }}
          />
          <Roles roles={roles.data} cas={cas.data} canRoot={canRoot} onChanged={roles.reload} />
          <Certificates cas={cas.data} canRoot={canRoot} />
        </div>
      )}
    </Page>
  );
}
