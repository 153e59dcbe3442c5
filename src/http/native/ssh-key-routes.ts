import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type ApiToken, hasAbility } from '../../domain/types.js';
import { AppError } from '../../domain/errors.js';
import { auditEntry, type AuditService } from '../../services/audit.js';
import { DuplicateKey, type PrivateKeysService, UnreadableKey } from '../../services/private-keys.js';
import type { SshSigningService } from '../../services/ssh-signing.js';
import { actorFor, actorOf } from '../auth.js';
import { callerOf, defineRoute, type RouteDefinition } from '../route.js';
import { RevealedSshKey, SshKey, SshKeyCreate, SshKeyUpdate } from './resource-schemas.js';
import { AuditEntry, errorAnswer } from './schemas.js';
import { SignRequest, SignResponse } from './signing-schemas.js';
import { privateKeyWire } from './wire.js';

const tags = ['SSH keys'];
const UuidPath = Type.Object({ uuid: Type.String({ minLength: 1, maxLength: 64, description: 'The key\'s uuid' }) });

/** What each key mistake is, in this API's words (the Coolify surface keeps upstream's one message). */
const KEY_PROBLEMS = {
  encrypted: 'private_key is protected by a passphrase: keyhold needs the key itself (remove the passphrase from a copy with `ssh-keygen -p -N "" -f <copy>`, then send that)',
  public: 'private_key is a public key: send the private key (the file without .pub, e.g. id_ed25519), not the public half',
  putty: 'private_key is a PuTTY .ppk file: export it in OpenSSH format first (puttygen key.ppk -O private-openssh -o key)',
  unknown: 'private_key is not a key keyhold reads: an unencrypted PEM (PKCS#1, PKCS#8, SEC1) or OpenSSH private key',
} as const;

/** The service's key-check failures, in this API's words. */
async function explainingKeyProblems<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof UnreadableKey) throw new AppError('bad_request', KEY_PROBLEMS[e.problem]);
    if (e instanceof DuplicateKey) throw new AppError('conflict', `the team already has this key (same fingerprint): ${e.existing.name} (${e.existing.uuid})`);
    throw e;
  }
}

/** The caller, when it may look at keys: with `read` (every key it sees) or `sign` (the keys it signs with). */
function readOrSign(request: FastifyRequest): ApiToken {
  const token = callerOf(request);
  if (!hasAbility(token.abilities, 'read') && !hasAbility(token.abilities, 'sign')) throw new AppError('forbidden', 'the token lacks the read or sign ability');
  return token;
}

/**
 * The team's SSH private keys: the same store and key rules as the Coolify surface, but the key
 * text is never in these answers; `reveal` returns it to `read:sensitive` tokens, audited each time.
 */
export function sshKeyRoutes(privateKeys: PrivateKeysService, signing: SshSigningService, audit: AuditService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/private-keys',
      ability: 'any',
      operationId: 'list-ssh-keys',
      summary: 'List SSH keys',
      description:
        "Needs `read` or `sign`. A token restricted to some keys (`private_keys` on its creation) lists only those: for a `sign` token, exactly the keys it may sign with (`keyhold agent` lists its identities from here).",
      tags,
      schema: {},
      responses: { 200: { description: "The team's keys the token sees, oldest first.", schema: Type.Array(SshKey) }, 403: errorAnswer('The token has neither `read` nor `sign`.') },
      handler: async (request) => (await privateKeys.list(readOrSign(request), false)).map(privateKeyWire),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/private-keys',
      ability: 'write',
      operationId: 'create-ssh-key',
      summary: 'Add an SSH key',
      tags,
      schema: { body: SshKeyCreate },
      bodyRequired: true,
      responses: { 201: { description: 'Stored, encrypted.', schema: SshKey }, 400: errorAnswer('Not a key keyhold reads.'), 409: errorAnswer('The team already has this key.') },
      async handler(request, reply) {
        const { name, description, private_key } = request.body;
        const created = await explainingKeyProblems(
          privateKeys.create(actorOf(request), { name, description: description ?? null, privateKey: private_key, uniqueName: true }),
        );
        return reply.code(201).send(privateKeyWire(created));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/private-keys/:uuid',
      ability: 'any',
      operationId: 'get-ssh-key',
      summary: 'Get an SSH key',
      description: 'Needs `read` or `sign`; a key a restricted token does not see is not found.',
      tags,
      schema: { params: UuidPath },
      responses: { 200: { description: 'The key, without its private part.', schema: SshKey }, 403: errorAnswer('The token has neither `read` nor `sign`.'), 404: errorAnswer('No such key in the team.') },
      handler: async (request) => privateKeyWire(await privateKeys.get(readOrSign(request), request.params.uuid, false)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/private-keys/:uuid',
      ability: 'write',
      operationId: 'update-ssh-key',
      summary: 'Rename, describe or replace an SSH key, or set its signing policy',
      description:
        '`signing` replaces the key\'s signing policy whole (fields left out take their defaults: any host, any user, `["ssh"]`, no forwarding); `null` clears it back to the default. See docs/ssh-agent.md.',
      tags,
      schema: { params: UuidPath, body: SshKeyUpdate },
      bodyRequired: true,
      responses: { 200: { description: 'The key as it now stands.', schema: SshKey }, 400: errorAnswer('Not a key keyhold reads.'), 404: errorAnswer('No such key in the team.'), 409: errorAnswer('The team already has that key.') },
      async handler(request) {
        const { name, description, private_key, signing } = request.body;
        const updated = await explainingKeyProblems(
          privateKeys.update(actorOf(request), request.params.uuid, { name, description, privateKey: private_key, signing, uniqueName: true }),
        );
        return privateKeyWire(updated);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/private-keys/:uuid',
      ability: 'write',
      operationId: 'delete-ssh-key',
      summary: 'Delete an SSH key',
      tags,
      schema: { params: UuidPath },
      responses: { 204: { description: 'Deleted.' }, 404: errorAnswer('No such key in the team.') },
      async handler(request, reply) {
        await privateKeys.remove(actorOf(request), request.params.uuid);
        return reply.code(204).send();
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/private-keys/:uuid/reveal',
      ability: 'read:sensitive',
      operationId: 'reveal-ssh-key',
      secretInAnswer: true,
      summary: 'Reveal an SSH private key',
      description: 'The private key text, for `read:sensitive` (or `root`) tokens. Every reveal writes an audit row (`private_key.reveal`).',
      tags,
      schema: { params: UuidPath },
      responses: { 200: { description: 'The key text.', schema: RevealedSshKey, headers: { 'Cache-Control': { description: 'no-store', schema: Type.String() } } }, 404: errorAnswer('No such key in the team.') },
      async handler(request, reply) {
        const k = await privateKeys.reveal(actorOf(request), request.params.uuid);
        return reply.header('cache-control', 'no-store').send({ uuid: k.uuid, private_key: k.privateKey });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/private-keys/:uuid/sign',
      ability: 'sign',
      operationId: 'sign-with-ssh-key',
      summary: 'Sign with an SSH key (keyhold agent)',
      description:
        "Signs what an SSH client asked its agent to sign, with the key staying in keyhold: a publickey user-authentication request for this key (purpose `ssh`), or SSHSIG signed data in the `git` or `file` namespace; anything else is refused (400). The key's signing policy decides: hosts (proved by the session binding), users, purposes, forwarding; a refusal is a 403 that names the field. Needs `sign` (never enough to reveal a key); every signature and refusal is audited (`private_key.sign`). `keyhold agent` calls this for each sign request.",
      tags,
      schema: { params: UuidPath, body: SignRequest },
      bodyRequired: true,
      responses: {
        200: { description: 'The signature.', schema: SignResponse },
        400: errorAnswer('Neither a userauth request for this key nor an SSHSIG blob, or a session binding that does not verify.'),
        403: errorAnswer('Refused by the key\'s policy (host, user, purpose, forwarding) or the token\'s restriction (key), or the token lacks `sign`.'),
        404: errorAnswer('No such key in the team.'),
      },
      async handler(request) {
        const token = callerOf(request);
        const { data, flags, session_binds } = request.body;
        const binds = (session_binds ?? []).map((b) => ({
          hostKey: Buffer.from(b.host_key, 'base64'),
          sessionId: Buffer.from(b.session_id, 'base64'),
          signature: Buffer.from(b.signature, 'base64'),
          isForwarding: b.forwarding,
        }));
        const signed = await signing.sign(actorFor(token, request), token, request.params.uuid, { data: Buffer.from(data, 'base64'), flags: flags ?? 0, binds });
        return { signature: signed.signature.toString('base64'), algorithm: signed.algorithm, key_fingerprint: signed.keyFingerprint };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/private-keys/:uuid/signatures',
      ability: 'any',
      operationId: 'list-ssh-key-signatures',
      summary: "An SSH key's recent signatures",
      description: 'The signatures made with the key and the refusals, newest first, from the audit trail: who asked, for what (purpose, user, host), and the outcome. Needs `read` or `sign`.',
      tags,
      schema: { params: UuidPath, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }) },
      responses: { 200: { description: 'Newest first.', schema: Type.Object({ events: Type.Array(AuditEntry) }) }, 403: errorAnswer('The token has neither `read` nor `sign`.'), 404: errorAnswer('No such key in the team.') },
      async handler(request) {
        const viewer = readOrSign(request);
        await privateKeys.get(viewer, request.params.uuid, false);
        const events = await audit.recent(viewer.teamId, { action: 'private_key.sign', resourceType: 'private_key', resourceId: request.params.uuid, limit: request.query.limit ?? 50 });
        return { events: events.map(auditEntry) };
      },
    }),
  ];
}
