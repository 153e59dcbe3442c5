import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SecretOnce } from '../components/SecretOnce';
import { StatusBadge } from '../components/StatusBadge';
import { useToast } from '../components/Toasts';
import { type Ability, ABILITY_HELP, grantable } from '../lib/abilities';
import { api, fieldErrors, messageOf, type Schemas, unwrap } from '../lib/api';
import '../styles/ssh.css';
import { useMe, useSession } from '../lib/session';
import { formatTime, relativeTime } from '../lib/time';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { closeOnEscape } from '../lib/escape';

const LIFETIMES: { label: string; seconds?: number }[] = [
  { label: 'Never expires' },
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
  { label: '90 days', seconds: 90 * 86_400 },
  { label: '1 year', seconds: 365 * 86_400 },
];

const FIELDS = ['name', 'abilities', 'expires_in', 'private_keys', 'ssh_roles'] as const;

/** A restriction's choices: empty means no restriction (all of the team's). */
function RestrictionPicker({
  legend,
  hint,
  options,
  chosen,
  onChange,
  error,
  name,
}: {
  legend: string;
  hint: string;
  options: { value: string; label: string }[] | undefined;
  chosen: string[];
  onChange: (v: string[]) => void;
  error?: string;
  name: string;
}) {
  return (
    <fieldset className={`ssh-restrict${error ? ' has-error' : ''}`} aria-describedby={`${name}-hint ${name}-error`}>
      <legend>{legend}</legend>
      <p className="hint" id={`${name}-hint`}>
        {hint}
      </p>
      {options === undefined && <p className="loading">Loading…</p>}
      {options?.length === 0 && <p className="empty">None in the team yet.</p>}
      {options?.map((o) => (
        <label key={o.value} className="check">
          <input
            type="checkbox"
            name={name}
            value={o.value}
            checked={chosen.includes(o.value)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))}
          />
          {o.label}
        </label>
      ))}
      <div className="field-error" id={`${name}-error`} aria-live="polite">
        {error}
      </div>
    </fieldset>
  );
}

function CreateToken({ onCreated, onCancel }: { onCreated: (t: Schemas['IssuedToken']) => void; onCancel: () => void }) {
  const me = useMe();
  const offered = grantable(me.token.abilities);
  const [name, setName] = useState('');
  const [abilities, setAbilities] = useState<Ability[]>([]);
  const [lifetime, setLifetime] = useState(0);
  const [privateKeys, setPrivateKeys] = useState<string[]>([]);
  const [sshRoles, setSshRoles] = useState<string[]>([]);
  const signing = abilities.includes('sign');
  const certifying = abilities.includes('certify');
  const keys = useLoad(() => (signing ? unwrap(api.GET('/v1/private-keys')) : Promise.resolve(undefined)), [signing]);
  const roles = useLoad(() => (certifying ? unwrap(api.GET('/v1/ssh/roles')) : Promise.resolve(undefined)), [certifying]);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors<(typeof FIELDS)[number]>>>({ fields: {} });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({ fields: {} });
    if (abilities.length === 0) return setErrors({ fields: { abilities: 'choose at least one ability' } });
    setBusy(true);
    try {
      const seconds = LIFETIMES[lifetime]?.seconds;
      onCreated(
        await unwrap(
          api.POST('/v1/tokens', {
            body: {
              name: name.trim(),
              abilities,
              ...(seconds ? { expires_in: seconds } : {}),
              ...(signing && privateKeys.length ? { private_keys: privateKeys } : {}),
              ...(certifying && sshRoles.length ? { ssh_roles: sshRoles } : {}),
            },
          }),
        ),
      );
    } catch (err) {
      setErrors(fieldErrors(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (a: Ability, on: boolean) => setAbilities((cur) => (on ? [...cur, a] : cur.filter((x) => x !== a)));

  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate onKeyDown={closeOnEscape(onCancel)} aria-labelledby="create-token-title">
      <h2 id="create-token-title">New token</h2>
      <Field label="Name" hint="What the token is for, e.g. “gateway” or “ci-deploy”." error={errors.fields.name}>
        {(ids) => <input {...ids} name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required autoFocus />}
      </Field>
      <fieldset className={`abilities${errors.fields.abilities ? ' has-error' : ''}`} aria-describedby="abilities-hint abilities-error">
        <legend>Abilities</legend>
        <p className="hint" id="abilities-hint">
          Only abilities your own token holds can be granted.
        </p>
        {offered.map((a) => (
          <label key={a} className="check">
            <input type="checkbox" name="abilities" value={a} checked={abilities.includes(a)} onChange={(e) => toggle(a, e.target.checked)} />
            <code>{a}</code> <span className="muted">{ABILITY_HELP[a]}</span>
          </label>
        ))}
        {signing && (
          <RestrictionPicker
            legend="Keys it may sign with"
            hint="None chosen: every SSH key of the team. Chosen: it sees and signs with only these."
            name="private_keys"
            options={keys.data?.map((k) => ({ value: k.uuid, label: `${k.name} (${k.fingerprint ?? k.key_type})` }))}
            chosen={privateKeys}
            onChange={setPrivateKeys}
            error={errors.fields.private_keys ?? (keys.error ? messageOf(keys.error) : undefined)}
          />
        )}
        {certifying && (
          <RestrictionPicker
            legend="Roles it may certify from"
            hint="None chosen: every SSH certificate role of the team."
            name="ssh_roles"
            options={roles.data?.map((r) => ({ value: r.name, label: `${r.name} (CA ${r.ca}: ${r.principals.join(', ')})` }))}
            chosen={sshRoles}
            onChange={setSshRoles}
            error={errors.fields.ssh_roles ?? (roles.error ? messageOf(roles.error) : undefined)}
          />
        )}
        <div className="field-error" id="abilities-error" aria-live="polite">
          {errors.fields.abilities}
        </div>
      </fieldset>
      <Field label="Expires" error={errors.fields.expires_in}>
        {(ids) => (
          <select {...ids} name="expires_in" value={lifetime} onChange={(e) => setLifetime(Number(e.target.value))}>
            {LIFETIMES.map((l, i) => (
              <option key={l.label} value={i}>
                {l.seconds ? `after ${l.label}` : l.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorMessage error={errors.form} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The team's tokens (never their secrets): create one (shown once), revoke one. */
export function Tokens() {
  const me = useMe();
  const toast = useToast();
  const session = useSession();
  const tokens = useLoad(() => unwrap(api.GET('/v1/tokens')), []);
  const restricted = tokens.data?.some((t) => t.private_keys !== null);
  const keyNames = useLoad(
    () =>
      restricted && session.can('read')
        ? unwrap(api.GET('/v1/private-keys')).then((ks) => new Map(ks.map((k) => [k.uuid, k.name])))
        : Promise.resolve(undefined),
    [restricted],
  );
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<Schemas['IssuedToken']>();
  // Revoked tokens work no more: out of the way unless asked for.
  const [showRevoked, setShowRevoked] = useState(false);
  const revokedCount = tokens.data?.filter((t) => t.state === 'revoked').length ?? 0;
  const shown = tokens.data?.filter((t) => showRevoked || t.state !== 'revoked');

  const revocation = useAction(async (t: Schemas['Token']) => {
    await unwrap(api.DELETE('/v1/tokens/{id}', { params: { path: { id: t.id } } }));
    toast(`Token ${t.name} revoked.`);
    tokens.reload();
  });

  return (
    <Page
      title="Tokens"
      intro="Tokens of your team for the API, the CLI, gateways and this console. keyhold stores only their digests."
      actions={
        !creating &&
        !issued && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New token
          </button>
        )
      }
    >
      {issued && (
        <SecretOnce what="Token" value={issued.token} onDone={() => setIssued(undefined)}>
          <p className="hint">
            <strong>{issued.name}</strong> with {issued.abilities.join(', ')}. Send it as <code>Authorization: Bearer …</code>.
          </p>
        </SecretOnce>
      )}
      {creating && (
        <CreateToken
          onCancel={() => setCreating(false)}
          onCreated={(t) => {
            setCreating(false);
            setIssued(t);
            toast(`Token ${t.name} created.`);
            tokens.reload();
          }}
        />
      )}
      <ErrorMessage error={tokens.error ?? revocation.error} />
      {tokens.data && (
        <label className="check show-revoked">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
          Show revoked tokens <span className="muted">({revokedCount})</span>
        </label>
      )}
      {shown && (
        <div className="table-wrap">
          <table className="responsive">
            <caption className="visually-hidden">Tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Abilities</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last use</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((t) => (
                <tr key={t.id} data-token={t.id}>
                  <th scope="row" data-label="Name">
                    {t.name} <span className="muted">#{t.id}</span>
                    {t.id === me.token.id && <span className="tag">this session</span>}
                  </th>
                  <td data-label="Abilities">
                    {t.abilities.join(', ')}
                    {t.private_keys !== null && (
                      <div className="muted" data-restriction="private_keys">
                        only keys: {t.private_keys.length ? t.private_keys.map((u) => keyNames.data?.get(u) ?? u).join(', ') : 'none'}
                      </div>
                    )}
                    {t.ssh_roles !== null && (
                      <div className="muted" data-restriction="ssh_roles">
                        only roles: {t.ssh_roles.length ? t.ssh_roles.join(', ') : 'none'}
                      </div>
                    )}
                  </td>
                  <td data-label="State">
                    <StatusBadge status={t.state} />
                  </td>
                  <td data-label="Created">{formatTime(t.created_at)}</td>
                  <td data-label="Expires">{formatTime(t.expires_at, 'never')}</td>
                  <td data-label="Last use">{t.last_used_at ? relativeTime(t.last_used_at) : 'never'}</td>
                  <td data-label="Actions" className="actions">
                    {t.state === 'active' && (
                      <ConfirmButton
                        label="Revoke"
                        ariaLabel={`Revoke ${t.name}`}
                        question={
                          t.id === me.token.id ? (
                            <>Revoke the token of this session? You will be signed out.</>
                          ) : (
                            <>Revoke {t.name}? It stops working at once.</>
                          )
                        }
                        onConfirm={() => revocation.run(t)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!tokens.data && tokens.loading && <p className="loading">Loading…</p>}
    </Page>
  );
}
