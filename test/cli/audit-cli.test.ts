import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keyhold } from '../helpers/cli.js';
import { SPEC_EC, SPEC_ED25519 } from '../helpers/keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('keyhold audit', () => {
  let s: TestServer;
  let env: Record<string, string>;
  let acmeRoot: string;
  let uuid: string;
  const run = (...args: string[]) => keyhold(['audit', ...args], env);
  const json = (...args: string[]) => {
    const r = run(...args, '--json');
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { events: Array<Record<string, any>>; next_cursor: string | null };
  };

  before(async () => {
    s = await startTestServer();
    const mk = s.config.masterKey;
    assert.equal(mk.kind, 'env');
    env = { KEYHOLD_DATABASE_URL: s.db.url, KEYHOLD_MASTER_KEY: mk.kind === 'env' ? mk.value : '' };
    acmeRoot = await s.token('root');
    const otherRoot = await s.token('root', 'other');
    uuid = (await s.request('POST', '/api/v1/security/keys', { token: acmeRoot, body: { name: 'a', private_key: SPEC_ED25519 } })).json().uuid;
    await s.request('PATCH', `/api/v1/security/keys/${uuid}`, { token: acmeRoot, body: { name: 'b', private_key: SPEC_ED25519 } });
    await s.request('POST', '/api/v1/security/keys', { token: otherRoot, body: { name: 'c', private_key: SPEC_EC } });
  });
  after(() => s.close());

  it('lists every team, newest first, as JSON with the API entry shape plus the team', () => {
    const all = json();
    assert.deepEqual(all.events.map((e) => [e.team, e.action]), [
      ['other', 'private_key.create'],
      ['acme', 'private_key.update'],
      ['acme', 'private_key.create'],
    ]);
    assert.deepEqual(Object.keys(all.events[0]!), ['id', 'at', 'team', 'actor', 'token_id', 'action', 'resource_type', 'resource_id', 'changed_fields', 'ip', 'request_id', 'detail']);
    assert.equal(all.next_cursor, null);
    assert.deepEqual(all.events[1]!.changed_fields, ['name']);

    assert.deepEqual(json('--team', 'acme').events.map((e) => e.action), ['private_key.update', 'private_key.create']);
    assert.deepEqual(json('--resource', `private_key:${uuid}`, '--actor', `token:${acmeRoot.split('|')[0]}`, '--since', '2000-01-01T00:00:00Z', '--until', '2999-01-01T00:00:00Z').events.length, 2);
    assert.deepEqual(json('--until', '2000-01-01T00:00:00Z').events, []);
  });

  it('pages with --limit and --cursor, and prints a table', () => {
    const first = json('--limit', '2');
    assert.equal(first.events.length, 2);
    assert.ok(first.next_cursor);
    const rest = json('--limit', '2', '--cursor', first.next_cursor);
    assert.deepEqual([rest.events.length, rest.next_cursor, rest.events[0]!.action], [1, null, 'private_key.create']);

    const text = run('--team', 'acme', '--limit', '1');
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^ID\s+AT\s+TEAM\s+ACTOR\s+ACTION\s+RESOURCE\s+CHANGED\s+IP\n\d+\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+acme\s+token:\d+\s+private_key\.update\s+private_key:[a-z0-9]{24}\s+name\s+127\.0\.0\.1\n$/);
    assert.match(text.stderr, /^more events: add --cursor [A-Za-z0-9_-]+\n$/);
    assert.ok(!text.stdout.includes('PRIVATE KEY'));
  });

  it('refuses bad options with one line on stderr, as the API does', () => {
    for (const [args, message] of [
      [['--limit', '0'], 'keyhold: limit must be an integer from 1 to 1000'],
      [['--since', 'yesterday'], 'keyhold: since must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T12:00:00Z'],
      [['--cursor', 'bogus'], 'keyhold: cursor is not one this server issued (pass next_cursor back unchanged)'],
      [['--team', 'nope'], 'keyhold: no team named "nope" (see: keyhold teams list)'],
    ] as const) {
      const r = run(...args);
      assert.equal(r.status, 1, args.join(' '));
      assert.equal(r.stderr.trim(), message);
      assert.equal(r.stdout, '');
    }
  });
});
