import { Type } from 'typebox';
import { literalUnion } from '../literal-union.js';
import { ABILITIES, CAAS_KEY_LIMITS, MAX_ID } from '../../domain/types.js';
import { VERIFY_CODES } from '../../services/verify.js';
import { NAME_PATTERN } from '../gcore-caas/schemas.js';

/** What NAME_PATTERN allows, in words (keyhold's own messages never show a regular expression). */
const NAME_WORDS = '2 to 64 lower-case letters, digits or "-", starting and ending with a letter or digit';
import { component } from '../openapi/document.js';
import { SigningPolicy, SigningPolicyInput } from './signing-schemas.js';

/** Schemas of keyhold's own resources (console, SDK, automation): validation, types and OpenAPI components. */

const Time = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });
const NullableTime = (description: string) => Type.Union([Time(), Type.Null()], { description });
const Ability = literalUnion(
  ABILITIES,
  { description: '`root`: everything in the team; `admin`: teams and regions of the instance' },
);
/** Text people type: one line or a paragraph, never empty where it names something. */
const Label = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, description });

export const Team = component('Team', Type.Object({ id: Type.Integer(), name: Type.String(), created_at: Time() }));
export const TeamCreate = component(
  'TeamCreate',
  Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', 'x-expected': '1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit', description: 'Letters, digits, `.`, `_`, `-`; 1 to 64' }) }, { additionalProperties: false }),
);

export const Token = component(
  'Token',
  Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    abilities: Type.Array(Ability),
    state: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]),
    created_at: Time(),
    expires_at: NullableTime('Never, when null'),
    revoked_at: NullableTime('Not revoked, when null'),
    last_used_at: NullableTime('Never used, when null (accurate to a minute)'),
    private_keys: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'The private keys (uuids) it is restricted to: it sees and signs with only these; null: all of its team\'s' }),
    ssh_roles: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'The SSH certificate roles it may issue from; null: all of its team\'s' }),
  }),
);
export const TokenCreate = component(
  'TokenCreate',
  Type.Object(
    {
      name: Label(100, 'What the token is for'),
      abilities: Type.Array(Ability, { minItems: 1, description: 'Only abilities the calling token holds itself' }),
      expires_in: Type.Optional(Type.Integer({ minimum: 60, maximum: 10 * 365 * 86400, description: 'Lifetime in seconds; never expires when absent' })),
      private_keys: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
          minItems: 1,
          maxItems: 1000,
          description: "Restrict the token to these private keys (uuids): it sees and signs with only them. A restricted caller's tokens are restricted at least as much.",
        }),
      ),
      ssh_roles: Type.Optional(
        Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', 'x-expected': 'a role name: 1 to 64 lower-case letters, digits or "-"' }), {
          minItems: 1,
          maxItems: 100,
          description: "Restrict the token's `certify` to these SSH certificate roles. A restricted caller's tokens are restricted at least as much.",
        }),
      ),
    },
    { additionalProperties: false },
  ),
);
export const IssuedToken = component(
  'IssuedToken',
  Type.Object({ ...Token.properties, token: Type.String({ description: 'The token itself: shown in this answer only, stored only as a digest' }) }),
);
export const TeamCreated = component('TeamCreated', Type.Object({ team: Team, token: IssuedToken }, { description: 'The new team and its first `root` token (shown once)' }));

export const Me = component(
  'Me',
  Type.Object({
    token: Token,
    team: Team,
    session: Type.Union([Type.Object({ created_at: Time(), expires_at: Time(), idle_expires_at: Time() }), Type.Null()], { description: 'Present when the caller came through a console session' }),
  }),
);

export const Project = component('Project', Type.Object({ id: Type.Integer(), name: Type.String(), created_at: Time(), keys: Type.Integer({ description: 'API keys in the project' }) }));
export const ProjectCreate = component(
  'ProjectCreate',
  Type.Object(
    {
      id: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'Gcore `project_id`; the next free one when absent' })),
      name: Type.Optional(Label(255, 'A label')),
    },
    { additionalProperties: false },
  ),
);
export const Region = component('Region', Type.Object({ id: Type.Integer(), name: Type.String(), created_at: Time() }));
export const RegionCreate = component(
  'RegionCreate',
  Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'Gcore `region_id`' }), name: Label(255, 'A label') }, { additionalProperties: false }),
);

export const SshKey = component(
  'SshKey',
  Type.Object({
    uuid: Type.String(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    key_type: Type.String({ examples: ['ssh-ed25519'] }),
    fingerprint: Type.Union([Type.String(), Type.Null()], { examples: ['SHA256:…'], description: 'As ssh-keygen -l prints it' }),
    public_key: Type.String(),
    created_at: Time(),
    updated_at: Time(),
    signing: Type.Union([SigningPolicy, Type.Null()], { description: 'What keyhold signs with the key (docs/ssh-agent.md); null: the default (SSH logins to any host as any user, no forwarding)' }),
  }),
);
const KeyText = Type.String({ minLength: 1, maxLength: 65_536, description: 'PEM (PKCS#1, PKCS#8, SEC1) or OpenSSH, unencrypted' });
export const SshKeyCreate = component(
  'SshKeyCreate',
  Type.Object({ name: Label(255, 'A label'), description: Type.Optional(Type.String({ maxLength: 255 })), private_key: KeyText }, { additionalProperties: false }),
);
export const SshKeyUpdate = component(
  'SshKeyUpdate',
  Type.Object(
    {
      name: Type.Optional(Label(255, 'A label')),
      description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
      private_key: Type.Optional(KeyText),
      signing: Type.Optional(Type.Union([SigningPolicyInput, Type.Null()], { description: 'Replaces the signing policy whole; null clears it back to the default' })),
    },
    { additionalProperties: false, description: 'Fields left out keep their value; `private_key` replaces the key pair' },
  ),
);
export const RevealedSshKey = component('RevealedSshKey', Type.Object({ uuid: Type.String(), private_key: Type.String() }));

const Container = Type.Object(
  { name: Type.String({ pattern: NAME_PATTERN, 'x-expected': NAME_WORDS, description: 'Container name' }), namespace: Type.String({ minLength: 1, maxLength: CAAS_KEY_LIMITS.namespaceChars, description: 'Its namespace' }) },
  { additionalProperties: false },
);
/** A key's rate limit; gateways' verifications beyond it answer RATE_LIMITED. */
export const RateLimit = component(
  'RateLimit',
  Type.Object(
    {
      limit: Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'Admissions allowed per window' }),
      window_seconds: Type.Integer({ minimum: 1, maximum: 86_400, description: 'The window, in seconds (fixed windows aligned to the clock)' }),
    },
    { additionalProperties: false },
  ),
);
const NullableRateLimit = (description: string) => Type.Union([RateLimit, Type.Null()], { description });

const KeyStatus = Type.Union([Type.Literal('Active'), Type.Literal('Disabled'), Type.Literal('Expired')]);
export const ApiKey = component(
  'ApiKey',
  Type.Object({
    project_id: Type.Integer(),
    region_id: Type.Integer(),
    name: Type.String(),
    description: Type.String(),
    containers: Type.Array(Container),
    expire: NullableTime('Never expires, when null'),
    is_disabled: Type.Boolean(),
    status: KeyStatus,
    source: Type.String(),
    secret_prefix: Type.String({ description: 'The first characters of the secret, to recognise it' }),
    created_at: Time(),
    last_used_at: NullableTime('Never admitted by a gateway, when null (accurate to a minute)'),
    rotating_until: NullableTime("While the secret a reroll replaced still verifies (its grace period), when that ends; otherwise null"),
    rate_limit: NullableRateLimit('No limit, when null'),
  }),
);
/** Said of a write that was made but may not be what was meant (an expiry in the past). */
const Warnings = Type.Optional(Type.Array(Type.String(), { description: 'Present when the change was made but may not be what was meant, e.g. an expiry in the past' }));
export const ApiKeyCreated = component('ApiKeyCreated', Type.Object({ ...ApiKey.properties, secret: Type.String({ description: 'Shown in this answer only' }), warnings: Warnings }));
export const ApiKeyUpdated = component('ApiKeyUpdated', Type.Object({ ...ApiKey.properties, warnings: Warnings }));
export const ApiKeyCreate = component(
  'ApiKeyCreate',
  Type.Object(
    {
      project_id: Type.Integer({ minimum: 0, maximum: MAX_ID }),
      region_id: Type.Integer({ minimum: 0, maximum: MAX_ID }),
      name: Type.String({ pattern: NAME_PATTERN, 'x-expected': NAME_WORDS, description: 'Lower-case letters, digits and `-`; 2 to 64' }),
      description: Type.Optional(Type.String({ maxLength: CAAS_KEY_LIMITS.descriptionChars })),
      containers: Type.Array(Container, { maxItems: CAAS_KEY_LIMITS.containers, description: 'The containers the key opens' }),
      expire: Type.Optional(NullableTime('Never expires, when null or absent')),
      is_disabled: Type.Optional(Type.Boolean()),
      rate_limit: Type.Optional(NullableRateLimit('At most this many verifications per window; none when null or absent')),
    },
    { additionalProperties: false },
  ),
);
export const ApiKeyUpdate = component(
  'ApiKeyUpdate',
  Type.Object(
    {
      description: Type.Optional(Type.String({ maxLength: CAAS_KEY_LIMITS.descriptionChars })),
      containers: Type.Optional(Type.Array(Container, { maxItems: CAAS_KEY_LIMITS.containers })),
      expire: Type.Optional(NullableTime('null clears the expiry')),
      is_disabled: Type.Optional(Type.Boolean()),
      rate_limit: Type.Optional(NullableRateLimit('null removes the limit')),
    },
    { additionalProperties: false, description: 'Fields left out keep their value' },
  ),
);
export const ApiKeyReroll = component(
  'ApiKeyReroll',
  Type.Object(
    {
      grace_seconds: Type.Optional(
        Type.Integer({ minimum: 0, maximum: 30 * 86_400, default: 0, description: 'How long the current secret keeps verifying (0 to 30 days); 0 or absent: it stops at once' }),
      ),
    },
    { additionalProperties: false },
  ),
);
export const ApiKeyPage = component('ApiKeyPage', Type.Object({ keys: Type.Array(ApiKey), next_cursor: Type.Union([Type.String(), Type.Null()]) }));
export const ApiKeyQuery = Type.Object(
  {
    project_id: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ID, description: 'Only this project' })),
    region_id: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ID, description: 'Only this region' })),
    status: Type.Optional(KeyStatus),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Part of the name or description, any case' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ description: "A previous page's next_cursor" })),
  },
  { additionalProperties: false },
);

export const Overview = component(
  'Overview',
  Type.Object({
    private_keys: Type.Integer(),
    api_keys: Type.Object({ active: Type.Integer(), disabled: Type.Integer(), expired: Type.Integer() }),
    tokens: Type.Integer({ description: 'Live tokens' }),
    projects: Type.Integer(),
    verifications: Type.Array(
      Type.Object({ at: Time('Start of the minute'), counts: Type.Object(Object.fromEntries(VERIFY_CODES.map((c) => [c, Type.Integer()]))) }),
      { description: "The team's verification answers, per minute, over the last hour: every process's as persisted (flushed every KEYHOLD_USAGE_FLUSH_MS) plus this process's unflushed counts" },
    ),
  }),
);

export const SessionCreate = component('SessionCreate', Type.Object({ token: Type.String({ minLength: 1, maxLength: 1000, description: 'A keyhold token' }) }, { additionalProperties: false }));
export const SetupState = component('SetupState', Type.Object({ fresh: Type.Boolean({ description: 'No team exists yet: the setup link printed at start works' }) }));
export const SetupRequest = component(
  'SetupRequest',
  Type.Object({ code: Type.String({ minLength: 1, maxLength: 200, description: "The setup link's code" }), team: TeamCreate.properties.name }, { additionalProperties: false }),
);
export const SetupResult = component('SetupResult', Type.Object({ team: Team, token: IssuedToken, me: Me }));
