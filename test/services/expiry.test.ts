import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/server.js';

const DAY = 86_400_000;
const actor = { teamId: 1, tokenId: null, label: 'test', ip: null, requestId: null };

/**
 * Expiry warnings on a clock the test moves: `api_key.expiring` once per lead time (7 days and 1 day
 * by default) and `api_key.expired` once, however many processes look and however often they restart.
 */
describe(`expiry warnings (${dialectUnderTest})`, () => {
  let tdb: TestDatabase;
  let now = Date.parse('2026-06-01T00:00:00Z');
  const clock = () => now;
  const masterKey = randomBytes(32).toString('base64');
  const open = () => createRuntime(testConfig(tdb.config, { masterKey: { kind: 'env', value: masterKey } }), { clock });
  const sent = async (rt: Runtime) =>
    (await rt.store.events.list({ teamId: 1 }))
      .filter((e) => e.type.startsWith('api_key.expir'))
      .map((e) => {
        const p = JSON.parse(e.payload) as { type: string; data: { key: { name: string }; lead_seconds?: number } };
        return `${p.type} ${p.data.key.name}${p.data.lead_seconds ? ` ${p.data.lead_seconds / 86_400}d` : ''}`;
      });

  before(async () => {
    tdb = await freshDatabase();
    const rt = await open();
    await rt.services.teams.create('acme');
    await rt.services.projects.createProject({ team: 'acme', id: 1 });
    const key = (name: string, expire: number | null, isDisabled = false) => rt.services.caasKeys.create(actor, 1, 1, { name, description: '', containers: [], expire, isDisabled });
    await key('later', now + 10 * DAY);
    await key('soon', now + 12 * 3_600_000); // inside both lead times already: only the nearest is sent
    await key('never', null);
    await key('off', now + 2 * DAY, true); // disabled keys are not warned about
    await rt.close();
  });
  after(() => tdb.drop());

  it('sends each warning once per lead time and the expiry once, across restarts and concurrent processes', async () => {
    let rt = await open(); // serving: the scheduler runs a pass at start
    await rt.expiry.check();
    assert.deepEqual(await sent(rt), ['api_key.expiring soon 1d']);

    now += 4 * DAY; // 'soon' expired, 'later' 6 days out
    await rt.expiry.check();
    await rt.expiry.check();
    assert.deepEqual(await sent(rt), ['api_key.expiring soon 1d', 'api_key.expiring later 7d', 'api_key.expired soon']);
    await rt.close();

    // A restart, and (on PostgreSQL) a second process checking at the same moment: nothing is sent twice.
    // SQLite is one process's database: two connections in one thread would only wait on each other.
    rt = await open();
    const other = dialectUnderTest === 'postgres' ? await open() : rt;
    try {
      await Promise.all([rt.expiry.check(), other.expiry.check(), rt.expiry.check(), other.expiry.check()]);
      assert.equal((await sent(rt)).length, 3);

      now += 5 * DAY + 1; // 'later' is 1 day out
      await Promise.all([rt.expiry.check(), other.expiry.check()]);
      now += DAY; // and expired
      await Promise.all([rt.expiry.check(), other.expiry.check()]);
      await Promise.all([rt.expiry.check(), other.expiry.check()]);
      assert.deepEqual(await sent(rt), [
        'api_key.expiring soon 1d',
        'api_key.expiring later 7d',
        'api_key.expired soon',
        'api_key.expiring later 1d',
        'api_key.expired later',
      ]);

      // A new expiry date gets its own warnings.
      await rt.services.caasKeys.update(actor, 1, 1, 'later', { expire: now + 3 * DAY });
      await rt.expiry.check();
      now += 2 * DAY + 1;
      await Promise.all([rt.expiry.check(), other.expiry.check()]);
      assert.deepEqual((await sent(rt)).slice(5), ['api_key.expiring later 7d', 'api_key.expiring later 1d']);
    } finally {
      if (other !== rt) await other.close();
      await rt.close();
    }
  });
});
