import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config.js';

/** Which database this run of the suite uses: PostgreSQL when KEYHOLD_TEST_DATABASE_URL is set, else SQLite. */
export const TEST_PG_URL = process.env.KEYHOLD_TEST_DATABASE_URL?.trim() || '';
export const dialectUnderTest: 'sqlite' | 'postgres' = TEST_PG_URL ? 'postgres' : 'sqlite';

export interface TestDatabase {
  config: Config['database'];
  /** The KEYHOLD_DATABASE_URL value that reaches the same database, for child processes. */
  url: string;
  /** SQLite only: the database file. */
  file?: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a temp SQLite file, or a new schema on the test PostgreSQL. */
export async function freshDatabase(): Promise<TestDatabase> {
  if (!TEST_PG_URL) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-test-'));
    const file = path.join(dir, 'keyhold.db');
    return { config: { kind: 'sqlite', file }, url: file, file, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const u = new URL(TEST_PG_URL);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const url = u.toString();
  return {
    config: { kind: 'postgres', url, poolMax: 5 },
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
