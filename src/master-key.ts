import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';

export interface MasterKey {
  key: Buffer;
  /** Set when this start created the key file: the caller must warn loudly. */
  created?: string;
}

function decode(text: string, where: string): Buffer {
  const t = text.trim();
  const key = Buffer.from(t, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t) || key.length !== 32) {
    throw new Error(`${where} must hold the base64 encoding of exactly 32 bytes`);
  }
  return key;
}

/** Reads a master key file (base64 of 32 bytes); with `generate`, first writes a new random one (0600, never over an existing file). */
export function masterKeyFile(file: string, opts: { generate?: boolean } = {}): Buffer {
  if (opts.generate) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${file} already exists: --generate writes a new file and never replaces one`, { cause: err });
      throw err;
    }
  }
  if (!fs.existsSync(file)) throw new Error(`the master key file ${file} does not exist (add --generate to create it)`);
  return decode(fs.readFileSync(file, 'utf8'), `the master key file ${file}`);
}

/** The configured master key for commands that must not create one (backup, restore, rewrap). */
export function existingMasterKey(cfg: Config['masterKey']): { key: Buffer; source: string } {
  if (cfg.kind === 'env') return { key: resolveMasterKey(cfg).key, source: 'KEYHOLD_MASTER_KEY' };
  return { key: resolveMasterKey({ ...cfg, createIfMissing: false, mustExistBecause: cfg.mustExistBecause ?? 'this command never creates one' }).key, source: cfg.path };
}

/** The error for a master key file that is not there and may not be created here: where keyhold looked, and why it did not create one. */
function missingMasterKey(file: string, because: string | undefined): Error {
  const why = because ? `, and ${because}` : ' (KEYHOLD_MASTER_KEY_FILE)';
  return new Error(`the master key file ${file} does not exist${why}: set KEYHOLD_MASTER_KEY or KEYHOLD_MASTER_KEY_FILE, or restore the file from your backup`);
}

/** Reads the master key from the environment or its file, creating the default file (0600) on a first start. */
export function resolveMasterKey(cfg: Config['masterKey']): MasterKey {
  if (cfg.kind === 'env') return { key: decode(cfg.value, 'KEYHOLD_MASTER_KEY') };
  if (fs.existsSync(cfg.path)) return { key: decode(fs.readFileSync(cfg.path, 'utf8'), `the master key file ${cfg.path}`) };
  if (!cfg.createIfMissing) throw missingMasterKey(cfg.path, cfg.mustExistBecause);
  fs.mkdirSync(path.dirname(cfg.path), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    // 'wx' fails if another process created it in the meantime; then use theirs.
    fs.writeFileSync(cfg.path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { key: decode(fs.readFileSync(cfg.path, 'utf8'), `the master key file ${cfg.path}`) };
    throw err;
  }
  return { key, created: cfg.path };
}
