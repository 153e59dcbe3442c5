import { Type } from 'typebox';
import { component } from '../openapi/document.js';

/**
 * The Coolify surface's schemas, after upstream's extract (test/fixtures/upstream/coolify-security-keys.yaml):
 * the same names, properties and required fields. Where upstream's file is wrong, the route as
 * served wins (docs/compatibility.md).
 */

// Upstream's response schemas require no property (every field Optional here too), so a client
// generated from either document reads the same objects. keyhold always sends every field but
// `private_key`, which only tokens with `read:sensitive` or `root` get.
const O = Type.Optional;

export const PrivateKey = component(
  'PrivateKey',
  Type.Object(
    {
      id: O(Type.Integer()),
      uuid: O(Type.String()),
      name: O(Type.String()),
      description: O(Type.Union([Type.String(), Type.Null()])),
      private_key: O(Type.String({ format: 'private-key', description: 'Only for tokens with `read:sensitive` or `root`.' })),
      public_key: O(Type.String({ description: 'The public key of the private key.' })),
      fingerprint: O(Type.String({ description: 'The fingerprint of the private key.' })),
      is_git_related: O(Type.Boolean()),
      team_id: O(Type.Integer()),
      created_at: O(Type.String()),
      updated_at: O(Type.String()),
    },
    { description: 'Private Key model' },
  ),
);

/** Laravel's rules `string|max:255` (name, description) and `required|string` (private_key). */
const keyFields = {
  name: O(Type.String({ maxLength: 255 })),
  description: O(Type.String({ maxLength: 255 })),
  private_key: Type.String({ description: 'PEM or OpenSSH text; on create, base64 of it is accepted too.' }),
};

/** POST's body: unknown fields are ignored, as upstream does (its document says otherwise). */
export const CreateKeyBody = Type.Object(keyFields);

/** PATCH's body: an unknown field is a validation error ("This field is not allowed."). */
export const UpdateKeyBody = Type.Object(keyFields, { additionalProperties: false });

export const Uuid = Type.Object({ uuid: O(Type.String()) });
export const UuidPath = Type.Object({ uuid: Type.String({ description: 'Private Key UUID' }) });
export const Message = (example: string) => Type.Object({ message: O(Type.String({ examples: [example] })) });

export const ValidationErrors = Type.Object({
  message: O(Type.String({ examples: ['Validation error.'] })),
  errors: O(Type.Object({}, { additionalProperties: Type.Array(Type.String()), examples: [{ private_key: ['The private key field is required.'] }] })),
});
