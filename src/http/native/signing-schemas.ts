import { Type } from 'typebox';
import { literalUnion } from '../literal-union.js';
import { SIGNING_PURPOSES } from '../../domain/signing-policy.js';
import { component } from '../openapi/document.js';

/** Schemas of SSH signing through keyhold: a key's signing policy, the signing API's request and answer. */

const Fingerprint = Type.String({ pattern: '^SHA256:[A-Za-z0-9+/]{43}$', 'x-expected': 'a SHA256:… fingerprint as ssh-keygen -l prints it', description: 'A host key fingerprint as `ssh-keygen -l` prints it', examples: ['SHA256:uhIUEhFYIHwEnOTciziSBvo1p0FDi+Ty29Kk4GhIWNo'] });
const UserName = Type.String({ pattern: '^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$', 'x-expected': 'a user name: 1 to 64 letters, digits, ".", "_" or "-"', description: 'A remote user name', examples: ['deploy'] });
const Purpose = literalUnion(
  SIGNING_PURPOSES,
  { description: '`ssh`: SSH user authentication; `git`, `file`: SSHSIG signatures in that namespace' },
);

export const SigningPolicy = component(
  'SigningPolicy',
  Type.Object({
    hosts: Type.Array(Fingerprint, { description: 'Host keys the key may log in to; empty: any host' }),
    users: Type.Array(UserName, { description: 'Remote users it may log in as; empty: any' }),
    purposes: Type.Array(Purpose),
    forwarding: Type.Boolean({ description: 'Whether a request through a forwarded agent connection is signed' }),
  }),
);

export const SigningPolicyInput = component(
  'SigningPolicyInput',
  Type.Object(
    {
      hosts: Type.Optional(Type.Array(Fingerprint, { maxItems: 100, description: 'Host keys the key may log in to; empty or absent: any host' })),
      users: Type.Optional(Type.Array(UserName, { maxItems: 100, description: 'Remote users it may log in as; empty or absent: any' })),
      purposes: Type.Optional(Type.Array(Purpose, { minItems: 1, maxItems: 3, description: 'Default `["ssh"]`' })),
      forwarding: Type.Optional(Type.Boolean({ description: 'Default false' })),
    },
    { additionalProperties: false, description: 'Replaces the previous policy whole: fields left out take their defaults' },
  ),
);

const Base64 = (description: string, maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', 'x-expected': 'base64 text', maxLength, description });

export const SessionBinding = component(
  'SessionBinding',
  Type.Object(
    {
      host_key: Base64('The server host key blob (SSH wire format)', 8192),
      session_id: Base64('The SSH session identifier', 512),
      signature: Base64("The host's signature over the session identifier", 8192),
      forwarding: Type.Boolean({ description: 'The binding is for agent forwarding rather than authentication' }),
    },
    { additionalProperties: false, description: 'A `session-bind@openssh.com` binding the agent received (OpenSSH PROTOCOL.agent)' },
  ),
);

export const SignRequest = component(
  'SignRequest',
  Type.Object(
    {
      data: Base64('The bytes the SSH client asked its agent to sign: a publickey userauth request, or SSHSIG signed data', 262_144),
      flags: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff, description: 'The agent request\'s flags: 2 asks rsa-sha2-256, 4 rsa-sha2-512 (RSA keys sign ssh-rsa only without either)' })),
      session_binds: Type.Optional(Type.Array(SessionBinding, { maxItems: 16, description: 'Every binding the agent connection received, oldest first' })),
    },
    { additionalProperties: false },
  ),
);

export const SignResponse = component(
  'SignResponse',
  Type.Object({
    signature: Type.String({ description: 'The SSH signature blob (`string algorithm, string signature`), base64' }),
    algorithm: Type.String({ examples: ['ssh-ed25519', 'rsa-sha2-512'] }),
    key_fingerprint: Type.String({ examples: ['SHA256:…'] }),
  }),
);
