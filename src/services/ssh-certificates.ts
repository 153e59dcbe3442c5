import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { formatDuration, parseDuration } from '../domain/duration.js';
import { AppError, isAppError } from '../domain/errors.js';
import { exactPrincipals, principalMatches, type SshCa, type SshCertificate } from '../domain/ssh-ca.js';
import type { Actor, ApiToken, Clock } from '../domain/types.js';
import type { Repos, Store } from '../repositories/index.js';
import { buildCertificate, certificateLine, DEFAULT_USER_EXTENSIONS } from '../ssh/certificate.js';
import { buildKrl } from '../ssh/krl.js';
import { parsePublicKeyBlob, parsePublicKeyLine, publicKeyLine } from '../ssh/public-key.js';
import { fingerprintOf } from '../ssh/signature.js';
import { WireError } from '../ssh/wire.js';
import { auditEvent } from './audit.js';
import { recordChange } from './events.js';
import type { SshCaService } from './ssh-ca.js';

/**
 * Issuing SSH certificates from a role, the inventory of every certificate issued, revocation (by
 * serial, key id or public key) and each CA's KRL. Serials are the inventory's ids: unique across
 * every CA of the instance and never reused, so a serial alone names a certificate.
 */

export interface IssueInput {
  role: string;
  publicKey: string;
  principals?: string[];
  ttl?: string;
  keyId?: string;
}

export interface InventoryQuery {
  ca?: string;
  principal?: string;
  keyId?: string;
  active?: boolean;
  limit: number;
  cursor?: string;
}

/** `valid_after` is backdated this much, for clocks a little behind keyhold's. */
const CLOCK_SKEW_S = 60;

/** What an event or the answer says of a certificate (never a private key: keyhold never has the subject's). */
export function certificateData(c: SshCertificate, caName: string) {
  return {
    serial: c.serial,
    ca: caName,
    role: c.role,
    type: c.type,
    key_id: c.keyId,
    principals: c.principals,
    valid_after: new Date(c.validAfter * 1000).toISOString(),
    valid_before: new Date(c.validBefore * 1000).toISOString(),
    public_key_fingerprint: c.publicKeyFingerprint,
    requested_by: c.requestedBy,
  };
}

/**
 * A public key line to its blob and the comment, or a 400 saying what a public key line looks like.
 * The blob must be a key keyhold can certify (not a certificate, not DSA, RSA of 1024 bits or more),
 * checked here rather than when the certificate is built, which would answer 500.
 */
function readPublicKey(line: string): { blob: Buffer; comment?: string } {
  try {
    const blob = parsePublicKeyLine(line);
    const key = parsePublicKeyBlob(blob);
    if (key.type === 'ssh-rsa' && key.rsaBits < 1024) throw new WireError(`an RSA key of ${key.rsaBits} bits is too small (OpenSSH wants 1024 or more)`);
    const comment = line.trim().split(/\s+/).slice(2).join(' ');
    return { blob, comment: comment || undefined };
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    throw new AppError('bad_request', `public_key must be one OpenSSH public key line (ssh-ed25519, ssh-rsa or ecdsa-sha2-*, not a certificate), as in a .pub file: ${err.message}`);
  }
}

export function sshCertificatesService(store: Store, cas: SshCaService, clock: Clock) {
  const nowS = () => Math.floor(clock() / 1000);

  async function caNames(teamId: number): Promise<Map<number, string>> {
    return new Map((await store.sshCa.listCas(teamId)).map((c) => [c.id, c.name]));
  }

  /** Records a revocation's audit row, event and the CA's new KRL version, in the revocation's transaction. */
  async function revoked(repos: Repos, actor: Actor, ca: SshCa, resource: string, data: Record<string, unknown>): Promise<void> {
    await repos.sshCa.bumpKrl(ca.id);
    const at = clock();
    const audit = auditEvent(actor, 'ssh_certificate.revoke', 'ssh_certificate', resource, [], at);
    await recordChange(repos, audit, [{ type: 'ssh_certificate.revoked', teamId: actor.teamId, data: { ca: ca.name, ...data } }], at);
  }

  return {
    /** Issues a certificate from a role for a token with `certify` (restricted to its roles, if it is). */
    async issue(actor: Actor, token: Pick<ApiToken, 'sshRoles'>, input: IssueInput): Promise<{ certificate: SshCertificate; caName: string }> {
      const role = await cas.requireRole(actor.teamId, input.role);
      const ca = await store.sshCa.findCaById(role.caId);
      if (!ca) throw new AppError('internal', `role ${role.name} has no CA`);
      let subject: { blob: Buffer; comment?: string };
      let principals: string[];
      let ttlMs: number;
      let keyId: string;
      try {
        if (token.sshRoles && !token.sshRoles.includes(role.name)) {
          throw new AppError('forbidden', `this token may issue certificates only from the role(s) ${token.sshRoles.join(', ')}`);
        }
        subject = readPublicKey(input.publicKey);
        principals = [...new Set(input.principals ?? exactPrincipals(role))];
        if (principals.length === 0) throw new AppError('bad_request', `role ${role.name} allows only patterns (${role.principals.join(', ')}): name the principals to certify`);
        const outside = principals.filter((p) => !role.principals.some((pattern) => principalMatches(pattern, p)));
        if (outside.length) {
          throw new AppError('forbidden', `principal${outside.length > 1 ? 's' : ''} ${outside.join(', ')} not allowed by role ${role.name}, which allows ${role.principals.join(', ')}`);
        }
        ttlMs = input.ttl === undefined ? role.defaultTtlMs : parseDuration(input.ttl, 'ttl');
        if (ttlMs > role.maxTtlMs) throw new AppError('bad_request', `ttl ${formatDuration(ttlMs)} is longer than role ${role.name}'s max_ttl of ${formatDuration(role.maxTtlMs)}`);
        keyId = input.keyId ?? `${actor.label}@${role.name}`;
        if (!/^[\x20-\x7e]{1,255}$/.test(keyId)) throw new AppError('bad_request', 'key_id must be 1 to 255 printable ASCII characters');
      } catch (err) {
        // A refused request is on the record too: who asked which role for what.
        if (isAppError(err, 'forbidden') || isAppError(err, 'bad_request')) {
          const at = clock();
          await store.audit.insert({
            ...auditEvent(actor, 'ssh_certificate.refuse', 'ssh_role', role.name, [], at),
            detail: { ca: ca.name, role: role.name, principals: input.principals ?? null, ttl: input.ttl ?? null, reason: err.message },
          });
        }
        throw err;
      }
      const signer = await cas.signingKey(ca);
      const now = nowS();
      const record = {
        teamId: actor.teamId,
        caId: ca.id,
        role: role.name,
        type: ca.type,
        keyId,
        principals,
        validAfter: now - CLOCK_SKEW_S,
        validBefore: now + Math.ceil(ttlMs / 1000),
        publicKey: publicKeyLine(subject.blob, subject.comment),
        publicKeyFingerprint: fingerprintOf(subject.blob),
        requestedBy: actor.label,
        tokenId: actor.tokenId,
        createdAt: clock(),
      };
      const certificate = await store.transaction(async (repos) => {
        const serial = await repos.sshCa.insertCertificate(record);
        const blob = buildCertificate({
          subjectPublicBlob: subject.blob,
          type: ca.type,
          serial: BigInt(serial),
          keyId,
          principals,
          validAfter: record.validAfter,
          validBefore: record.validBefore,
          criticalOptions: ca.type === 'user' ? { ...role.criticalOptions } : {},
          extensions: ca.type === 'user' ? (role.extensions ?? DEFAULT_USER_EXTENSIONS) : [],
          ca: signer,
        });
        const line = certificateLine(blob, subject.comment);
        await repos.sshCa.completeCertificate(serial, keyId, line);
        const issued: SshCertificate = { ...record, serial, certificate: line, revokedAt: null, revokedBy: null };
        const audit = auditEvent(actor, 'ssh_certificate.issue', 'ssh_certificate', String(serial), ['principals', 'valid_before'], record.createdAt);
        await recordChange(repos, { ...audit, detail: { ca: ca.name, role: role.name, key_id: keyId, principals } }, [
          { type: 'ssh_certificate.issued', teamId: actor.teamId, data: { certificate: certificateData(issued, ca.name) } },
        ], record.createdAt);
        return issued;
      });
      return { certificate, caName: ca.name };
    },

    /** One page of the team's certificates, newest first, with each one's CA name. */
    async list(teamId: number, q: InventoryQuery): Promise<{ certificates: Array<SshCertificate & { caName: string }>; nextCursor: string | null }> {
      const names = await caNames(teamId);
      const caId = q.ca === undefined ? undefined : (await cas.requireCa(teamId, q.ca)).id;
      const before = q.cursor === undefined ? undefined : decodeCursor('before', q.cursor);
      if (q.cursor !== undefined && before === undefined) throw new AppError('bad_request', 'cursor is not one this server issued (pass next_cursor back unchanged)');
      const now = nowS();
      const rows = await store.sshCa.listCertificates(teamId, {
        caId,
        principal: q.principal,
        keyId: q.keyId,
        activeAt: q.active === true ? now : undefined,
        expiredAt: q.active === false ? now : undefined,
        beforeSerial: before,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit).map((c) => ({ ...c, caName: names.get(c.caId) ?? '' }));
      return { certificates: page, nextCursor: rows.length > q.limit ? encodeCursor('before', page[page.length - 1]!.serial) : null };
    },

    async get(teamId: number, serial: number): Promise<SshCertificate & { caName: string }> {
      const c = await store.sshCa.findCertificate(teamId, serial);
      if (!c) throw new AppError('not_found', `no SSH certificate with serial ${serial}`);
      return { ...c, caName: (await caNames(teamId)).get(c.caId) ?? '' };
    },

    /** Revokes one certificate by serial: in its CA's KRL from now on. */
    async revokeSerial(actor: Actor, serial: number): Promise<void> {
      const c = await store.sshCa.findCertificate(actor.teamId, serial);
      if (!c) throw new AppError('not_found', `no SSH certificate with serial ${serial}`);
      const ca = await store.sshCa.findCaById(c.caId);
      if (!ca) throw new AppError('not_found', `no SSH certificate with serial ${serial}`);
      await store.transaction(async (repos) => {
        if (!(await repos.sshCa.revokeCertificate(serial, clock(), actor.label))) throw new AppError('conflict', `certificate ${serial} is already revoked`);
        await revoked(repos, actor, ca, String(serial), { serial, key_id: c.keyId, public_key_fingerprint: c.publicKeyFingerprint });
      });
    },

    /** Revokes, in one CA's KRL, every certificate with a key id, or a public key (and every certificate of it). */
    async revoke(actor: Actor, caName: string, what: { keyId?: string; publicKey?: string }): Promise<void> {
      const ca = await cas.requireCa(actor.teamId, caName);
      if ((what.keyId === undefined) === (what.publicKey === undefined)) throw new AppError('bad_request', 'give exactly one of key_id and public_key');
      const entry =
        what.keyId !== undefined
          ? { kind: 'key_id' as const, value: what.keyId, data: { key_id: what.keyId } }
          : (() => {
              const blob = readPublicKey(what.publicKey!).blob;
              return { kind: 'public_key' as const, value: blob.toString('base64'), data: { public_key_fingerprint: fingerprintOf(blob) } };
            })();
      await store.transaction(async (repos) => {
        const added = await repos.sshCa.insertRevocation({ caId: ca.id, kind: entry.kind, value: entry.value, revokedBy: actor.label, createdAt: clock() });
        if (!added) throw new AppError('conflict', `CA ${caName} already revokes that ${entry.kind === 'key_id' ? 'key id' : 'public key'}`);
        await revoked(repos, actor, ca, `${caName}:${entry.kind}`, entry.data);
      });
    },

    /** The CA's revocations. */
    revocations: (ca: SshCa) => store.sshCa.listRevocations(ca.id),

    /**
     * An OpenSSH KRL (PROTOCOL.krl) for one CA, or (no name) for every CA of the team in one file: sshd
     * takes a single RevokedKeys file, and a server trusting two CAs while one replaces the other needs
     * both CAs' revocations. It holds revoked serials still within their validity, key ids and public
     * keys; its version is the sum of the CAs' revocation counts, so it grows with every revocation.
     */
    async krl(teamId: number, caName?: string): Promise<Buffer> {
      const cas_ = caName === undefined ? await store.sshCa.listCas(teamId) : [await cas.requireCa(teamId, caName)];
      const now = nowS();
      const sections = [];
      const revokedKeys: Buffer[] = [];
      for (const ca of cas_) {
        const revocations = await store.sshCa.listRevocations(ca.id);
        sections.push({
          caPublicBlob: Buffer.from(ca.publicKey.split(' ')[1]!, 'base64'),
          serials: (await store.sshCa.revokedSerials(ca.id, now)).map((s) => BigInt(s)),
          keyIds: revocations.filter((r) => r.kind === 'key_id').map((r) => r.value),
        });
        for (const r of revocations) if (r.kind === 'public_key') revokedKeys.push(Buffer.from(r.value, 'base64'));
      }
      const unique = [...new Map(revokedKeys.map((k) => [k.toString('base64'), k])).values()];
      return buildKrl({
        version: BigInt(cas_.reduce((n, ca) => n + ca.krlVersion, 0)),
        generatedAt: now,
        comment: caName === undefined ? 'keyhold: every SSH CA of the team' : `keyhold CA ${caName}`,
        cas: sections,
        revokedKeys: unique,
      });
    },
  };
}
export type SshCertificatesService = ReturnType<typeof sshCertificatesService>;
