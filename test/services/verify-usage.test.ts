import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiKeyStart, newApiKeySecret, sha256Hex } from '../../src/crypto/secret.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// More keys than SQLite's limit on bound parameters (32766) are used between two flushes.
const KEYS = 33_000;

describe('last_used_at at scale', () => {
  let s: TestServer;
  const secrets: string[] = [];

  before(async () => {
    s = await startTestServer({ config: { verify: { cacheSize: 100, cacheTtlMs: 30_000, negativeTtlMs: 5_000, usageFlushMs: 3_600_000, containerHeader: 'x-container-name', namespaceHeader: 'x-container-namespace' } } });
    await s.runtime.services.teams.create('scale');
    await s.runtime.services.projects.createProject({ team: 'scale', id: 1 });
    const db = s.runtime.db.db;
    for (let start = 0; start < KEYS; start += 1000) {
      const rows = [];
      for (let i = start; i < Math.min(KEYS, start + 1000); i++) {
        const secret = newApiKeySecret();
        secrets.push(secret);
        rows.push({
          project_id: 1,
          region_id: 1,
          name: `k-${i}`,
          description: '',
          containers: JSON.stringify([{ name: 'web', namespace: 'default' }]),
          expire: null,
          is_disabled: 0,
          source: 'cloud',
          secret_hash: sha256Hex(secret),
          secret_start: apiKeyStart(secret),
          created_at: 0,
        });
      }
      await db.insertInto('caas_keys').values(rows).execute();
    }
  });
  after(() => s.close());

  it('records every key used between two flushes, in slices, without losing any', async () => {
    const verify = s.runtime.services.verify;
    for (const key of secrets) assert.equal((await verify.verify({ key, container: { name: 'web', namespace: 'default' } })).code, 'VALID');
    // Requests keep being answered while the flush runs: it yields between slices.
    let answered = 0;
    const flushing = verify.flushUsage();
    const during = (async () => {
      for (let i = 0; i < 20; i++) if ((await s.request('GET', '/healthz')).status === 200) answered++;
    })();
    await Promise.all([flushing, during]);
    assert.equal(answered, 20);
    const db = s.runtime.db.db;
    const { n } = (await db.selectFrom('caas_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('last_used_at', 'is', null).executeTakeFirstOrThrow()) as { n: number | string };
    assert.equal(Number(n), 0, 'every key has last_used_at');
  });
});
