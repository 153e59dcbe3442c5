import { randomBytes } from 'node:crypto';
import { DecryptionError, Keyring, dataKeyAad, open, seal } from '../crypto/envelope.js';
import { AppError } from '../domain/errors.js';
import type { Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';

/**
 * Loads every data-key version, unwrapping each with the master key; creates version 1 on a new database.
 * A master key that does not match the database fails here, at start, never later on some request.
 */
export async function loadKeyring(store: Store, masterKey: Buffer, clock: Clock): Promise<Keyring> {
  let rows = await store.dataKeys.list();
  if (rows.length === 0) {
    await store.dataKeys.insert(1, seal(masterKey, randomBytes(32), dataKeyAad(1)), clock());
    rows = await store.dataKeys.list(); // another process may have won the race; use whatever is stored
  }
  const ring = new Keyring();
  for (const row of rows) {
    try {
      ring.add(row.version, open(masterKey, row.wrapped, dataKeyAad(row.version)));
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
      throw new AppError(
        'unavailable',
        'the master key does not match this database: its data keys were written with a different master key. ' +
          'Start keyhold with the master key this database was created with (KEYHOLD_MASTER_KEY or KEYHOLD_MASTER_KEY_FILE).',
        'master_key_mismatch',
      );
    }
  }
  return ring;
}
