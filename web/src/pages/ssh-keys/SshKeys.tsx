import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Page } from '../../components/Page';
import { useToast } from '../../components/Toasts';
import { api, unwrap } from '../../lib/api';
import { useSession } from '../../lib/session';
import { useLoad } from '../../lib/use-load';
import { AddSshKey } from './AddSshKey';
import { SshKeyItem } from './SshKeyItem';

/** The team's SSH private keys: public halves listed, private halves only revealed (and audited). */
export function SshKeys() {
  const session = useSession();
  const toast = useToast();
  const keys = useLoad(() => unwrap(api.GET('/v1/private-keys')), []);
  const [adding, setAdding] = useState(false);
  const canWrite = session.can('write');

  return (
    <Page
      title="SSH keys"
      intro="Private keys for deployments, stored encrypted. Coolify's tools read them through keyhold's Coolify-compatible API."
      actions={
        canWrite &&
        !adding && (
          <button type="button" className="button primary" onClick={() => setAdding(true)}>
            Add SSH key
          </button>
        )
      }
    >
      {adding && (
        <AddSshKey
          onCancel={() => setAdding(false)}
          onAdded={(k) => {
            setAdding(false);
            toast(`Key ${k.name} added.`);
            keys.reload();
          }}
        />
      )}
      <ErrorMessage error={keys.error} />
      {keys.data && keys.data.length === 0 && <p className="empty">No SSH keys yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <ul className="items" aria-label="SSH keys">
          {keys.data.map((k) => (
            <SshKeyItem
              key={k.uuid}
              sshKey={k}
              canWrite={canWrite}
              canReveal={session.canReveal}
              canReadSignatures={session.can('read') || session.can('sign')}
              onChanged={(_, what) => {
                toast(what);
                keys.reload();
              }}
              onDeleted={(d) => {
                toast(`Key ${d.name} deleted.`);
                keys.reload();
              }}
            />
          ))}
        </ul>
      )}
      {!keys.data && keys.loading && <p className="loading">Loading…</p>}
    </Page>
  );
}
