import { generateKeyPairSync } from 'node:crypto';
import { isIP } from 'node:net';
import { privateKeyAad } from '../crypto/envelope.js';
import { formatDuration, parseDuration } from '../domain/duration.js';
import { AppError } from '../domain/errors.js';
import { type CaType, type CriticalOptions, SSH_NAME, type SshCa, type SshRole } from '../domain/ssh-ca.js';
import type { Actor, Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import type { SealedPrivateKey } from '../repositories/private-keys.js';
import { type SigningKey, fingerprintOf, loadSigningKey } from '../ssh/signature.js';
import { publicKeyLine } from '../ssh/public-key.js';
import { auditEvent } from './audit.js';
import type { LiveKeyring } from './keyring.js';
import type { PrivateKeysService } from './private-keys.js';

/**
 * SSH certificate authorities and their roles. A CA is one of the team's stored private keys
 * (generated here as Ed25519 unless an existing key is named), so it is sealed, rotated, backed
 * up and audited like every other key; a role (Vault's idea) says what certificates from it may
 * say. Certificates themselves are ssh-certificates.ts.
 */

export interface CaInput {
  name: string;
  type: CaType;
  privateKeyUuid?: string;
}

export interface RoleInput {
  name: string;
  ca: string;
  principals: string[];
  maxTtl: string;
  defaultTtl: string;
  extensions?: string[] | null;
  criticalOptions?: CriticalOptions;
}

export type RoleUpdate = Partial<Omit<RoleInput, 'name' | 'ca'>>;

/** The longest a role may let a certificate live. */
const MAX_ROLE_TTL_MS = 365 * 86_400_000;
/** OpenSSH's own extensions (PROTOCOL.certkeys); others must be vendor extensions, `name@domain`. */
const KNOWN_EXTENSIONS = new Set(['permit-X11-forwarding', 'permit-agent-forwarding', 'permit-port-forwarding', 'permit-pty', 'permit-user-rc', 'no-touch-required']);
const KEY_TYPES = new Set(['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521']);

const notFound = (what: string, name: string) => new AppError('not_found', `no SSH ${what} named ${JSON.stringify(name)}`);

function checkName(name: string, what: string): void {
  if (!SSH_NAME.test(name)) throw new AppError('bad_request', `a ${what} name is 1 to 64 lower-case letters, digits or "-", starting with a letter or digit`);
}

/** `source-address`: a comma-separated list of addresses and CIDRs, as sshd reads it. */
function checkSourceAddress(text: string): void {
  for (const item of text.split(',')) {
    const [address, bits, ...rest] = item.trim().split('/');
    const family = isIP(address ?? '');
    const max = family === 6 ? 128 : 32;
    const ok = family !== 0 && rest.length === 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max));
    if (!ok) throw new AppError('bad_request', `critical_options.source-address must be addresses or CIDRs separated by commas (e.g. 10.0.0.0/8,192.0.2.7); ${JSON.stringify(item.trim())} is not one`);
  }
}

/** A role's principals, TTLs, extensions and options, checked against the CA's type. */
function checkRole(type: CaType, r: { principals: string[]; maxTtlMs: number; defaultTtlMs: number; extensions: string[] | null; criticalOptions: CriticalOptions }): void {
  if (r.principals.length === 0) throw new AppError('bad_request', 'principals must name at least one principal or pattern');
  for (const p of r.principals) {
    if (!/^[^\s,]{1,255}$/.test(p)) throw new AppError('bad_request', `principal ${JSON.stringify(p)} must be 1 to 255 characters without spaces or commas`);
  }
  if (r.maxTtlMs > MAX_ROLE_TTL_MS) throw new AppError('bad_request', `max_ttl may be at most ${formatDuration(MAX_ROLE_TTL_MS)}`);
  if (r.defaultTtlMs > r.maxTtlMs) throw new AppError('bad_request', `default_ttl (${formatDuration(r.defaultTtlMs)}) must not be longer than max_ttl (${formatDuration(r.maxTtlMs)})`);
  if (type === 'host' && ((r.extensions && r.extensions.length > 0) || Object.keys(r.criticalOptions).length > 0)) {
    throw new AppError('bad_request', 'host certificates carry no extensions or critical options: leave them out of a host role');
  }
  for (const e of r.extensions ?? []) {
    if (!KNOWN_EXTENSIONS.has(e) && !/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+$/.test(e)) {
      throw new AppError('bad_request', `extension ${JSON.stringify(e)} is neither one of OpenSSH's (${[...KNOWN_EXTENSIONS].join(', ')}) nor a vendor extension name@domain`);
    }
  }
  const command = r.criticalOptions['force-command'];
  if (command !== undefined && (command.length === 0 || command.length > 4096)) throw new AppError('bad_request', 'critical_options.force-command must be 1 to 4096 characters');
  if (r.criticalOptions['source-address'] !== undefined) checkSourceAddress(r.criticalOptions['source-address']);
}

/** A new Ed25519 key as PKCS#8 PEM, which keyhold's key check reads like any uploaded key. */
const newEd25519Pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export function sshCaService(store: Store, keys: LiveKeyring, privateKeys: PrivateKeysService, clock: Clock) {
  async function requireCa(teamId: number, name: string): Promise<SshCa> {
    const ca = await store.sshCa.findCa(teamId, name);
    if (!ca) throw notFound('CA', name);
    return ca;
  }
  async function requireRole(teamId: number, name: string): Promise<SshRole> {
    const role = await store.sshCa.findRole(teamId, name);
    if (!role) throw notFound('role', name);
    return role;
  }

  return {
    requireCa,
    requireRole,
    /** The CA's key, ready to sign certificates and KRLs (decrypted in memory only, for this call). */
    async signingKey(ca: SshCa): Promise<SigningKey> {
      const sealed: SealedPrivateKey | undefined = await store.privateKeys.findById(ca.privateKeyId);
      if (!sealed) throw new AppError('internal', `the signing key of CA ${ca.name} is missing`);
      await keys.ensure([sealed.keyVersion]);
      return loadSigningKey(keys.ring.decrypt(sealed.keyVersion, sealed.ciphertext, privateKeyAad(sealed.teamId, sealed.uuid)));
    },

    async createCa(actor: Actor, input: CaInput): Promise<SshCa> {
      checkName(input.name, 'CA');
      if (await store.sshCa.findCa(actor.teamId, input.name)) throw new AppError('conflict', `the team already has a CA named ${input.name}`);
      let uuid = input.privateKeyUuid;
      const generated = uuid === undefined;
      if (uuid === undefined) {
        const key = await privateKeys.create(actor, { name: `ssh-ca-${input.name}`, description: `signing key of the SSH ${input.type} CA ${input.name}, made by keyhold`, privateKey: newEd25519Pem() });
        uuid = key.uuid;
      }
      try {
        const sealed = await store.privateKeys.findByUuid(actor.teamId, uuid);
        if (!sealed || (actor.privateKeys && !actor.privateKeys.includes(uuid))) throw new AppError('not_found', `no SSH key ${uuid} in the team`);
        const used = await store.sshCa.caUsingKey(sealed.id);
        if (used) throw new AppError('conflict', `that key already signs for the CA ${used}: give each CA its own key`);
        const type = sealed.publicKey.split(' ')[0] ?? '';
        if (!KEY_TYPES.has(type)) throw new AppError('bad_request', `a ${type} key cannot be a CA (OpenSSH no longer accepts DSA): use Ed25519, ECDSA or RSA`);
        const blob = Buffer.from(sealed.publicKey.split(' ')[1] ?? '', 'base64');
        const now = clock();
        const ca = await store.transaction(async (repos) => {
          const id = await repos.sshCa.insertCa({
            teamId: actor.teamId,
            name: input.name,
            type: input.type,
            privateKeyId: sealed.id,
            publicKey: publicKeyLine(blob, `keyhold-ca-${input.name}`),
            fingerprint: fingerprintOf(blob),
            createdAt: now,
          });
          await repos.audit.insert(auditEvent(actor, 'ssh_ca.create', 'ssh_ca', input.name, ['name', 'type', 'private_key'], now));
          return (await repos.sshCa.findCaById(id))!;
        });
        return ca;
      } catch (err) {
        if (generated) await privateKeys.remove(actor, uuid).catch(() => {});
        throw err;
      }
    },
    listCas: (teamId: number) => store.sshCa.listCas(teamId),
    /** Deletes a CA with no certificate still valid (its roles, inventory and revocations go with it; its key stays). */
    async deleteCa(actor: Actor, name: string): Promise<void> {
      const ca = await requireCa(actor.teamId, name);
      if (await store.sshCa.hasUnexpired(ca.id, Math.floor(clock() / 1000))) {
        throw new AppError('conflict', `CA ${name} has certificates that have not expired yet: revoke them and wait for them to expire (GET /v1/ssh/certificates?ca=${name}&active=true)`);
      }
      await store.transaction(async (repos) => {
        await repos.sshCa.deleteCa(ca.id);
        await repos.audit.insert(auditEvent(actor, 'ssh_ca.delete', 'ssh_ca', name, [], clock()));
      });
    },

    async createRole(actor: Actor, input: RoleInput): Promise<SshRole> {
      checkName(input.name, 'role');
      const ca = await requireCa(actor.teamId, input.ca);
      const now = clock();
      const role = {
        teamId: actor.teamId,
        name: input.name,
        caId: ca.id,
        principals: [...new Set(input.principals)],
        maxTtlMs: parseDuration(input.maxTtl, 'max_ttl'),
        defaultTtlMs: parseDuration(input.defaultTtl, 'default_ttl'),
        extensions: input.extensions === undefined ? null : input.extensions && [...new Set(input.extensions)],
        criticalOptions: input.criticalOptions ?? {},
        createdAt: now,
        updatedAt: now,
      };
      checkRole(ca.type, role);
      return store.transaction(async (repos) => {
        const made = await repos.sshCa.insertRole(role);
        await repos.audit.insert(auditEvent(actor, 'ssh_role.create', 'ssh_role', input.name, ['ca', 'principals', 'max_ttl', 'default_ttl', 'extensions', 'critical_options'], now));
        return made;
      });
    },
    listRoles: (teamId: number) => store.sshCa.listRoles(teamId),
    async updateRole(actor: Actor, name: string, input: RoleUpdate): Promise<SshRole> {
      const current = await requireRole(actor.teamId, name);
      const ca = await store.sshCa.findCaById(current.caId);
      const next: SshRole = {
        ...current,
        principals: input.principals ? [...new Set(input.principals)] : current.principals,
        maxTtlMs: input.maxTtl ? parseDuration(input.maxTtl, 'max_ttl') : current.maxTtlMs,
        defaultTtlMs: input.defaultTtl ? parseDuration(input.defaultTtl, 'default_ttl') : current.defaultTtlMs,
        extensions: input.extensions === undefined ? current.extensions : input.extensions && [...new Set(input.extensions)],
        criticalOptions: input.criticalOptions ?? current.criticalOptions,
        updatedAt: clock(),
      };
      checkRole(ca?.type ?? 'user', next);
      const changed = (['principals', 'maxTtlMs', 'defaultTtlMs', 'extensions', 'criticalOptions'] as const).filter((f) => JSON.stringify(next[f]) !== JSON.stringify(current[f]));
      if (changed.length === 0) return current;
      await store.transaction(async (repos) => {
        await repos.sshCa.updateRole(current.id, next);
        const wire = { principals: 'principals', maxTtlMs: 'max_ttl', defaultTtlMs: 'default_ttl', extensions: 'extensions', criticalOptions: 'critical_options' } as const;
        await repos.audit.insert(auditEvent(actor, 'ssh_role.update', 'ssh_role', name, changed.map((f) => wire[f]), next.updatedAt));
      });
      return next;
    },
    async deleteRole(actor: Actor, name: string): Promise<void> {
      const role = await requireRole(actor.teamId, name);
      await store.transaction(async (repos) => {
        await repos.sshCa.deleteRole(role.id);
        await repos.audit.insert(auditEvent(actor, 'ssh_role.delete', 'ssh_role', name, [], clock()));
      });
    },
  };
}
export type SshCaService = ReturnType<typeof sshCaService>;
