import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { keyholdAsync } from '../helpers/cli.js';
import { dialectUnderTest } from '../helpers/db.js';
import { messages, type Receiver, startReceiver } from '../helpers/receiver.js';
import { type CaWorld, literal, startCaWorld } from '../helpers/ssh-ca.js';
import { makeKey, type TestKey } from '../helpers/ssh-keys.js';
import { eventually } from '../helpers/tcp-proxy.js';

/**
 * What a role and a token let through, through the HTTP API and the `tokens create` CLI: principals
 * outside the role's patterns (403, naming them), a TTL above max_ttl (400, naming it), no
 * `certify` (403), a token restricted to other roles (403). And what keyhold keeps of every
 * certificate: the inventory (filters, active/expired/revoked, paging), an audit row per issue,
 * and `ssh_certificate.issued` / `.revoked` events with no secret in them. The server's clock is
 * moved forward to expire certificates; no sshd is involved here.
 */
describe(`SSH certificate limits, inventory, audit and events (${dialectUnderTest})`, () => {
  let w: CaWorld;
  let rx: Receiver;
  let webhookSecret: string;
  let certifier: string;
  let certifierId: number;
  let alice: TestKey;
  let bob: TestKey;
  let shift = 0;
  /** Every certificate issued, in order: serial, CA, key id, principals, TTL in minutes. */
  const issued: Array<{ serial: number; ca: string; key_id: string; principals: string[]; ttlMin: number }> = [];

  const issue = async (role: string, key: TestKey, body: Record<string, unknown>, token = certifier) => {
    const r = await w.issue({ role, public_key: key.publicLine, ...body }, token);
    return r;
  };
  const error = async (body: Record<string, unknown>, token = certifier) => {
    const r = await w.api('POST', '/v1/ssh/certificates', body, token);
    return { status: r.status, message: r.json().error?.message as string };
  };
  const page = async (query: string) => (await w.ok('GET', `/v1/ssh/certificates${query}`)).certificates.map((c: { serial: number }) => c.serial) as number[];

  before(async () => {
    w = await startCaWorld({ clock: () => Date.now() + shift });
    rx = await startReceiver();
    webhookSecret = (await w.ok('POST', '/v1/webhooks', { url: `${rx.url}/hook`, events: ['ssh_certificate.issued', 'ssh_certificate.revoked'] }, w.root, 201))
      .secret;
    await w.createCa('users');
    await w.createCa('staging');
    await w.createRole({ name: 'people', ca: 'users', principals: ['dev-*', 'ops'], max_ttl: '8h', default_ttl: '1h' });
    await w.createRole({ name: 'ci', ca: 'users', principals: ['deploy'], max_ttl: '15m', default_ttl: '5m' });
    await w.createRole({ name: 'stage', ca: 'staging', principals: ['stage-*'], max_ttl: '1h', default_ttl: '10m' });
    const made = await w.ok('POST', '/v1/tokens', { name: 'certifier', abilities: ['certify'] }, w.root, 201);
    certifier = made.token;
    certifierId = made.id;
    alice = makeKey(w.dir, 'ed25519', 'alice');
    bob = makeKey(w.dir, 'ecdsa', 'bob');
  });
  after(async () => {
    await rx?.close();
    await w?.close();
  });

  it("principals outside the role's patterns: 403 naming them and the allowed patterns", async () => {
    assert.deepEqual(await error({ role: 'people', public_key: alice.publicLine, principals: ['root'] }), {
      status: 403,
      message: 'principal root not allowed by role people, which allows dev-*, ops',
    });
    assert.deepEqual(await error({ role: 'people', public_key: alice.publicLine, principals: ['dev-ok', 'root', 'ops-x'] }), {
      status: 403,
      message: 'principals root, ops-x not allowed by role people, which allows dev-*, ops',
    });
    // A pattern matches whole names only: "dev-*" is not "xdev-1" nor "dev" alone.
    assert.equal((await error({ role: 'people', public_key: alice.publicLine, principals: ['xdev-1'] })).status, 403);
    assert.equal((await error({ role: 'people', public_key: alice.publicLine, principals: ['dev'] })).status, 403);
  });

  it("a TTL above the role's max_ttl: 400 naming the limit; a TTL that is no duration: 400", async () => {
    assert.deepEqual(await error({ role: 'ci', public_key: alice.publicLine, ttl: '16m' }), {
      status: 400,
      message: "ttl 16m is longer than role ci's max_ttl of 15m",
    });
    assert.deepEqual(await error({ role: 'people', public_key: alice.publicLine, principals: ['ops'], ttl: '1d' }), {
      status: 400,
      message: "ttl 1d is longer than role people's max_ttl of 8h",
    });
    assert.equal((await error({ role: 'ci', public_key: alice.publicLine, ttl: 'soon' })).status, 400);
    const atLimit = await issue('ci', alice, { ttl: '15m' });
    assert.equal(Date.parse(atLimit.valid_before) - Date.parse(atLimit.valid_after), 16 * 60_000);
    issued.push({ serial: atLimit.serial, ca: 'users', key_id: atLimit.key_id, principals: ['deploy'], ttlMin: 15 });
  });

  it('a token without certify: 403, however many other abilities it has', async () => {
    const noCertify = await w.token(['read', 'write', 'sign', 'read:sensitive']);
    assert.deepEqual(await error({ role: 'ci', public_key: alice.publicLine }, noCertify), { status: 403, message: 'the token lacks the certify ability' });
    // certify is not read: the inventory is for read tokens.
    assert.equal((await w.api('GET', '/v1/ssh/certificates', undefined, certifier)).status, 403);
  });

  it('a token restricted to role ci (POST /v1/tokens ssh_roles, or keyhold tokens create --ssh-roles) cannot issue from people', async () => {
    const viaApi = await w.token(['certify'], ['ci']);
    const cli = await keyholdAsync(['tokens', 'create', '--team', 'acme', '--abilities', 'certify', '--ssh-roles', 'ci', '--json'], {
      KEYHOLD_DATABASE_URL: w.s.db.url,
      KEYHOLD_MASTER_KEY: (w.s.config.masterKey as { value: string }).value,
    });
    assert.equal(cli.status, 0, cli.stderr);
    const viaCli = JSON.parse(cli.stdout) as { token: string; ssh_roles: string[] };
    assert.deepEqual(viaCli.ssh_roles, ['ci']);
    for (const token of [viaApi, viaCli.token]) {
      assert.deepEqual(await error({ role: 'people', public_key: alice.publicLine, principals: ['ops'] }, token), {
        status: 403,
        message: 'this token may issue certificates only from the role(s) ci',
      });
      const ok = await issue('ci', bob, { key_id: 'restricted' }, token);
      issued.push({ serial: ok.serial, ca: 'users', key_id: 'restricted', principals: ['deploy'], ttlMin: 5 });
    }
    // Restricting to a role the team does not have is refused.
    const bad = await w.api('POST', '/v1/tokens', { name: 'x', abilities: ['certify'], ssh_roles: ['nope'] });
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.json().error.message, literal('no SSH role nope in this team'));
  });

  it('the inventory lists every certificate, newest first, filtered by ca, principal, key_id and active, a page at a time', async () => {
    const more: Array<[string, TestKey, Record<string, unknown>, string, string[], number]> = [
      ['people', alice, { principals: ['dev-alice', 'ops'], key_id: 'alice' }, 'users', ['dev-alice', 'ops'], 60],
      ['people', bob, { principals: ['dev-bob'], key_id: 'bob', ttl: '8h' }, 'users', ['dev-bob'], 480],
      ['stage', alice, { principals: ['stage-web'], key_id: 'alice' }, 'staging', ['stage-web'], 10],
      ['stage', bob, { principals: ['stage-db', 'stage-web'], key_id: 'bob', ttl: '1h' }, 'staging', ['stage-db', 'stage-web'], 60],
    ];
    for (const [role, key, body, ca, principals, ttlMin] of more) {
      const r = await issue(role, key, body);
      issued.push({ serial: r.serial, ca, key_id: r.key_id, principals, ttlMin });
    }
    const all = issued.map((c) => c.serial).sort((a, b) => b - a);
    assert.deepEqual(await page(''), all);
    const where = (f: (c: (typeof issued)[number]) => boolean) =>
      issued
        .filter(f)
        .map((c) => c.serial)
        .sort((a, b) => b - a);
    assert.deepEqual(
      await page('?ca=staging'),
      where((c) => c.ca === 'staging'),
    );
    assert.deepEqual(
      await page('?principal=stage-web'),
      where((c) => c.principals.includes('stage-web')),
    );
    assert.deepEqual(
      await page('?key_id=alice'),
      where((c) => c.key_id === 'alice'),
    );
    assert.deepEqual(
      await page('?ca=users&key_id=bob'),
      where((c) => c.ca === 'users' && c.key_id === 'bob'),
    );
    assert.deepEqual(await page('?active=true'), all);
    assert.deepEqual(await page('?active=false'), []);

    // Paging: limit 2, following next_cursor, gives every serial once, in order.
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const q = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const p: { certificates: Array<{ serial: number }>; next_cursor: string | null } = await w.ok('GET', `/v1/ssh/certificates${q}`);
      assert.ok(p.certificates.length <= 2);
      seen.push(...p.certificates.map((c) => c.serial));
      cursor = p.next_cursor;
      if (!cursor) break;
    }
    assert.deepEqual(seen, all);
    assert.equal((await w.api('GET', '/v1/ssh/certificates?cursor=not-ours')).status, 400);
    assert.equal((await w.api('GET', '/v1/ssh/certificates?ca=nope')).status, 404);
    assert.equal((await w.api('GET', '/v1/ssh/certificates?active=maybe')).status, 400);

    // A revoked one and, 20 minutes on, the expired ones (TTLs of 15m, 5m, 10m) are no longer active.
    const revoked = issued.find((c) => c.key_id === 'alice' && c.ca === 'users')!.serial;
    await w.ok('POST', `/v1/ssh/certificates/${revoked}/revoke`, undefined, w.root, 204);
    shift = 20 * 60_000;
    const inactive = where((c) => c.serial === revoked || c.ttlMin < 20);
    assert.deepEqual(await page('?active=false'), inactive);
    assert.deepEqual(
      await page('?active=true'),
      where((c) => !inactive.includes(c.serial)),
    );
    const states = new Map(
      (await w.ok('GET', '/v1/ssh/certificates')).certificates.map((c: { serial: number; state: string; requested_by: string }) => [c.serial, c.state]),
    );
    for (const c of issued) assert.equal(states.get(c.serial), c.serial === revoked ? 'revoked' : c.ttlMin < 20 ? 'expired' : 'active', `serial ${c.serial}`);
    assert.deepEqual(
      await page('?ca=users&active=true'),
      where((c) => c.ca === 'users' && !inactive.includes(c.serial)),
    );
  });

  it('each issue is audited: one ssh_certificate.issue row per serial, by the token that asked, with CA, role, key id and principals', async () => {
    for (const c of issued) {
      const rows = (await w.ok('GET', `/v1/audit?resource=${encodeURIComponent(`ssh_certificate:${c.serial}`)}`)).events;
      const issues = rows.filter((e: { action: string }) => e.action === 'ssh_certificate.issue');
      assert.equal(issues.length, 1, JSON.stringify(rows));
      const [row] = issues;
      assert.equal(row.resource_type, 'ssh_certificate');
      assert.equal(row.resource_id, String(c.serial));
      assert.match(row.actor, /^token:\d+$/);
      assert.equal(row.ip, '127.0.0.1');
      assert.deepEqual(row.changed_fields, ['principals', 'valid_before']);
      assert.equal(row.detail.ca, c.ca);
      assert.equal(row.detail.key_id, c.key_id);
      assert.deepEqual(row.detail.principals, c.principals);
    }
    const mine = (await w.ok('GET', `/v1/audit?actor=${encodeURIComponent(`token:${certifierId}`)}&limit=100`)).events;
    assert.ok(mine.length >= 5, 'the certifier’s own issues are findable by actor');
    // Refusals issue nothing: no audit row beyond the issued serials.
    const everything = (await w.ok('GET', '/v1/audit?limit=500')).events.filter((e: { action: string }) => e.action === 'ssh_certificate.issue');
    assert.equal(everything.length, issued.length);
    // And CA, role and revocation changes are audited too.
    const actions = new Set((await w.ok('GET', '/v1/audit?limit=500')).events.map((e: { action: string }) => e.action));
    for (const a of ['ssh_ca.create', 'ssh_role.create', 'ssh_certificate.revoke']) assert.ok(actions.has(a), a);
  });

  it('a webhook receiver gets ssh_certificate.issued for each issue and .revoked for the revocation, signed, with no secret in them', async () => {
    assert.ok(await eventually(async () => rx.received.length >= issued.length + 1, 20_000), `got ${rx.received.length} deliveries`);
    const got = messages(rx);
    const issuedEvents = got.filter((m) => m.type === 'ssh_certificate.issued');
    assert.deepEqual(
      issuedEvents.map((m) => m.data.certificate.serial).sort((a: number, b: number) => a - b),
      issued.map((c) => c.serial).sort((a, b) => a - b),
    );
    for (const m of issuedEvents) {
      const c = issued.find((x) => x.serial === m.data.certificate.serial)!;
      assert.deepEqual(Object.keys(m.data.certificate).sort(), [
        'ca',
        'key_id',
        'principals',
        'public_key_fingerprint',
        'requested_by',
        'role',
        'serial',
        'type',
        'valid_after',
        'valid_before',
      ]);
      assert.equal(m.data.certificate.ca, c.ca);
      assert.equal(m.data.certificate.key_id, c.key_id);
      assert.deepEqual(m.data.certificate.principals, c.principals);
    }
    assert.equal(got.filter((m) => m.type === 'ssh_certificate.revoked').length, 1);
    // Signed with the endpoint's secret, which the body never carries; nor any token, private key or the CAs' keys.
    const cas: Array<{ private_key_uuid: string }> = await w.ok('GET', '/v1/ssh/cas');
    const caKeys = await Promise.all(cas.map(async (c) => (await w.ok('POST', `/v1/private-keys/${c.private_key_uuid}/reveal`)).private_key as string));
    const secretBits = [
      webhookSecret,
      webhookSecret.replace(/^whsec_/, ''),
      w.root.split('|')[1]!,
      certifier.split('|')[1]!,
      ...caKeys.flatMap((k) => k.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))),
    ];
    for (const r of rx.received) {
      new Webhook(webhookSecret).verify(r.body, r.headers as Record<string, string>);
      assert.doesNotMatch(r.body, /PRIVATE KEY|-cert-v01@openssh\.com/);
      for (const s of secretBits) assert.ok(!r.body.includes(s), `a delivery carries a secret: ${s.slice(0, 12)}…`);
    }
  });
});
