// The README's walk-through through the CLI's remote mode: from another directory, with no data
// directory, no database and no master key, only KEYHOLD_URL and KEYHOLD_TOKEN, against a real
// `keyhold serve` (SQLite, or PostgreSQL with KEYHOLD_TEST_DATABASE_URL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { keyhold, serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { SPEC_ED25519 } from '../helpers/keys.js';

describe(`the CLI's remote mode runs the README's walk-through (${dialectUnderTest})`, () => {
  let tdb: TestDatabase;
  let srv: ServeProcess;
  let elsewhere: string;
  let local: Record<string, string>;
  let remote: Record<string, string>;
  const run = (args: string[], env = remote) => keyhold(args, env, elsewhere);
  const ok = (args: string[], env = remote) => {
    const r = run(args, env);
    assert.equal(r.status, 0, `keyhold ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const json = <T>(args: string[], env = remote) => JSON.parse(ok([...args, '--json'], env).stdout) as T;

  before(async () => {
    tdb = await freshDatabase();
    // `yes`: every boolean setting takes yes/no, 1/0, on/off (issue 21, 12); the receiver below is on loopback.
    local = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64'), KEYHOLD_WEBHOOK_ALLOW_PRIVATE: 'yes', KEYHOLD_WEBHOOK_POLL_MS: '100' };
    srv = await serve(local);
    // The operator's part, on the host: the first team and its root token.
    assert.equal(keyhold(['teams', 'create', 'acme'], local).status, 0);
    const token = keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'root'], local);
    assert.equal(token.status, 0, token.stderr);
    // Everything else from a directory with no ./data, knowing only the URL and the token.
    elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-remote-'));
    remote = { KEYHOLD_URL: srv.url, KEYHOLD_TOKEN: token.stdout.trim() };
  });
  after(async () => {
    srv.child.kill('SIGTERM');
    await srv.exited;
    fs.rmSync(elsewhere, { recursive: true, force: true });
    await tdb.drop();
  });

  it('adds and reads SSH keys, makes a project, an API key and a gateway token, verifies, disables, rerolls', () => {
    assert.deepEqual(json<unknown[]>(['ssh-keys', 'list']), []);
    const keyFile = path.join(elsewhere, 'deploy_key');
    fs.writeFileSync(keyFile, SPEC_ED25519, { mode: 0o600 });
    const added = ok(['ssh-keys', 'add', '--name', 'deploy', '--file', keyFile]);
    const uuid = added.stdout.trim();
    assert.match(uuid, /^[a-z0-9]{24}$/, 'the uuid alone on stdout');
    const listed = json<Array<{ uuid: string; name: string; fingerprint: string }>>(['ssh-keys', 'list']);
    assert.deepEqual(listed.map((k) => [k.uuid, k.name]), [[uuid, 'deploy']]);
    assert.match(listed[0]!.fingerprint, /^SHA256:/);
    assert.equal(ok(['ssh-keys', 'reveal', uuid]).stdout.trim(), SPEC_ED25519.trim(), 'the private key alone on stdout');
    assert.equal(json<{ name: string }>(['ssh-keys', 'update', uuid, '--name', 'deploy-1']).name, 'deploy-1');
    const dup = run(['ssh-keys', 'add', '--name', 'again', '--file', keyFile]);
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /^keyhold: .*deploy-1/m, "the server's words, naming the existing key");

    assert.equal(json<{ id: number }>(['projects', 'create', '--id', '1']).id, 1);
    const created = run(['api-keys', 'create', '--project', '1', '--region', '1', '--name', 'my-key', '--description', 'my first key', '--containers', 'default/my-container']);
    assert.equal(created.status, 0, created.stderr);
    const secret = created.stdout.trim();
    assert.match(secret, /^khk_\S+$/, 'the secret alone on stdout');
    assert.match(created.stderr, /shown once/);

    const [key] = json<Array<Record<string, unknown>>>(['api-keys', 'list']);
    assert.equal(key!.secret_prefix, secret.slice(0, String(key!.secret_prefix).length), "the API's field, secret_prefix");
    assert.deepEqual([key!.name, key!.status, key!.containers], ['my-key', 'Active', [{ name: 'my-container', namespace: 'default' }]]);
    const missing = run(['api-keys', 'list', '--project', '99']);
    assert.deepEqual([missing.status, missing.stderr.trim()], [1, 'keyhold: no project 99 in team acme (keyhold projects list shows them)']);

    const gw = ok(['tokens', 'create', '--abilities', 'verify', '--name', 'gateway']).stdout.trim();
    assert.match(gw, /^\d+\|\S+$/);
    const asGateway = { ...remote, KEYHOLD_TOKEN: gw };
    const verdict = json<{ valid: boolean; code: string }>(['api-keys', 'verify', '--key', secret, '--container', 'default/my-container'], asGateway);
    assert.deepEqual([verdict.valid, verdict.code], [true, 'VALID']);

    assert.equal(json<{ status: string }>(['api-keys', 'disable', '--project', '1', '--region', '1', '--name', 'my-key']).status, 'Disabled');
    const refused = run(['api-keys', 'verify', '--key', secret, '--container', 'my-container', '--json'], asGateway);
    assert.deepEqual([refused.status, JSON.parse(refused.stdout).code], [1, 'DISABLED']);
    assert.equal(json<{ status: string }>(['api-keys', 'enable', '--project', '1', '--region', '1', '--name', 'my-key']).status, 'Active');

    const rerolled = ok(['api-keys', 'reroll', '--project', '1', '--region', '1', '--name', 'my-key']);
    const next = rerolled.stdout.trim();
    assert.match(next, /^khk_\S+$/);
    assert.notEqual(next, secret);
    assert.match(rerolled.stderr, /the old secret keeps verifying until/, 'an hour of grace by default');
    for (const k of [secret, next]) assert.equal(json<{ code: string }>(['api-keys', 'verify', '--key', k, '--container', 'my-container'], asGateway).code, 'VALID');

    const tokens = json<Array<{ name: string; abilities: string[] }>>(['tokens', 'list']);
    assert.deepEqual(tokens.map((t) => t.name).sort(), ['cli-' + new Date().toISOString().slice(0, 10), 'gateway'].sort());
    ok(['api-keys', 'delete', '--project', '1', '--region', '1', '--name', 'my-key']);
    assert.deepEqual(json<unknown[]>(['api-keys', 'list']), []);
    ok(['ssh-keys', 'delete', uuid]);
    assert.deepEqual(fs.readdirSync(elsewhere), ['deploy_key'], 'no data directory, no master key made here');
  });

  it('subscribes a webhook, lists its deliveries and redelivers one', async () => {
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      req.resume();
      received.push(String(req.headers['webhook-id']));
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const made = ok(['webhooks', 'create', '--endpoint', endpoint, '--events', 'api_key.created']);
      assert.match(made.stdout, /^whsec_\S+\n$/, 'the signing secret alone on stdout');
      const [hook] = json<Array<{ id: string; url: string }>>(['webhooks', 'list']);
      assert.equal(hook!.url, endpoint);
      ok(['api-keys', 'create', '--project', '1', '--region', '1', '--name', 'hooked', '--containers', 'web']);
      type Page = { deliveries: Array<{ id: number; status: string; event_type: string }> };
      let page: Page = { deliveries: [] };
      for (let i = 0; i < 100 && page.deliveries[0]?.status !== 'delivered'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        page = json<Page>(['webhooks', 'deliveries', hook!.id]);
      }
      assert.deepEqual(page.deliveries.map((d) => [d.event_type, d.status]), [['api_key.created', 'delivered']]);
      ok(['webhooks', 'redeliver', hook!.id, String(page.deliveries[0]!.id)]);
      for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 200));
      assert.equal(received.length, 2, 'delivered, then redelivered');
      ok(['webhooks', 'delete', hook!.id]);
      ok(['api-keys', 'delete', '--project', '1', '--region', '1', '--name', 'hooked']);
    } finally {
      receiver.close();
    }
  });

  it("reads the team's audit trail, in the API's fields, filtered like GET /v1/audit", () => {
    const page = json<{ events: Array<{ action: string; actor: string; resource_id: string }>; next_cursor: string | null }>(['audit', '--resource', '1/1/my-key']);
    assert.deepEqual(page.events.map((e) => e.action), ['caas_key.delete', 'caas_key.reroll', 'caas_key.update', 'caas_key.update', 'caas_key.create']);
    assert.match(page.events[0]!.actor, /^token:\d+$/);
    assert.equal(json<{ events: unknown[] }>(['audit', '--limit', '2']).events.length, 2);
    const exported = ok(['audit', 'export']);
    const lines = exported.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { action: string; mac: string });
    assert.ok(lines.some((l) => l.action === 'caas_key.reroll') && lines.every((l) => l.mac), 'NDJSON with MACs, oldest first');
    assert.match(exported.stderr, new RegExp(`exported ${lines.length} audit entries`));
    const bad = run(['audit', '--since', 'yesterday']);
    assert.deepEqual([bad.status, /since must be an RFC 3339 date-time/.test(bad.stderr)], [1, true]);
  });

  it('lists regions; teams and new regions need an admin token, which the server says', () => {
    assert.deepEqual(json<Array<{ id: number; name: string }>>(['regions', 'list']).map((r) => [r.id, r.name]), [[1, 'default']]);
    const refused = run(['teams', 'list']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^keyhold: .*admin/m);
    const admin = keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'root,admin', '--name', 'admin'], local);
    assert.equal(admin.status, 0, admin.stderr);
    const asAdmin = { ...remote, KEYHOLD_TOKEN: admin.stdout.trim() };
    const made = ok(['teams', 'create', 'beta'], asAdmin);
    assert.match(made.stdout, /^\d+\|\S+\n$/, "the new team's root token alone on stdout");
    assert.deepEqual(json<Array<{ name: string }>>(['teams', 'list'], asAdmin).map((t) => t.name), ['acme', 'beta']);
    assert.equal(json<{ id: number }>(['regions', 'create', '--id', '7', '--name', 'eu-west'], asAdmin).id, 7);
    // The new team's token sees its own, empty team.
    assert.deepEqual(json<unknown[]>(['api-keys', 'list'], { ...remote, KEYHOLD_TOKEN: made.stdout.trim() }), []);
  });

  it('refuses a wrong token in words, and --team, which is for the local store, as a usage mistake', () => {
    const bad = run(['api-keys', 'list'], { ...remote, KEYHOLD_TOKEN: '1|nope' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^keyhold: keyhold refused the token/);
    assert.doesNotMatch(bad.stderr, /nope/);
    const team = run(['api-keys', 'list', '--team', 'acme']);
    assert.equal(team.status, 2);
    assert.match(team.stderr, /--team is for the local store/);
  });
});
