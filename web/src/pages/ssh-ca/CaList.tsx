import { type FormEvent, useRef, useState } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useToast } from '../../components/Toasts';
import { api, fieldErrors, type Schemas, unwrap } from '../../lib/api';
import { closeOnEscape } from '../../lib/escape';
import { formatTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useLoad } from '../../lib/use-load';
import '../../styles/ssh.css';

/** The server-side lines for a CA (docs/ssh-ca.md): TrustedUserCAKeys for a user CA, @cert-authority for a host CA; the team's KRL for both. */
export function caSnippet(ca: Schemas['SshCa'], origin: string): string {
  const krl = [
    `# The team's KRL (write it before adding RevokedKeys; refresh it every minute, see docs/ssh-ca.md):`,
    `curl -fsS -H "Authorization: Bearer $KEYHOLD_TOKEN" -o /etc/ssh/keyhold.krl.new "${origin}/v1/ssh/krl" && mv /etc/ssh/keyhold.krl.new /etc/ssh/keyhold.krl`,
  ];
  if (ca.type === 'user')
    return [
      `# /etc/ssh/sshd_config`,
      `TrustedUserCAKeys /etc/ssh/keyhold_user_ca.pub`,
      `AuthorizedPrincipalsFile /etc/ssh/auth_principals/%u`,
      `RevokedKeys /etc/ssh/keyhold.krl`,
      ``,
      `# /etc/ssh/keyhold_user_ca.pub`,
      ca.public_key,
      ``,
      ...krl,
    ].join('\n');
  return [
    `# known_hosts of each client (StrictHostKeyChecking yes); the second line for servers on another port than 22`,
    `@cert-authority *.example.com ${ca.public_key}`,
    `@cert-authority [*.example.com]:* ${ca.public_key}`,
  ].join('\n');
}

function CaItem({ ca, canRoot, onDeleted }: { ca: Schemas['SshCa']; canRoot: boolean; onDeleted: () => void }) {
  const line = useRef<HTMLElement>(null);
  const pre = useRef<HTMLPreElement>(null);
  const snippet = caSnippet(ca, location.origin);
  const del = useAction(async () => {
    await unwrap(api.DELETE('/v1/ssh/cas/{name}', { params: { path: { name: ca.name } } }));
    onDeleted();
  });
  const id = `ca-${ca.name}`;
  return (
    <li className="item" aria-labelledby={id} data-ca={ca.name}>
      <div className="item-head">
        <h3 id={id} className="item-title">
          {ca.name}
        </h3>
        <span className="tag">{ca.type} CA</span>
      </div>
      <dl className="facts">
        <div>
          <dt>Fingerprint</dt>
          <dd>
            <code className="wrap">{ca.fingerprint}</code>
          </dd>
        </div>
        <div>
          <dt>Public key</dt>
          <dd className="with-copy">
            <code ref={line} className="wrap public-key">
              {ca.public_key}
            </code>
            <CopyButton text={ca.public_key} label={`Copy the public key of CA ${ca.name}`} target={line} />
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatTime(ca.created_at)}</dd>
        </div>
      </dl>
      <div className="snippet">
        <div className="snippet-head">
          <h4>{ca.type === 'user' ? 'sshd configuration' : 'known_hosts lines'}</h4>
          <CopyButton text={snippet} label={`Copy the ${ca.type === 'user' ? 'sshd configuration' : 'known_hosts lines'} for CA ${ca.name}`} target={pre} />
        </div>
        <pre ref={pre} className="snippet-code" data-snippet={ca.name}>
          <code>{snippet}</code>
        </pre>
        {ca.type === 'host' && (
          <p className="hint">
            Replace <code>*.example.com</code> with the names clients use for your servers. Servers present a host certificate from a role of this CA (
            <code>keyhold ssh host-cert</code>, then <code>HostCertificate</code> in sshd_config).
          </p>
        )}
      </div>
      <ErrorMessage error={del.error} />
      {canRoot && (
        <div className="item-actions">
          <ConfirmButton
            label="Delete"
            ariaLabel={`Delete CA ${ca.name}`}
            question={<>Delete CA {ca.name}? Its roles, inventory and revocations go with it (refused while it has unexpired certificates).</>}
            onConfirm={() => del.run().then(() => undefined)}
          />
        </div>
      )}
    </li>
  );
}

const CA_FIELDS = ['name', 'type', 'private_key_uuid'] as const;

function CreateCa({ onCreated, onCancel }: { onCreated: (ca: Schemas['SshCa']) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<'user' | 'host'>('user');
  const [keyUuid, setKeyUuid] = useState('');
  const keys = useLoad(() => unwrap(api.GET('/v1/private-keys')), []);
  const create = useAction(async () =>
    onCreated(await unwrap(api.POST('/v1/ssh/cas', { body: { name: name.trim(), type, ...(keyUuid ? { private_key_uuid: keyUuid } : {}) } }))),
  );
  const errors = create.error ? fieldErrors(create.error, CA_FIELDS) : { fields: {} as Partial<Record<(typeof CA_FIELDS)[number], string>> };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  return (
    <form className="panel" onSubmit={submit} noValidate onKeyDown={closeOnEscape(onCancel)} aria-labelledby="create-ca-title">
      <h2 id="create-ca-title">New CA</h2>
      <Field label="CA name" error={errors.fields.name}>
        {(ids) => <input {...ids} name="name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />}
      </Field>
      <Field label="Type" hint="user: certificates that log people and jobs in; host: certificates that prove servers." error={errors.fields.type}>
        {(ids) => (
          <select {...ids} name="type" value={type} onChange={(e) => setType(e.target.value as 'user' | 'host')}>
            <option value="user">user</option>
            <option value="host">host</option>
          </select>
        )}
      </Field>
      <Field label="Signing key" hint="Without one, keyhold generates an Ed25519 key (stored like any private key)." error={errors.fields.private_key_uuid}>
        {(ids) => (
          <select {...ids} name="private_key_uuid" value={keyUuid} onChange={(e) => setKeyUuid(e.target.value)}>
            <option value="">Generate a new Ed25519 key</option>
            {keys.data?.map((k) => (
              <option key={k.uuid} value={k.uuid}>
                {k.name} ({k.key_type})
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorMessage error={errors.form ?? keys.error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create CA'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The team's CAs, each with its line to trust and the server snippet. */
export function CaList({ cas, canRoot, onChanged }: { cas: Schemas['SshCa'][] | undefined; canRoot: boolean; onChanged: () => void }) {
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  return (
    <section aria-labelledby="cas-title" className="ssh-ca-grid">
      <div className="page-head">
        <h2 id="cas-title">Certificate authorities</h2>
        {canRoot && !creating && (
          <button type="button" className="button" onClick={() => setCreating(true)}>
            New CA
          </button>
        )}
      </div>
      {creating && (
        <CreateCa
          onCancel={() => setCreating(false)}
          onCreated={(ca) => {
            setCreating(false);
            toast(`CA ${ca.name} created.`);
            onChanged();
          }}
        />
      )}
      {cas && cas.length === 0 && <p className="empty">No CAs yet.</p>}
      {cas && cas.length > 0 && (
        <ul className="items" aria-label="Certificate authorities">
          {cas.map((ca) => (
            <CaItem
              key={ca.name}
              ca={ca}
              canRoot={canRoot}
              onDeleted={() => {
                toast(`CA ${ca.name} deleted.`);
                onChanged();
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
