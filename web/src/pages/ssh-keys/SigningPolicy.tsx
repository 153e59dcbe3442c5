import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { api, messageOf, type Schemas, unwrap } from '../../lib/api';
import { closeOnEscape } from '../../lib/escape';
import { useAction } from '../../lib/use-action';
import '../../styles/ssh.css';

const PURPOSES = [
  { value: 'ssh', help: 'SSH logins' },
  { value: 'git', help: 'git commit and tag signatures (SSHSIG, namespace git)' },
  { value: 'file', help: 'file signatures (SSHSIG, namespace file)' },
] as const;
type Purpose = (typeof PURPOSES)[number]['value'];
type PolicyField = 'hosts' | 'users' | 'purposes' | 'forwarding';

/** keyhold's 400 sentences ("signing.hosts/0 must match …; …"), each at the field it names. */
function sortErrors(e: unknown): { form?: string; fields: Partial<Record<PolicyField, string>> } {
  const fields: Partial<Record<PolicyField, string>> = {};
  const rest: string[] = [];
  for (const sentence of messageOf(e).split('; ')) {
    const m = /\bsigning[./](hosts|users|purposes|forwarding)\b/.exec(sentence);
    const f = m?.[1] as PolicyField | undefined;
    if (f) fields[f] = fields[f] ? `${fields[f]}; ${sentence}` : sentence;
    else rest.push(sentence);
  }
  return { form: rest.length ? rest.join('; ') : undefined, fields };
}

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** What keyhold signs with the key: shown always, editable with `write`. */
export function SigningPolicy({ sshKey, canWrite, onSaved }: { sshKey: Schemas['SshKey']; canWrite: boolean; onSaved: (k: Schemas['SshKey']) => void }) {
  const [editing, setEditing] = useState(false);
  const policy = sshKey.signing;
  const title = `Signing policy of ${sshKey.name}`;
  return (
    <section className="ssh-section" aria-label={title}>
      <h3>Signing policy</h3>
      {editing ? (
        <PolicyForm
          sshKey={sshKey}
          onCancel={() => setEditing(false)}
          onSaved={(k) => {
            setEditing(false);
            onSaved(k);
          }}
        />
      ) : (
        <>
          <dl className="facts" data-policy={sshKey.uuid}>
            <div>
              <dt>Hosts</dt>
              <dd>
                {policy?.hosts.length ? (
                  <ul className="ssh-list">
                    {policy.hosts.map((h) => (
                      <li key={h}>
                        <code className="wrap">{h}</code>
                      </li>
                    ))}
                  </ul>
                ) : (
                  'any host'
                )}
              </dd>
            </div>
            <div>
              <dt>Users</dt>
              <dd>{policy?.users.length ? policy.users.join(', ') : 'any user'}</dd>
            </div>
            <div>
              <dt>Purposes</dt>
              <dd>{(policy?.purposes ?? ['ssh']).join(', ')}</dd>
            </div>
            <div>
              <dt>Forwarding</dt>
              <dd>{policy?.forwarding ? 'allowed' : 'refused'}</dd>
            </div>
          </dl>
          {!policy && <p className="hint">The default: SSH logins to any host as any user, never through a forwarded agent.</p>}
          {canWrite && (
            <div className="item-actions">
              <button type="button" className="button small" onClick={() => setEditing(true)} aria-label={`Edit the signing policy of ${sshKey.name}`}>
                Edit policy
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function PolicyForm({ sshKey, onSaved, onCancel }: { sshKey: Schemas['SshKey']; onSaved: (k: Schemas['SshKey']) => void; onCancel: () => void }) {
  const p = sshKey.signing;
  const [hosts, setHosts] = useState((p?.hosts ?? []).join('\n'));
  const [users, setUsers] = useState((p?.users ?? []).join('\n'));
  const [purposes, setPurposes] = useState<Purpose[]>(p?.purposes ?? ['ssh']);
  const [forwarding, setForwarding] = useState(p?.forwarding ?? false);
  const save = useAction(async (signing: Schemas['SigningPolicyInput'] | null) =>
    onSaved(await unwrap(api.PATCH('/v1/private-keys/{uuid}', { params: { path: { uuid: sshKey.uuid } }, body: { signing } }))),
  );
  const errors = save.error ? sortErrors(save.error) : { fields: {} as Partial<Record<PolicyField, string>> };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run({ hosts: lines(hosts), users: lines(users), purposes, forwarding });
  };
  return (
    <form className="panel inset" onSubmit={submit} noValidate onKeyDown={closeOnEscape(onCancel)} aria-label={`Edit the signing policy of ${sshKey.name}`}>
      <Field label="Host key fingerprints" hint="One SHA256:… per line, as ssh-keygen -l prints it. Empty: any host." error={errors.fields.hosts}>
        {(ids) => <textarea {...ids} name="hosts" rows={3} value={hosts} onChange={(e) => setHosts(e.target.value)} spellCheck={false} autoFocus />}
      </Field>
      <Field label="Remote users" hint="One per line. Empty: any user." error={errors.fields.users}>
        {(ids) => <textarea {...ids} name="users" rows={2} value={users} onChange={(e) => setUsers(e.target.value)} spellCheck={false} />}
      </Field>
      <fieldset className={`ssh-checks${errors.fields.purposes ? ' has-error' : ''}`} aria-describedby={`purposes-error-${sshKey.uuid}`}>
        <legend>Purposes</legend>
        {PURPOSES.map((x) => (
          <label key={x.value} className="check">
            <input
              type="checkbox"
              name="purposes"
              value={x.value}
              checked={purposes.includes(x.value)}
              onChange={(e) => setPurposes((cur) => (e.target.checked ? [...cur, x.value] : cur.filter((c) => c !== x.value)))}
            />
            <code>{x.value}</code> <span className="muted">{x.help}</span>
          </label>
        ))}
        <div className="field-error" id={`purposes-error-${sshKey.uuid}`} aria-live="polite">
          {errors.fields.purposes}
        </div>
      </fieldset>
      <label className="check">
        <input type="checkbox" name="forwarding" checked={forwarding} onChange={(e) => setForwarding(e.target.checked)} /> Sign through a forwarded agent
        connection (<code>ssh -A</code>)
      </label>
      {errors.fields.forwarding && <div className="field-error">{errors.fields.forwarding}</div>}
      <ErrorMessage error={errors.form} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.busy}>
          {save.busy ? 'Saving…' : 'Save policy'}
        </button>
        {sshKey.signing && (
          <button type="button" className="button" disabled={save.busy} onClick={() => void save.run(null)}>
            Back to the default
          </button>
        )}
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
