import { randomBytes } from 'node:crypto';
import { DecryptionError, Keyring, dataKeyAad, open, seal } from '../crypto/envelope.js';
import { AppError } from '../domain/errors.js';
import type { Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';

const mismatch = () =>
  new AppError(
    'unavailable',
    'the master key does not match this database: its data keys are wrapped under a different master key. ' +
      'Start keyhold with the master key they are wrapped under (KEYHOLD_MASTER_KEY or KEYHOLD_MASTER_KEY_FILE): ' +
      'after `keyhold master-key rewrap`, the one in its --new-key-file; otherwise the one this database was created with.',
  );

/** Whether `err` is the mismatch of a master key with the database's data keys. */
export const isMasterKeyMismatch = (err: unknown): err is AppError => err instanceof AppError && err.message.startsWith('the master key does not match this database');

/**
 * A keyring standing in for one the master key could not open, for processes that may never need
 * it (the CLI's reading commands): any use fails with `err`, the mismatch in words.
 */
export function lockedKeyring(err: Error): Keyring {
  return new Proxy(new Keyring(), {
    get(target, prop, receiver) {
      if (prop === 'versions') return [];
      if (typeof prop === 'string' && prop !== 'constructor' && prop !== 'then') throw err;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** Opens a stored data key; a master key that does not open it is a mismatch with this database. */
function unwrap(masterKey: Buffer, row: { version: number; wrapped: Buffer }): Buffer {
  try {
    return open(masterKey, row.wrapped, dataKeyAad(row.version));
  } catch (err) {
    if (err instanceof DecryptionError) throw mismatch();
    throw err;
  }
}

/** Unwraps every stored data-key version not yet in `ring`. */
async function addMissing(store: Store, masterKey: Buffer, ring: Keyring): Promise<void> {
  const known = new Set(ring.versions);
  for (const row of await store.dataKeys.list()) {
    if (!known.has(row.version)) ring.add(row.version, unwrap(masterKey, row));
  }
}

/**
 * Loads every data-key version, unwrapping each with the master key; creates version 1 on a new database.
 * A master key that does not match the database fails here, at start, never later on some request.
 */
export async function loadKeyring(store: Store, masterKey: Buffer, clock: Clock): Promise<Keyring> {
  if ((await store.dataKeys.list()).length === 0) {
    // Another process may win this race; whatever is stored is used.
    await store.dataKeys.insert(1, seal(masterKey, randomBytes(32), dataKeyAad(1)), clock());
  }
  const ring = new Keyring();
  await addMissing(store, masterKey, ring);
  return ring;
}

/**
 * Re-wraps every data-key version under `newMaster`, in one transaction: the master key changes,
 * the data keys (and so every stored ciphertext) stay as they are. Fails without changing anything
 * if `oldMaster` does not open them all, or if another process changed one meanwhile.
 */
export async function rewrapDataKeys(store: Store, oldMaster: Buffer, newMaster: Buffer): Promise<number> {
  if (oldMaster.equals(newMaster)) throw new AppError('bad_request', 'the new master key is the one already in use');
  return store.transaction(async (repos) => {
    const rows = await repos.dataKeys.list();
    for (const row of rows) {
      const key = unwrap(oldMaster, row);
      if (!(await repos.dataKeys.rewrap(row.version, row.wrapped, seal(newMaster, key, dataKeyAad(row.version))))) {
        throw new AppError('conflict', `key version ${row.version} changed while it was being re-wrapped; run the command again`);
      }
    }
    return rows.length;
  });
}

/**
 * The keyring of a running process, kept in step with data-key versions that another process
 * (`keyhold master-key rotate`) adds while this one serves: a ciphertext of an unknown version
 * loads the new versions before it is opened, and writes always seal under the newest stored version.
 */
export class LiveKeyring {
  private loading: Promise<void> | undefined;

  constructor(
    readonly ring: Keyring,
    private readonly store: Store,
    private readonly masterKey: Buffer,
  ) {}

  /** Loads versions added since start; concurrent callers share one load. */
  refresh(): Promise<void> {
    this.loading ??= addMissing(this.store, this.masterKey, this.ring).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Makes sure every version in `versions` is loaded (one refresh at most). */
  async ensure(versions: Iterable<number>): Promise<void> {
    const known = new Set(this.ring.versions);
    for (const v of versions) {
      if (!known.has(v)) return this.refresh();
    }
  }

  /** Before a write: picks up a newer version if one was added, so new ciphertexts never lag a rotation. */
  async current(): Promise<Keyring> {
    const newest = await this.store.dataKeys.newestVersion();
    if (newest !== undefined && newest > this.ring.activeVersion) await this.refresh();
    return this.ring;
  }

  /** Adds a data key one version above the newest stored; returns the version now newest. */
  async addVersion(clock: Clock): Promise<{ version: number; created: boolean }> {
    await this.refresh();
    const version = this.ring.activeVersion + 1;
    const created = await this.store.dataKeys.insert(version, seal(this.masterKey, randomBytes(32), dataKeyAad(version)), clock());
    await this.refresh(); // on a lost race, the winner's key of the same version
    return { version: this.ring.activeVersion, created };
  }
}
