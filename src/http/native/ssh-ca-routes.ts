import { Type } from 'typebox';
import { formatDuration } from '../../domain/duration.js';
import type { SshCa, SshCertificate, SshRole } from '../../domain/ssh-ca.js';
import { formatDateTime } from '../../domain/time.js';
import { DEFAULT_USER_EXTENSIONS } from '../../ssh/certificate.js';
import type { SshCaService } from '../../services/ssh-ca.js';
import type { SshCertificatesService } from '../../services/ssh-certificates.js';
import { actorFor, actorOf } from '../auth.js';
import { callerOf, defineRoute, type RouteDefinition } from '../route.js';
import { errorAnswer } from './schemas.js';
import {
  SshCa as SshCaSchema,
  SshCaCreate,
  SshCertificate as SshCertificateSchema,
  SshCertificateIssue,
  SshCertificateIssued,
  SshCertificatePage,
  SshCertificateQuery,
  SshRevocation,
  SshRevocationCreate,
  SshRole as SshRoleSchema,
  SshRoleCreate,
  SshRoleUpdate,
} from './ssh-ca-schemas.js';

const tags = ['SSH certificates'];
const NamePath = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });
const SerialPath = Type.Object({ serial: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The certificate serial' }) });

const caWire = (c: SshCa) => ({ name: c.name, type: c.type, public_key: c.publicKey, fingerprint: c.fingerprint, private_key_uuid: c.privateKeyUuid, created_at: formatDateTime(c.createdAt) });

const roleWire = (r: SshRole, caName: string) => ({
  name: r.name,
  ca: caName,
  principals: r.principals,
  max_ttl: formatDuration(r.maxTtlMs),
  default_ttl: formatDuration(r.defaultTtlMs),
  extensions: r.extensions ?? [...DEFAULT_USER_EXTENSIONS],
  critical_options: r.criticalOptions,
  created_at: formatDateTime(r.createdAt),
  updated_at: formatDateTime(r.updatedAt),
});

const seconds = (s: number) => formatDateTime(s * 1000);

function certificateWire(c: SshCertificate & { caName: string }, nowMs: number) {
  return {
    serial: c.serial,
    ca: c.caName,
    role: c.role,
    type: c.type,
    key_id: c.keyId,
    principals: c.principals,
    valid_after: seconds(c.validAfter),
    valid_before: seconds(c.validBefore),
    public_key: c.publicKey,
    public_key_fingerprint: c.publicKeyFingerprint,
    requested_by: c.requestedBy,
    created_at: formatDateTime(c.createdAt),
    revoked_at: c.revokedAt === null ? null : formatDateTime(c.revokedAt),
    revoked_by: c.revokedBy,
    state: c.revokedAt !== null ? ('revoked' as const) : c.validBefore * 1000 <= nowMs ? ('expired' as const) : ('active' as const),
  };
}

/** keyhold as an SSH certificate authority: CAs, roles, issuing, the inventory, revocation and KRLs (docs/ssh-ca.md). */
export function sshCaRoutes(cas: SshCaService, certificates: SshCertificatesService, now: () => number): RouteDefinition[] {
  const caNameOf = async (teamId: number) => new Map((await cas.listCas(teamId)).map((c) => [c.id, c.name]));
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/ssh/cas',
      ability: 'read',
      operationId: 'list-ssh-cas',
      summary: 'List SSH CAs',
      tags,
      schema: {},
      responses: { 200: { description: "The team's CAs.", schema: Type.Array(SshCaSchema) } },
      handler: async (request) => (await cas.listCas(callerOf(request).teamId)).map(caWire),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/ssh/cas',
      ability: 'root',
      operationId: 'create-ssh-ca',
      summary: 'Create an SSH CA',
      description: 'Without `private_key_uuid` keyhold generates an Ed25519 key and stores it encrypted like any private key (named `ssh-ca-<name>`); with one, that stored key becomes the CA (an RSA CA signs with rsa-sha2-512).',
      tags,
      schema: { body: SshCaCreate },
      bodyRequired: true,
      responses: { 201: { description: 'Created.', schema: SshCaSchema }, 400: errorAnswer('The request is not valid.'), 404: errorAnswer('No such private key.'), 409: errorAnswer('The name is taken, or the key already signs for a CA.') },
      async handler(request, reply) {
        const { name, type, private_key_uuid } = request.body;
        const ca = await cas.createCa(actorOf(request), { name, type, privateKeyUuid: private_key_uuid });
        return reply.code(201).send(caWire(ca));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/ssh/cas/:name',
      ability: 'read',
      operationId: 'get-ssh-ca',
      summary: 'Get an SSH CA',
      tags,
      schema: { params: NamePath },
      responses: { 200: { description: 'The CA.', schema: SshCaSchema }, 404: errorAnswer('No such CA.') },
      handler: async (request) => caWire(await cas.requireCa(callerOf(request).teamId, request.params.name)),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/ssh/cas/:name',
      ability: 'root',
      operationId: 'delete-ssh-ca',
      summary: 'Delete an SSH CA',
      description: 'Refused (409) while the CA has certificates that have not expired. Its roles, inventory and revocations go with it; its signing key stays among the SSH keys.',
      tags,
      schema: { params: NamePath },
      responses: { 204: { description: 'Deleted.' }, 404: errorAnswer('No such CA.'), 409: errorAnswer('The CA has unexpired certificates.') },
      async handler(request, reply) {
        await cas.deleteCa(actorOf(request), request.params.name);
        return reply.code(204).send();
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/ssh/cas/:name/public-key',
      ability: 'read',
      operationId: 'get-ssh-ca-public-key',
      summary: "An SSH CA's public key line",
      description: "The one line for sshd's `TrustedUserCAKeys` file (a user CA), or to put after `@cert-authority <host patterns>` in known_hosts (a host CA).",
      tags,
      schema: { params: NamePath },
      responses: { 200: { description: 'One line.', contentType: 'text/plain', schema: Type.String() }, 404: errorAnswer('No such CA.') },
      async handler(request, reply) {
        const ca = await cas.requireCa(callerOf(request).teamId, request.params.name);
        return reply.type('text/plain; charset=utf-8').send(`${ca.publicKey}\n`);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/ssh/cas/:name/krl',
      ability: 'read',
      operationId: 'get-ssh-ca-krl',
      summary: "An SSH CA's revocation list (KRL)",
      description:
        "The binary OpenSSH KRL (PROTOCOL.krl) for sshd's `RevokedKeys`: revoked serials still within their validity, revoked key ids, revoked public keys. Its version goes up with every revocation. `keyhold ssh krl --ca NAME --out FILE` writes it atomically.",
      tags,
      schema: { params: NamePath },
      responses: { 200: { description: 'The KRL.', contentType: 'application/octet-stream', schema: Type.String({ format: 'binary' }) }, 404: errorAnswer('No such CA.') },
      async handler(request, reply) {
        const krl = await certificates.krl(callerOf(request).teamId, request.params.name);
        return reply.type('application/octet-stream').header('cache-control', 'no-cache').send(krl);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/ssh/krl',
      ability: 'read',
      operationId: 'get-ssh-krl',
      summary: "Every SSH CA's revocations in one KRL",
      description:
        "One binary OpenSSH KRL with a section for each CA of the team: sshd takes a single `RevokedKeys` file, and a server that trusts an old and a new CA during a rotation needs both CAs' revocations. `keyhold ssh krl --out FILE` (without `--ca`) writes it.",
      tags,
      schema: {},
      responses: { 200: { description: 'The KRL.', contentType: 'application/octet-stream', schema: Type.String({ format: 'binary' }) } },
      async handler(request, reply) {
        const krl = await certificates.krl(callerOf(request).teamId);
        return reply.type('application/octet-stream').header('cache-control', 'no-cache').send(krl);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/ssh/cas/:name/revocations',
      ability: 'read',
      operationId: 'list-ssh-ca-revocations',
      summary: "An SSH CA's revocations by key id and public key",
      tags,
      schema: { params: NamePath },
      responses: { 200: { description: 'Oldest first (serials are revoked on the certificates themselves).', schema: Type.Array(SshRevocation) }, 404: errorAnswer('No such CA.') },
      async handler(request) {
        const ca = await cas.requireCa(callerOf(request).teamId, request.params.name);
        return (await certificates.revocations(ca)).map((r) => ({ kind: r.kind, value: r.value, revoked_by: r.revokedBy, created_at: formatDateTime(r.createdAt) }));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/ssh/cas/:name/revocations',
      ability: 'root',
      operationId: 'revoke-ssh-key-id-or-key',
      summary: 'Revoke by key id or public key',
      description: "Puts a key id (every certificate of this CA with it) or a public key (the key, and every certificate of it) in the CA's KRL. Audited, and an `ssh_certificate.revoked` event.",
      tags,
      schema: { params: NamePath, body: SshRevocationCreate },
      bodyRequired: true,
      responses: { 204: { description: 'Revoked.' }, 400: errorAnswer('Not exactly one of key_id and public_key, or not a public key.'), 404: errorAnswer('No such CA.'), 409: errorAnswer('Already revoked.') },
      async handler(request, reply) {
        await certificates.revoke(actorOf(request), request.params.name, { keyId: request.body.key_id, publicKey: request.body.public_key });
        return reply.code(204).send();
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/ssh/roles',
      ability: 'read',
      operationId: 'list-ssh-roles',
      summary: 'List SSH certificate roles',
      tags,
      schema: {},
      responses: { 200: { description: "The team's roles.", schema: Type.Array(SshRoleSchema) } },
      async handler(request) {
        const teamId = callerOf(request).teamId;
        const names = await caNameOf(teamId);
        return (await cas.listRoles(teamId)).map((r) => roleWire(r, names.get(r.caId) ?? ''));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/ssh/roles',
      ability: 'root',
      operationId: 'create-ssh-role',
      summary: 'Create an SSH certificate role',
      description: 'What certificates from the role may say: principals (exact names or `*`-patterns), TTLs (`15m`, `8h`), extensions and critical options (user certificates).',
      tags,
      schema: { body: SshRoleCreate },
      bodyRequired: true,
      responses: { 201: { description: 'Created.', schema: SshRoleSchema }, 400: errorAnswer('The request is not valid.'), 404: errorAnswer('No such CA.'), 409: errorAnswer('The name is taken.') },
      async handler(request, reply) {
        const b = request.body;
        const role = await cas.createRole(actorOf(request), {
          name: b.name,
          ca: b.ca,
          principals: b.principals,
          maxTtl: b.max_ttl,
          defaultTtl: b.default_ttl,
          extensions: b.extensions,
          criticalOptions: b.critical_options,
        });
        return reply.code(201).send(roleWire(role, b.ca));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/ssh/roles/:name',
      ability: 'read',
      operationId: 'get-ssh-role',
      summary: 'Get an SSH certificate role',
      tags,
      schema: { params: NamePath },
      responses: { 200: { description: 'The role.', schema: SshRoleSchema }, 404: errorAnswer('No such role.') },
      async handler(request) {
        const teamId = callerOf(request).teamId;
        const role = await cas.requireRole(teamId, request.params.name);
        return roleWire(role, (await caNameOf(teamId)).get(role.caId) ?? '');
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/ssh/roles/:name',
      ability: 'root',
      operationId: 'update-ssh-role',
      summary: 'Change an SSH certificate role',
      description: 'Certificates already issued keep what they say; revoke them to take it back.',
      tags,
      schema: { params: NamePath, body: SshRoleUpdate },
      bodyRequired: true,
      responses: { 200: { description: 'The role as it now stands.', schema: SshRoleSchema }, 400: errorAnswer('The request is not valid.'), 404: errorAnswer('No such role.') },
      async handler(request) {
        const b = request.body;
        const caller = callerOf(request);
        const role = await cas.updateRole(actorFor(caller, request), request.params.name, {
          principals: b.principals,
          maxTtl: b.max_ttl,
          defaultTtl: b.default_ttl,
          extensions: b.extensions,
          criticalOptions: b.critical_options,
        });
        return roleWire(role, (await caNameOf(caller.teamId)).get(role.caId) ?? '');
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/ssh/roles/:name',
      ability: 'root',
      operationId: 'delete-ssh-role',
      summary: 'Delete an SSH certificate role',
      description: 'Certificates issued from it stay valid until they expire (revoke them to end them sooner).',
      tags,
      schema: { params: NamePath },
      responses: { 204: { description: 'Deleted.' }, 404: errorAnswer('No such role.') },
      async handler(request, reply) {
        await cas.deleteRole(actorOf(request), request.params.name);
        return reply.code(204).send();
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/ssh/certificates',
      ability: 'certify',
      operationId: 'issue-ssh-certificate',
      summary: 'Issue an SSH certificate',
      description:
        "Certifies a public key from a role: principals outside the role's patterns are refused (403), a TTL above its max_ttl too (400), each naming the limit. Needs `certify` (a token may be restricted to some roles). Audited, and an `ssh_certificate.issued` event.",
      tags,
      schema: { body: SshCertificateIssue },
      bodyRequired: true,
      responses: {
        201: { description: 'Issued.', schema: SshCertificateIssued },
        400: errorAnswer('Not a public key, a TTL above the role\'s max_ttl, or a role with only patterns and no principals asked.'),
        403: errorAnswer("A principal outside the role's patterns, a role the token is not restricted to, or no `certify`."),
        404: errorAnswer('No such role.'),
      },
      async handler(request, reply) {
        const caller = callerOf(request);
        const b = request.body;
        const { certificate: c } = await certificates.issue(actorFor(caller, request), caller, { role: b.role, publicKey: b.public_key, principals: b.principals, ttl: b.ttl, keyId: b.key_id });
        return reply.code(201).send({ serial: c.serial, certificate: c.certificate, key_id: c.keyId, principals: c.principals, valid_after: seconds(c.validAfter), valid_before: seconds(c.validBefore) });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/ssh/certificates',
      ability: 'read',
      operationId: 'list-ssh-certificates',
      summary: 'The certificate inventory',
      description: 'Every certificate issued, newest first, with who asked for it; filtered by CA, principal, key id, and whether it is active now.',
      tags,
      schema: { querystring: SshCertificateQuery },
      responses: { 200: { description: 'One page.', schema: SshCertificatePage }, 400: errorAnswer('A bad filter or cursor.'), 404: errorAnswer('No such CA.') },
      async handler(request) {
        const q = request.query;
        const page = await certificates.list(callerOf(request).teamId, { ca: q.ca, principal: q.principal, keyId: q.key_id, active: q.active, limit: q.limit ?? 100, cursor: q.cursor });
        const t = now();
        return { certificates: page.certificates.map((c) => certificateWire(c, t)), next_cursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/ssh/certificates/:serial',
      ability: 'read',
      operationId: 'get-ssh-certificate',
      summary: 'One certificate of the inventory',
      tags,
      schema: { params: SerialPath },
      responses: { 200: { description: 'The certificate.', schema: SshCertificateSchema }, 404: errorAnswer('No such certificate in the team.') },
      handler: async (request) => certificateWire(await certificates.get(callerOf(request).teamId, request.params.serial), now()),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/ssh/certificates/:serial/revoke',
      ability: 'root',
      operationId: 'revoke-ssh-certificate',
      summary: 'Revoke a certificate',
      description: "Puts its serial in its CA's KRL. Audited, and an `ssh_certificate.revoked` event.",
      tags,
      schema: { params: SerialPath },
      responses: { 204: { description: 'Revoked.' }, 404: errorAnswer('No such certificate in the team.'), 409: errorAnswer('Already revoked.') },
      async handler(request, reply) {
        await certificates.revokeSerial(actorOf(request), request.params.serial);
        return reply.code(204).send();
      },
    }),
  ];
}
