import { useRef, useState } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { api, type Schemas, unwrap } from '../../lib/api';
import { formatTime } from '../../lib/time';
import { EditSshKey } from './EditSshKey';
import { KeySignatures } from './KeySignatures';
import { SigningPolicy } from './SigningPolicy';

interface Props {
  sshKey: Schemas['SshKey'];
  canWrite: boolean;
  canReveal: boolean;
  /** May the caller read the key's signatures (read or sign)? */
  canReadSignatures: boolean;
  onChanged: (key: Schemas['SshKey'], what: string) => void;
  onDeleted: (key: Schemas['SshKey']) => void;
}

/** One key: its public half, and what the caller may do with it. Every text from keyhold is a React text node. */
export function SshKeyItem({ sshKey, canWrite, canReveal, canReadSignatures, onChanged, onDeleted }: Props) {
  const [showSignatures, setShowSignatures] = useState(false);
  const [editing, setEditing] = useState<'details' | 'replace'>();
  const [revealed, setRevealed] = useState<string>();
  const [error, setError] = useState<unknown>();
  const publicKey = useRef<HTMLElement>(null);
  const privateKey = useRef<HTMLTextAreaElement>(null);

  const reveal = async () => {
    setError(undefined);
    try {
      const r = await unwrap(api.POST('/v1/private-keys/{uuid}/reveal', { params: { path: { uuid: sshKey.uuid } } }));
      setRevealed(r.private_key);
    } catch (e) {
      setError(e);
    }
  };
  const remove = async () => {
    setError(undefined);
    try {
      await unwrap(api.DELETE('/v1/private-keys/{uuid}', { params: { path: { uuid: sshKey.uuid } } }));
      onDeleted(sshKey);
    } catch (e) {
      setError(e);
    }
  };

  const headingId = `ssh-${sshKey.uuid}`;
  return (
    <li className="item" aria-labelledby={headingId}>
      <div className="item-head">
        <h2 id={headingId} className="item-title">
          {sshKey.name}
        </h2>
        <span className="tag">{sshKey.key_type}</span>
      </div>
      {sshKey.description && <p className="item-description">{sshKey.description}</p>}
      <dl className="facts">
        <div>
          <dt>Fingerprint</dt>
          <dd>
            <code className="wrap">{sshKey.fingerprint ?? '—'}</code>
          </dd>
        </div>
        <div>
          <dt>Public key</dt>
          <dd className="with-copy">
            <code ref={publicKey} className="wrap public-key">
              {sshKey.public_key}
            </code>
            <CopyButton text={sshKey.public_key} label={`Copy the public key of ${sshKey.name}`} target={publicKey} />
          </dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{formatTime(sshKey.updated_at)}</dd>
        </div>
      </dl>
      {revealed !== undefined && (
        <div className="revealed">
          <label htmlFor={`${headingId}-private`}>Private key of {sshKey.name} (this reveal is in the audit trail)</label>
          <textarea id={`${headingId}-private`} ref={privateKey} className="key-text" readOnly rows={6} value={revealed} spellCheck={false} />
          <div className="form-actions">
            <CopyButton text={revealed} label={`Copy the private key of ${sshKey.name}`} target={privateKey} className="button" />
            <button type="button" className="button" onClick={() => setRevealed(undefined)}>
              Hide
            </button>
          </div>
        </div>
      )}
      {editing && (
        <EditSshKey
          sshKey={sshKey}
          mode={editing}
          onCancel={() => setEditing(undefined)}
          onSaved={(k) => {
            setEditing(undefined);
            onChanged(k, editing === 'replace' ? `Key pair of ${k.name} replaced.` : `Key ${k.name} saved.`);
          }}
        />
      )}
      <SigningPolicy sshKey={sshKey} canWrite={canWrite} onSaved={(k) => onChanged(k, `Signing policy of ${k.name} saved.`)} />
      {showSignatures && <KeySignatures uuid={sshKey.uuid} name={sshKey.name} />}
      <ErrorMessage error={error} />
      {!editing && (canWrite || canReveal || canReadSignatures) && (
        <div className="item-actions">
          {canReadSignatures && (
            <button
              type="button"
              className="button small"
              aria-expanded={showSignatures}
              onClick={() => setShowSignatures((v) => !v)}
              aria-label={`${showSignatures ? 'Hide' : 'Show'} the signatures of ${sshKey.name}`}
            >
              {showSignatures ? 'Hide signatures' : 'Signatures'}
            </button>
          )}
          {canWrite && (
            <>
              <button type="button" className="button small" onClick={() => setEditing('details')} aria-label={`Edit ${sshKey.name}`}>
                Edit
              </button>
              <button type="button" className="button small" onClick={() => setEditing('replace')} aria-label={`Replace the key pair of ${sshKey.name}`}>
                Replace key
              </button>
            </>
          )}
          {canReveal && revealed === undefined && (
            <button type="button" className="button small" onClick={() => void reveal()} aria-label={`Reveal the private key of ${sshKey.name}`}>
              Reveal
            </button>
          )}
          {canWrite && (
            <ConfirmButton
              label="Delete"
              ariaLabel={`Delete ${sshKey.name}`}
              question={<>Delete {sshKey.name}? Servers using it stop accepting it only when you remove its public key there.</>}
              onConfirm={remove}
            />
          )}
        </div>
      )}
    </li>
  );
}
