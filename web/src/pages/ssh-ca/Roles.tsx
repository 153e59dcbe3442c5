import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useToast } from '../../components/Toasts';
import { api, fieldErrors, type Schemas, unwrap } from '../../lib/api';
import { closeOnEscape } from '../../lib/escape';
import { useAction } from '../../lib/use-action';
import '../../styles/ssh.css';

const FIELDS = ['name', 'ca', 'principals', 'max_ttl', 'default_ttl', 'extensions', 'critical_options'] as const;
const words = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Creates a role, or edits one (its name and CA stay: PATCH has neither). */
function RoleForm({
  role,
  cas,
  onSaved,
  onCancel,
}: {
  role?: Schemas['SshRole'];
  cas: Schemas['SshCa'][];
  onSaved: (r: Schemas['SshRole']) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(role?.name ?? '');
  const [ca, setCa] = useState(role?.ca ?? cas[0]?.name ?? '');
  const [principals, setPrincipals] = useState((role?.principals ?? []).join(', '));
  const [maxTtl, setMaxTtl] = useState(role?.max_ttl ?? '8h');
  const [defaultTtl, setDefaultTtl] = useState(role?.default_ttl ?? '15m');
  const [defaultExtensions, setDefaultExtensions] = useState(!role);
  const [extensions, setExtensions] = useState((role?.extensions ?? []).join(', '));
  const [forceCommand, setForceCommand] = useState(role?.critical_options['force-command'] ?? '');
  const [sourceAddress, setSourceAddress] = useState(role?.critical_options['source-address'] ?? '');
  const isHost = cas.find((c) => c.name === ca)?.type === 'host';
  const save = useAction(async () => {
    const critical_options = isHost
      ? {}
      : {
          ...(forceCommand.trim() ? { 'force-command': forceCommand.trim() } : {}),
          ...(sourceAddress.trim() ? { 'source-address': sourceAddress.trim() } : {}),
        };
    const common = {
      principals: words(principals),
      max_ttl: maxTtl.trim(),
      default_ttl: defaultTtl.trim(),
      ...(isHost ? {} : { extensions: defaultExtensions ? null : words(extensions), critical_options }),
    };
    onSaved(
      role
        ? await unwrap(api.PATCH('/v1/ssh/roles/{name}', { params: { path: { name: role.name } }, body: common }))
        : await unwrap(api.POST('/v1/ssh/roles', { body: { name: name.trim(), ca, ...common } })),
    );
  });
  const errors = save.error ? fieldErrors(save.error, FIELDS) : { fields: {} as Partial<Record<(typeof FIELDS)[number], string>> };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  const title = role ? `Edit role ${role.name}` : 'New role';
  return (
    <form className={role ? 'panel inset' : 'panel'} onSubmit={submit} noValidate onKeyDown={closeOnEscape(onCancel)} aria-label={title}>
      {!role && <h3>{title}</h3>}
      {!role && (
        <>
          <Field label="Role name" error={errors.fields.name}>
            {(ids) => <input {...ids} name="name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />}
          </Field>
          <Field label="CA" error={errors.fields.ca}>
            {(ids) => (
              <select {...ids} name="ca" value={ca} onChange={(e) => setCa(e.target.value)}>
                {cas.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name} ({c.type})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
      <Field label="Principals" hint="Exact names or *-patterns, separated by commas or spaces (host roles: host names)." error={errors.fields.principals}>
        {(ids) => <input {...ids} name="principals" value={principals} onChange={(e) => setPrincipals(e.target.value)} spellCheck={false} autoFocus={!!role} />}
      </Field>
      <Field label="Maximum TTL" hint="15m, 8h, 30d" error={errors.fields.max_ttl}>
        {(ids) => <input {...ids} name="max_ttl" value={maxTtl} onChange={(e) => setMaxTtl(e.target.value)} />}
      </Field>
      <Field label="Default TTL" error={errors.fields.default_ttl}>
        {(ids) => <input {...ids} name="default_ttl" value={defaultTtl} onChange={(e) => setDefaultTtl(e.target.value)} />}
      </Field>
      {!isHost && (
        <>
          <label className="check">
            <input type="checkbox" name="default_extensions" checked={defaultExtensions} onChange={(e) => setDefaultExtensions(e.target.checked)} />{' '}
            OpenSSH&apos;s default extensions (pty, agent, port and X11 forwarding, user rc)
          </label>
          {!defaultExtensions && (
            <Field label="Extensions" hint="e.g. permit-pty; empty: none." error={errors.fields.extensions}>
              {(ids) => <input {...ids} name="extensions" value={extensions} onChange={(e) => setExtensions(e.target.value)} spellCheck={false} />}
            </Field>
          )}
          <Field label="Force command (optional)" error={errors.fields.critical_options}>
            {(ids) => <input {...ids} name="force-command" value={forceCommand} onChange={(e) => setForceCommand(e.target.value)} spellCheck={false} />}
          </Field>
          <Field label="Source addresses (optional)" hint="Comma-separated addresses and CIDRs, e.g. 192.0.2.0/24">
            {(ids) => <input {...ids} name="source-address" value={sourceAddress} onChange={(e) => setSourceAddress(e.target.value)} spellCheck={false} />}
          </Field>
        </>
      )}
      <ErrorMessage error={errors.form} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.busy}>
          {save.busy ? 'Saving…' : role ? 'Save role' : 'Create role'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RoleRow({
  role,
  cas,
  canRoot,
  onChanged,
}: {
  role: Schemas['SshRole'];
  cas: Schemas['SshCa'][];
  canRoot: boolean;
  onChanged: (what: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const del = useAction(async () => {
    await unwrap(api.DELETE('/v1/ssh/roles/{name}', { params: { path: { name: role.name } } }));
    onChanged(`Role ${role.name} deleted.`);
  });
  const opts = Object.entries(role.critical_options);
  return (
    <tr data-role={role.name}>
      <th scope="row" data-label="Role">
        {role.name}
      </th>
      <td data-label="CA">{role.ca}</td>
      <td data-label="Principals">
        <code className="wrap">{role.principals.join(', ')}</code>
      </td>
      <td data-label="TTL">
        {role.default_ttl} (max {role.max_ttl})
      </td>
      <td data-label="Options">
        {role.extensions.length ? role.extensions.join(', ') : <span className="muted">no extensions</span>}
        {opts.map(([k, v]) => (
          <div key={k}>
            <code className="wrap">
              {k}={v}
            </code>
          </div>
        ))}
      </td>
      <td data-label="Actions" className="actions">
        {editing ? (
          <RoleForm
            role={role}
            cas={cas}
            onCancel={() => setEditing(false)}
            onSaved={(r) => {
              setEditing(false);
              onChanged(`Role ${r.name} saved.`);
            }}
          />
        ) : (
          canRoot && (
            <div className="item-actions">
              <button type="button" className="button small" onClick={() => setEditing(true)} aria-label={`Edit role ${role.name}`}>
                Edit
              </button>
              <ConfirmButton
                label="Delete"
                ariaLabel={`Delete role ${role.name}`}
                question={<>Delete role {role.name}? Tokens restricted to it can no longer certify.</>}
                onConfirm={() => del.run().then(() => undefined)}
              />
            </div>
          )
        )}
        <ErrorMessage error={del.error} />
      </td>
    </tr>
  );
}

/** The team's roles: what a certificate from each may contain. */
export function Roles({
  roles,
  cas,
  canRoot,
  onChanged,
}: {
  roles: Schemas['SshRole'][] | undefined;
  cas: Schemas['SshCa'][];
  canRoot: boolean;
  onChanged: () => void;
}) {
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const changed = (what: string) => {
    toast(what);
    onChanged();
  };
  return (
    <section aria-labelledby="roles-title" className="ssh-ca-grid">
      <div className="page-head">
        <h2 id="roles-title">Roles</h2>
        {canRoot && !creating && cas.length > 0 && (
          <button type="button" className="button" onClick={() => setCreating(true)}>
            New role
          </button>
        )}
      </div>
      {creating && (
        <RoleForm
          cas={cas}
          onCancel={() => setCreating(false)}
          onSaved={(r) => {
            setCreating(false);
            changed(`Role ${r.name} created.`);
          }}
        />
      )}
      {roles && roles.length === 0 && <p className="empty">No roles yet{cas.length === 0 ? ': create a CA first' : ''}.</p>}
      {roles && roles.length > 0 && (
        <div className="table-wrap">
          <table className="responsive ssh-roles">
            <caption className="visually-hidden">Roles</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">CA</th>
                <th scope="col">Principals</th>
                <th scope="col">TTL</th>
                <th scope="col">Options</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {roles.map((r) => (
                <RoleRow key={r.name} role={r} cas={cas} canRoot={canRoot} onChanged={changed} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
