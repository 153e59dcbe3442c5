/**
 * The benchmark's store: a SQLite file set up through keyhold's own runtime (migrations, a team, a
 * project, a token), then grown in bulk with one prepared INSERT per key inside large transactions,
 * which takes a million keys in well under a minute. The bench process keeps every secret (about
 * 100 MB at a million) to pick random keys from.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { apiKeyStart, newApiKeySecret, sha256Hex } from '../src/crypto/secret.js';
import { createRuntime } from '../src/runtime.js';

export const CONTAINERS = JSON.stringify([{ name: 'web', namespace: 'default' }]);

export interface BenchStore {
  env: Record<string, string>;
  /** A token with every ability (verify included). */
  token: string;
  /** Its SHA-256, as the bare baseline hashes the credential it is sent. */
  tokenDigest: string;
  /** The first key's secret: the "cache hit" key. */
  hot: string;
  /** A key with a rate limit it never reaches in a run (a billion a day). */
  limited: string;
  /** Keys in the store: `key-0` … plus `hot` and `limited`. */
  count: number;
}

export async function createStore(dir: string): Promise<BenchStore> {
  const env = { KEYHOLD_DATABASE_URL: path.join(dir, 'bench.db'), KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
  const rt = await createRuntime(loadConfig({ ...process.env, ...env }), { serving: false });
  try {
    const team = await rt.services.teams.create('bench');
    const token = (await rt.services.tokens.create({ team: 'bench', abilities: ['root'] })).token;
    await rt.services.projects.createProject({ team: 'bench', id: 1 });
    const actor = { teamId: team.id, tokenId: null, label: 'bench', ip: null, requestId: null };
    const key = { description: '', containers: [{ name: 'web', namespace: 'default' }], expire: null, isDisabled: false };
    const hot = await rt.services.caasKeys.create(actor, 1, 1, { ...key, name: 'hot' });
    const limited = await rt.services.caasKeys.create(actor, 1, 1, { ...key, name: 'limited', rateLimit: { limit: 1_000_000_000, windowSeconds: 86_400 } });
    return { env, token, tokenDigest: sha256Hex(token), hot: hot.secret, limited: limited.secret, count: 2 };
  } finally {
    await rt.close();
  }
}

/** Adds keys until the store holds `target`; `secrets[i]` is the secret of `key-i`. Progress goes to stderr. */
export function growStore(store: BenchStore, target: number, secrets: string[]): void {
  const db = new Database(store.env.KEYHOLD_DATABASE_URL);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO caas_keys (project_id, region_id, name, description, containers, expire, is_disabled, source, secret_hash, secret_start, created_at)
     VALUES (1, 1, ?, '', ?, NULL, 0, 'cloud', ?, ?, ?)`,
  );
  const started = Date.now();
  const now = Date.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const secret = newApiKeySecret();
      insert.run(`key-${i}`, CONTAINERS, sha256Hex(secret), apiKeyStart(secret), now);
      secrets[i] = secret;
    }
  });
  for (let from = secrets.length; from < target; from += 50_000) {
    const to = Math.min(target, from + 50_000);
    batch(from, to);
    process.stderr.write(`\r  seeded ${to.toLocaleString('en')} keys (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  process.stderr.write('\n');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  store.count = target + 2;
}
