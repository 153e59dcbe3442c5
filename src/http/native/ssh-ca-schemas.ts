import { Type } from 'typebox';
import { component } from '../openapi/document.js';

/** Schemas of keyhold's SSH certificate authority: CAs, roles, certificates and revocations. */

const Name = (description: string) => Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', 'x-expected': '1 to 64 lower-case letters, digits or "-", starting with a letter or digit', description });
const Time = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });
const Duration = (description: string) => Type.String({ pattern: '^\\s*\\d{1,9}[smhdwy]\\s*$', 'x-expected': 'a duration: a number and a unit, e.g. 15m, 8h, 30d', description, examples: ['15m', '8h'] });
const CaType = Type.Union([Type.Literal('user'), Type.Literal('host')], { description: '`user` certificates log people and jobs in; `host` certificates prove servers' });
const PublicKeyLine = Type.String({ minLength: 1, maxLength: 16_384, description: 'One OpenSSH public key line, as in a `.pub` file', examples: ['ssh-ed25519 AAAAC3… alice@laptop'] });

export const SshCa = component(
  'SshCa',
  Type.Object({
    name: Type.String(),
    type: CaType,
    public_key: Type.String({ description: 'The line for TrustedUserCAKeys, or after `@cert-authority <hosts>` in known_hosts' }),
    fingerprint: Type.String({ examples: ['SHA256:…'] }),
    private_key_uuid: Type.String({ description: 'The stored SSH key that signs (it cannot be deleted or replaced while the CA exists)' }),
    created_at: Time(),
  }),
);

export const SshCaCreate = component(
  'SshCaCreate',
  Type.Object(
    {
      name: Name('Names the CA in its team'),
      type: CaType,
      private_key_uuid: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'An existing stored key to sign with; without it keyhold generates an Ed25519 key (stored like any private key)' })),
    },
    { additionalProperties: false },
  ),
);

const CriticalOptions = Type.Object(
  {
    'force-command': Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'The command sshd runs, whatever the client asks' })),
    'source-address': Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'Comma-separated addresses and CIDRs the certificate is valid from' })),
  },
  { additionalProperties: false, description: 'User certificates only' },
);

export const SshRole = component(
  'SshRole',
  Type.Object({
    name: Type.String(),
    ca: Type.String(),
    principals: Type.Array(Type.String(), { description: 'Exact names and `*`-patterns' }),
    max_ttl: Type.String({ examples: ['8h'] }),
    default_ttl: Type.String({ examples: ['15m'] }),
    extensions: Type.Array(Type.String(), { description: "What a user certificate permits (OpenSSH's defaults unless the role says otherwise); none for host certificates" }),
    critical_options: CriticalOptions,
    created_at: Time(),
    updated_at: Time(),
  }),
);

const RoleFields = {
  principals: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { minItems: 1, maxItems: 256, description: 'Exact names and `*`-patterns each certificate principal must match' }),
  max_ttl: Duration('The longest lifetime a certificate may ask for'),
  default_ttl: Duration('The lifetime when none is asked for'),
  extensions: Type.Optional(
    Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 64 }), Type.Null()], {
      description: "User certificates' extensions; absent or null: OpenSSH's defaults (permit-X11-forwarding, permit-agent-forwarding, permit-port-forwarding, permit-pty, permit-user-rc); [] for none",
    }),
  ),
  critical_options: Type.Optional(CriticalOptions),
};

export const SshRoleCreate = component('SshRoleCreate', Type.Object({ name: Name('Names the role in its team'), ca: Name('The CA that signs'), ...RoleFields }, { additionalProperties: false }));

export const SshRoleUpdate = component(
  'SshRoleUpdate',
  Type.Object(
    {
      principals: Type.Optional(RoleFields.principals),
      max_ttl: Type.Optional(RoleFields.max_ttl),
      default_ttl: Type.Optional(RoleFields.default_ttl),
      extensions: RoleFields.extensions,
      critical_options: RoleFields.critical_options,
    },
    { additionalProperties: false, description: 'Fields left out keep their value' },
  ),
);

export const SshCertificateIssue = component(
  'SshCertificateIssue',
  Type.Object(
    {
      role: Name('The role to issue from'),
      public_key: PublicKeyLine,
      principals: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { minItems: 1, maxItems: 256, description: "Default: the role's exact principals" })),
      ttl: Type.Optional(Duration("Default: the role's default_ttl; at most its max_ttl")),
      key_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'What sshd logs and KRLs can revoke by; default `<who asked>@<role>`' })),
    },
    { additionalProperties: false },
  ),
);

export const SshCertificateIssued = component(
  'SshCertificateIssued',
  Type.Object({
    serial: Type.Integer({ description: 'Unique across every CA of this keyhold, never reused' }),
    certificate: Type.String({ description: 'The one-line OpenSSH certificate (`ssh-ed25519-cert-v01@openssh.com AAAA…`), for `<key>-cert.pub`' }),
    key_id: Type.String(),
    principals: Type.Array(Type.String()),
    valid_after: Time('Backdated a minute for clock skew'),
    valid_before: Time(),
  }),
);

export const SshCertificate = component(
  'SshCertificate',
  Type.Object({
    serial: Type.Integer(),
    ca: Type.String(),
    role: Type.String(),
    type: CaType,
    key_id: Type.String(),
    principals: Type.Array(Type.String()),
    valid_after: Time(),
    valid_before: Time(),
    public_key: Type.String({ description: "The subject's public key (keyhold never sees its private key)" }),
    public_key_fingerprint: Type.String(),
    requested_by: Type.String({ description: 'Who asked for it: `token:<id>` or `cli`' }),
    created_at: Time(),
    revoked_at: Type.Union([Time(), Type.Null()]),
    revoked_by: Type.Union([Type.String(), Type.Null()]),
    state: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  }),
);

export const SshCertificatePage = component('SshCertificatePage', Type.Object({ certificates: Type.Array(SshCertificate), next_cursor: Type.Union([Type.String(), Type.Null()]) }));

export const SshCertificateQuery = Type.Object(
  {
    ca: Type.Optional(Name('Only this CA')),
    principal: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Only certificates for this principal' })),
    key_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    active: Type.Optional(Type.Boolean({ description: 'true: valid now and not revoked; false: expired or revoked' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ description: "A previous page's next_cursor" })),
  },
  { additionalProperties: false },
);

export const SshRevocationCreate = component(
  'SshRevocationCreate',
  Type.Object(
    {
      key_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Revoke every certificate of this CA with this key id' })),
      public_key: Type.Optional(PublicKeyLine),
    },
    { additionalProperties: false, description: 'Exactly one of key_id and public_key (a public key: every certificate of it, and the key itself)' },
  ),
);

export const SshRevocation = component(
  'SshRevocation',
  Type.Object({ kind: Type.Union([Type.Literal('key_id'), Type.Literal('public_key')]), value: Type.String(), revoked_by: Type.String(), created_at: Time() }),
);
