import { privateKeyAad } from '../crypto/envelope.js';
import { randomLowerAlnum } from '../crypto/secret.js';
import { type KeyTextProblem, keyTextProblem, type ParsedSshKey, parsePrivateKey } from '../crypto/ssh-key.js';
import { AppError } from '../domain/errors.js';
import { normaliseSigningPolicy, type SigningPolicy } from '../domain/signing-policy.js';
import { type Actor, type Clock, type KeyViewer, type PrivateKeyRecord, type PrivateKeyWithSecret, viewerSees } from '../domain/types.js';
import type { Repos, Store } from '../repositories/index.js';
import type { SealedPrivateKey } from '../repositories/private-keys.js';
import { auditEvent } from './audit.js';
import { privateKeyData, recordChange } from './events.js';
import type { LiveKeyring } from './keyring.js';

export interface PrivateKeyInput {
  name: string;
  description: string | null;
  privateKey: string;
  /** Refuse a name another of the team's keys has (keyhold's own API; Coolify allows duplicates, and keeps doing so). */
  uniqueName?: boolean;
}

/** Fields absent are kept. Coolify's PATCH always sends `privateKey`; keyhold's own may leave it out. */
export interface PrivateKeyUpdate {
  name?: string;
  description?: string | null;
  privateKey?: string;
  /** The signing policy, replaced whole (fields absent take their defaults); null: back to the default. */
  signing?: Partial<SigningPolicy> | null;
  uniqueName?: boolean;
}

const UUID = /^[a-z0-9]{1,64}$/;

/** The key is in use (an SSH CA signs with it): a 409 here, Coolify's "in use" 422 on its surface. */
export class KeyInUse extends AppError {
  constructor(message: string) {
    super('conflict', message);
  }
}
const notFound = () => new AppError('not_found', 'Private Key not found.');

/** The team already has this key (same fingerprint): which one. The message is Coolify's; keyhold's own API names the key. */
export class DuplicateKey extends AppError {
  constructor(
    message: string,
    readonly existing: { name: string; uuid: string },
  ) {
    super('conflict', message);
  }
}

/** Not a key keyhold reads, with why when it can tell (Coolify's surface keeps its own one message). */
export class UnreadableKey extends AppError {
  constructor(readonly problem: KeyTextProblem) {
    super('bad_request', 'Invalid private key.');
  }
}

function checkKey(text: string): ParsedSshKey {
  const parsed = parsePrivateKey(text);
  if (!parsed) throw new UnreadableKey(keyTextProblem(text));
  return parsed;
}

function strip({ keyVersion: _v, ciphertext: _c, ...rest }: SealedPrivateKey): PrivateKeyRecord {
  return rest;
}

export function privateKeysService(store: Store, keys: LiveKeyring, clock: Clock) {
  // The column keeps whole seconds, as upstream's does, so `updated_at` compares and prints the same everywhere.
  const now = () => Math.floor(clock() / 1000) * 1000;

  // Callers first `keys.ensure` the versions involved: a rotation may have added one since start.
  const reveal = (k: SealedPrivateKey): PrivateKeyWithSecret => ({
    ...strip(k),
    privateKey: keys.ring.decrypt(k.keyVersion, k.ciphertext, privateKeyAad(k.teamId, k.uuid)),
  });

  /** The viewer's key: another team's, or one a restricted token does not see, is not found. */
  async function find(repos: Repos, viewer: KeyViewer, uuid: string): Promise<SealedPrivateKey> {
    // Every uuid we issue is [a-z0-9]; anything else cannot exist (and PostgreSQL refuses NUL in text).
    if (!UUID.test(uuid) || !viewerSees(viewer, uuid)) throw notFound();
    const k = await repos.privateKeys.findByUuid(viewer.teamId, uuid);
    if (!k) throw notFound();
    return k;
  }

  async function refuseTakenName(teamId: number, name: string): Promise<void> {
    const same = (await store.privateKeys.list(teamId)).find((k) => k.name === name);
    if (same) throw new AppError('conflict', `the team already has an SSH key named ${JSON.stringify(name)} (${same.uuid}): give this one another name`);
  }

  /** A CA's signing key stays as it is while the CA exists: its certificates and servers' trust depend on it. */
  async function refuseIfCaKey(k: SealedPrivateKey, what: string): Promise<void> {
    const ca = await store.sshCa.caUsingKey(k.id);
    if (ca) throw new KeyInUse(`${k.name} is the signing key of the SSH CA ${ca} and cannot be ${what} while that CA exists`);
  }

  return {
    /** The keys the viewer sees, in id order; key text only when `withSecret`. */
    async list(viewer: KeyViewer, withSecret: boolean): Promise<Array<PrivateKeyRecord | PrivateKeyWithSecret>> {
      const rows = (await store.privateKeys.list(viewer.teamId)).filter((k) => viewerSees(viewer, k.uuid));
      if (withSecret) await keys.ensure(rows.map((k) => k.keyVersion));
      return rows.map((k) => (withSecret ? reveal(k) : strip(k)));
    },
    async get(viewer: KeyViewer, uuid: string, withSecret: boolean): Promise<PrivateKeyRecord | PrivateKeyWithSecret> {
      const k = await find(store, viewer, uuid);
      if (withSecret) await keys.ensure([k.keyVersion]);
      return withSecret ? reveal(k) : strip(k);
    },
    /** Checks, encrypts and stores a key; refuses a key whose fingerprint the team already has. */
    async create(actor: Actor, input: PrivateKeyInput): Promise<PrivateKeyRecord> {
      const parsed = checkKey(input.privateKey);
      if (input.uniqueName) await refuseTakenName(actor.teamId, input.name);
      const twin = await store.privateKeys.withFingerprint(actor.teamId, parsed.fingerprint);
      if (twin) throw new DuplicateKey('Private key already exists.', twin);
      const uuid = randomLowerAlnum(24);
      const sealed = (await keys.current()).encrypt(parsed.normalized, privateKeyAad(actor.teamId, uuid));
      const t = now();
      return store.transaction(async (repos) => {
        const row = await repos.privateKeys.insert({
          uuid,
          teamId: actor.teamId,
          name: input.name,
          description: input.description,
          fingerprint: parsed.fingerprint,
          publicKey: parsed.publicKey,
          isGitRelated: false,
          keyVersion: sealed.version,
          ciphertext: sealed.ciphertext,
          createdAt: t,
          updatedAt: t,
        });
        const at = clock();
        const audit = auditEvent(actor, 'private_key.create', 'private_key', uuid, ['name', 'description', 'private_key'], at);
        await recordChange(repos, audit, [{ type: 'private_key.created', teamId: actor.teamId, data: { private_key: privateKeyData(row) } }], at);
        return strip(row);
      });
    },
    /** Applies the fields given; `updatedAt` moves only when a stored value changes. */
    async update(actor: Actor, uuid: string, input: PrivateKeyUpdate): Promise<PrivateKeyRecord> {
      const current = await find(store, actor, uuid);
      const parsed = input.privateKey === undefined ? undefined : checkKey(input.privateKey);
      const twin = parsed && (await store.privateKeys.withFingerprint(actor.teamId, parsed.fingerprint, current.id));
      if (twin) throw new DuplicateKey('This private key already exists.', twin);
      const changed: string[] = [];
      const changes: Parameters<Repos['privateKeys']['update']>[1] = {};
      if (input.name !== undefined && input.name !== current.name) {
        if (input.uniqueName) await refuseTakenName(actor.teamId, input.name);
        changes.name = input.name;
        changed.push('name');
      }
      if (input.description !== undefined && input.description !== current.description) {
        changes.description = input.description;
        changed.push('description');
      }
      if (input.signing !== undefined) {
        const signing = input.signing === null ? null : normaliseSigningPolicy(input.signing);
        if (JSON.stringify(signing) !== JSON.stringify(current.signing)) {
          changes.signing = signing;
          changed.push('signing');
        }
      }
      await keys.ensure([current.keyVersion]);
      if (parsed && parsed.normalized !== reveal(current).privateKey) {
        await refuseIfCaKey(current, 'replaced');
        const sealed = (await keys.current()).encrypt(parsed.normalized, privateKeyAad(current.teamId, current.uuid));
        Object.assign(changes, { ciphertext: sealed.ciphertext, keyVersion: sealed.version, fingerprint: parsed.fingerprint, publicKey: parsed.publicKey });
        changed.push('private_key');
      }
      if (changed.length === 0) return strip(current);
      const t = now();
      changes.updatedAt = t;
      const updated = strip({ ...current, ...changes, updatedAt: t });
      await store.transaction(async (repos) => {
        await repos.privateKeys.update(current.id, changes);
        const at = clock();
        const event = { type: 'private_key.updated' as const, teamId: actor.teamId, data: { changed, private_key: privateKeyData(updated) } };
        await recordChange(repos, auditEvent(actor, 'private_key.update', 'private_key', uuid, changed, at), [event], at);
      });
      return updated;
    },
    /** The key text, for a caller allowed to read it; every reveal is audited. */
    async reveal(actor: Actor, uuid: string): Promise<PrivateKeyWithSecret> {
      const k = await find(store, actor, uuid);
      await keys.ensure([k.keyVersion]);
      const revealed = reveal(k);
      const at = clock();
      const event = { type: 'private_key.revealed' as const, teamId: actor.teamId, data: { private_key: privateKeyData(k), by: actor.label } };
      await store.transaction((repos) => recordChange(repos, auditEvent(actor, 'private_key.reveal', 'private_key', uuid, [], at), [event], at));
      return revealed;
    },
    async remove(actor: Actor, uuid: string): Promise<void> {
      const current = await find(store, actor, uuid);
      await refuseIfCaKey(current, 'deleted');
      await store.transaction(async (repos) => {
        if (!(await repos.privateKeys.delete(current.id))) throw notFound();
        const at = clock();
        const event = { type: 'private_key.deleted' as const, teamId: actor.teamId, data: { private_key: privateKeyData(current) } };
        await recordChange(repos, auditEvent(actor, 'private_key.delete', 'private_key', uuid, [], at), [event], at);
      });
    },
  };
}
export type PrivateKeysService = ReturnType<typeof privateKeysService>;
