import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRuntime } from '../../src/runtime.js';
import { keyhold } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/server.js';

describe(`keyhold api-keys reroll (${dialectUnderTest})`, () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  let masterKey: string;
  const open = () => createRuntime(testConfig(tdb.config, { masterKey: { kind: 'env', value: masterKey } }), { serving: false });
  before(async () => {
    tdb = await freshDatabase();
    masterKey = randomBytes(32).toString('base64');
    env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: masterKey };
    const rt = await open();
    await rt.services.teams.create('acme');
    await rt.services.projects.createProject({ team: 'acme', id: 1 });
    const actor = { teamId: 1, tokenId: null, label: 'test', ip: null, requestId: null };
    await rt.services.caasKeys.create(actor, 1, 1, { name: 'svc', description: '', containers: [{ name: 'web', namespace: 'default' }], expire: null, isDisabled: false });
    await rt.close();
  });
  after(() => tdb.drop());

  it('prints the new secret once, keeps the old one for the grace period, audits it, and refuses mistakes in one line', async () => {
    const r = keyhold(['api-keys', 'reroll', '--team', 'acme', '--project', '1', '--region', '1', '--name', 'svc', '--grace', '1h'], env);
    assert.equal(r.status, 0, r.stderr);
    const secret = /^(khk_\S+)\n$/.exec(r.stdout)?.[1];
    assert.ok(secret, `the secret alone on stdout: ${r.stdout}`);
    assert.match(r.stderr, /the old secret keeps verifying until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z/);

    const rt = await open();
    try {
      const v = await rt.services.verify.verify({ key: secret, container: { name: 'web', namespace: 'default' } });
      assert.equal(v.code, 'VALID');
      const until = (await rt.store.caasKeys.findByName(1, 1, 'svc'))!.rotatingUntil!;
      assert.ok(Math.abs(until - Date.now() - 3600_000) < 60_000, 'one hour of grace');
      const [audit] = await rt.store.audit.list({ resourceId: '1/1/svc', newestFirst: true });
      assert.deepEqual([audit!.action, audit!.actor, audit!.changed], ['caas_key.reroll', 'cli', ['secret', 'grace_seconds=3600']]);
      assert.deepEqual((await rt.store.events.list({ type: 'api_key.rerolled' })).length, 1, 'and its event');
    } finally {
      await rt.close();
    }

    const tooLong = keyhold(['api-keys', 'reroll', '--team', 'acme', '--project', '1', '--region', '1', '--name', 'svc', '--grace', '31d'], env);
    assert.deepEqual([tooLong.status, tooLong.stderr.trim()], [1, 'keyhold: the grace period must be from 0 seconds to 30 days']);
  });
});
