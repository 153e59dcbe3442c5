import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { SPEC_EC, SPEC_ED25519, SPEC_ED25519_B64, badKeys, expected, fixture, goodKeys } from '../helpers/keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const KEYS = '/api/v1/security/keys';
const CATCH_ALL = { message: 'Not found.', docs: 'https://coolify.io/docs' };

describe('Coolify surface: the spec\'s worked examples and error table', () => {
  let s: TestServer;
  let root: string;
  let read: string;
  let write: string;
  let sensitive: string;
  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    read = await s.token('read');
    write = await s.token('write');
    sensitive = await s.token('read,read:sensitive');
  });
  after(() => s.close());

  it('create → get (read hides private_key, sensitive shows it) → list → update → delete', async () => {
    const c = await s.request('POST', KEYS, { token: write, body: { name: 'deploy-key', description: 'CI deploy key', private_key: SPEC_ED25519 } });
    assert.equal(c.status, 201);
    assert.deepEqual(Object.keys(c.json()), ['uuid']);
    const uuid = c.json().uuid;
    assert.match(uuid, /^[a-z0-9]{24}$/);

    const g = await s.request('GET', `${KEYS}/${uuid}`, { token: read });
    assert.equal(g.status, 200);
    assert.match(g.headers.get('content-type')!, /^application\/json/);
    const body = g.json();
    assert.deepEqual(Object.keys(body), ['id', 'uuid', 'description', 'name', 'fingerprint', 'is_git_related', 'public_key', 'team_id', 'created_at', 'updated_at']);
    assert.equal(body.fingerprint, 's5akqv/s5JSs32bDWWU21Ci5lWp3GB0nAzXnmOE57jI');
    assert.equal(body.public_key, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAgJCpQvphcCcGWiUQdSVAL8dEYNitI/ozSCbREld77C ');
    assert.equal(body.is_git_related, false);
    assert.equal(typeof body.team_id, 'number');
    assert.match(body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/);
    assert.ok(!g.text.includes('PRIVATE KEY'));

    for (const t of [sensitive, root]) {
      const gs = (await s.request('GET', `${KEYS}/${uuid}`, { token: t })).json();
      assert.equal(gs.private_key, SPEC_ED25519);
      assert.deepEqual(Object.keys(gs).slice(5, 8), ['is_git_related', 'private_key', 'public_key']);
    }

    const list = await s.request('GET', KEYS, { token: read });
    assert.deepEqual(list.json().map((k: { uuid: string }) => k.uuid), [uuid]);

    const u = await s.request('PATCH', `${KEYS}/${uuid}`, { token: write, body: { name: 'deploy-key-2', private_key: SPEC_EC } });
    assert.deepEqual([u.status, u.json()], [201, { uuid }]);
    const after = (await s.request('GET', `${KEYS}/${uuid}`, { token: read })).json();
    assert.equal(after.name, 'deploy-key-2');
    assert.equal(after.description, 'CI deploy key');
    assert.equal(after.fingerprint, 'UzQ5rDVxIZ8LurXJhm1UZ3jHloXYSDXuBGF1+I+Lz2M');

    const d = await s.request('DELETE', `${KEYS}/${uuid}`, { token: write });
    assert.deepEqual([d.status, d.json()], [200, { message: 'Private Key deleted.' }]);
    const d2 = await s.request('DELETE', `${KEYS}/${uuid}`, { token: write });
    assert.deepEqual([d2.status, d2.json()], [404, { message: 'Private Key not found.' }]);
  });

  it('base64 on create, with defaults; falsy description moves after name', async () => {
    const c = await s.request('POST', KEYS, { token: root, body: { private_key: SPEC_ED25519_B64 } });
    assert.equal(c.status, 201, c.text);
    const k = (await s.request('GET', `${KEYS}/${c.json().uuid}`, { token: root })).json();
    assert.match(k.name, /^([a-z])[a-z]*-\1[a-z]*-[a-z0-9]{24}$/);
    assert.equal(k.description, 'Created by Coolify via API');
    assert.equal(k.private_key, SPEC_ED25519);
    const dup = await s.request('POST', KEYS, { token: root, body: { private_key: SPEC_ED25519 } });
    assert.deepEqual([dup.status, dup.json()], [422, { message: 'Private key already exists.' }]);
    await s.request('DELETE', `${KEYS}/${c.json().uuid}`, { token: root });
  });

  const table: Array<[string, string, { token?: 'none' | 'read' | 'write' | 'bad'; body?: unknown; raw?: string; ct?: string }, number, unknown]> = [
    ['no token', 'GET', {}, 401, { message: 'Unauthenticated.' }],
    ['wrong secret', 'GET', { token: 'bad' }, 401, { message: 'Unauthenticated.' }],
    ['write-only token on GET', 'GET', { token: 'write' }, 403, { message: 'Missing required permissions: read' }],
    ['read token on POST', 'POST', { token: 'read', body: { private_key: SPEC_ED25519 } }, 403, { message: 'Missing required permissions: write' }],
    ['text/plain', 'POST', { token: 'write', raw: '{"a":1}', ct: 'text/plain' }, 400, { message: 'Invalid request.', error: 'Content-Type must be application/json.' }],
    ['broken JSON', 'POST', { token: 'write', raw: '{"name":', ct: 'application/json' }, 400, { message: 'Invalid request.', error: 'Invalid JSON.' }],
    ['empty object', 'POST', { token: 'write', raw: '{}', ct: 'application/json' }, 400, { message: 'Invalid request.', error: 'Empty JSON.' }],
    ['missing key', 'POST', { token: 'write', body: { name: 'x' } }, 422, { message: 'Validation failed.', errors: { private_key: ['This field is required.'] } }],
    ['wrong types', 'POST', { token: 'write', body: { name: '', description: 5, private_key: SPEC_ED25519 } }, 422, { message: 'Validation failed.', errors: { name: ['The name field must be a string.'], description: ['The description field must be a string.'] } }],
    ['not a key', 'POST', { token: 'write', body: { private_key: '-----BEGIN OPENSSH PRIVATE KEY-----\nxyz\n-----END OPENSSH PRIVATE KEY-----' } }, 422, { message: 'Invalid private key.' }],
  ];
  for (const [label, method, o, status, body] of table) {
    it(`${method} ${label} → ${status}`, async () => {
      const token = o.token === 'read' ? read : o.token === 'write' ? write : o.token === 'bad' ? '1|wrong' : undefined;
      const headers: Record<string, string> = o.ct ? { 'content-type': o.ct } : {};
      const r = await s.request(method, KEYS, { token, body: o.body, raw: o.raw, headers });
      assert.deepEqual([r.status, r.json()], [status, body]);
    });
  }

  it('every falsy JSON value is Invalid JSON', async () => {
    for (const raw of ['', '[]', 'null', 'false', '0', '0.0', '""', '"0"', '\xff\xfe']) {
      const r = await s.request('POST', KEYS, { token: write, raw, headers: { 'content-type': 'application/json' } });
      assert.deepEqual([r.status, r.json()], [400, { message: 'Invalid request.', error: 'Invalid JSON.' }], JSON.stringify(raw));
    }
  });

  it('PATCH rules: private_key required, unknown fields refused in input order, model-shape key errors, 422 before 404', async () => {
    const uuid = (await s.request('POST', KEYS, { token: write, body: { name: 'a', private_key: fixture('openssh-rsa.key') } })).json().uuid;
    const other = (await s.request('POST', KEYS, { token: write, body: { name: 'b', private_key: fixture('openssh-ecdsa256.key') } })).json().uuid;
    const patch = (u: string, body: unknown, q = '') => s.request('PATCH', `${KEYS}/${u}${q}`, { token: write, body });
    let r = await patch(uuid, { name: 'renamed' });
    assert.deepEqual([r.status, r.json()], [422, { message: 'Validation failed.', errors: { private_key: ['This field is required.'] } }]);
    r = await patch(uuid, { private_key: SPEC_ED25519, is_git_related: true });
    assert.deepEqual(r.json(), { message: 'Validation failed.', errors: { is_git_related: ['This field is not allowed.'] } });
    r = await s.request('PATCH', `${KEYS}/${uuid}?zeta=1`, { token: write, raw: '{"b":1,"7":2,"private_key":5}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.text, '{"message":"Validation failed.","errors":{"private_key":["The private key field must be a string."],"b":["This field is not allowed."],"7":["This field is not allowed."],"zeta":["This field is not allowed."]}}');
    r = await patch('no-such-uuid', { name: 'x' });
    assert.equal(r.status, 422, 'validation runs before the lookup');
    r = await patch('no-such-uuid', { private_key: 'bm90IGEga2V5' });
    assert.deepEqual([r.status, r.json()], [404, { message: 'Private Key not found.' }]);
    r = await patch(uuid, { private_key: 'bm90IGEga2V5' });
    assert.deepEqual([r.status, r.json()], [422, { message: 'The private key is invalid.', errors: { private_key: ['The private key is invalid.'] } }]);
    r = await patch(uuid, { private_key: fixture('openssh-ecdsa256.key') });
    assert.deepEqual([r.status, r.json()], [422, { message: 'This private key already exists.', errors: { private_key: ['This private key already exists.'] } }]);
    r = await patch(uuid, { private_key: fixture('openssh-rsa.key'), description: '<b>bold</b> text <unclosed' });
    assert.equal(r.status, 201);
    assert.equal((await s.request('GET', `${KEYS}/${uuid}`, { token: read })).json().description, 'bold text ', 'strip_tags keeps the space before the dropped tag');
    for (const u of [uuid, other]) await s.request('DELETE', `${KEYS}/${u}`, { token: write });
  });

  it('the catch-all 404 answers unknown paths and methods without authentication', async () => {
    for (const [m, p] of [['PATCH', KEYS], ['PUT', KEYS], ['PUT', `${KEYS}/x`], ['DELETE', KEYS], ['POST', '/api/v1/version'], ['GET', '/api/v1/nope'], ['GET', '/api/v2/security/keys']]) {
      const r = await s.request(m!, p!, {});
      assert.deepEqual([r.status, r.json()], [404, CATCH_ALL], `${m} ${p}`);
    }
  });

  it('version and health', async () => {
    const v = await s.request('GET', '/api/v1/version', { token: read });
    assert.deepEqual([v.status, v.text, v.headers.get('content-type')], [200, '4.3.11', 'text/html; charset=UTF-8']);
    assert.equal((await s.request('GET', '/api/v1/version', { token: write })).status, 403);
    assert.equal((await s.request('GET', '/api/v1/version', {})).status, 401);
    for (const p of ['/api/health', '/api/v1/health', '/api/health/']) {
      const h = await s.request('GET', p, {});
      assert.deepEqual([h.status, h.text], [200, 'OK']);
    }
  });
});

describe('Coolify surface: tokens and tenancy', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.close());

  it('accepts Bearer in any case, APIKey, and the bare secret; refuses revoked and expired tokens', async () => {
    const token = await s.token('read');
    const get = (authorization: string) => s.request('GET', KEYS, { headers: { authorization } });
    assert.equal((await get(`bearer ${token}`)).status, 200);
    assert.equal((await get(`APIKey ${token}`)).status, 200);
    assert.equal((await get(`Bearer ${token.split('|')[1]}`)).status, 200);
    assert.equal((await get(`Basic ${token}`)).status, 401);
    assert.equal((await get(`Bearer ${token}x`)).status, 401);
    assert.equal((await get('Bearer 999|' + token.split('|')[1])).status, 401);

    const id = Number(token.split('|')[0]);
    await s.runtime.services.tokens.revoke(id);
    assert.deepEqual((await get(`Bearer ${token}`)).json(), { message: 'Unauthenticated.' });

    const short = await s.token('read', 'acme', { expiresInMs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await get(`Bearer ${short}`)).status, 401);
  });

  it('another team sees nothing and cannot touch anything; the same key may live in both teams', async () => {
    const a = await s.token('root', 'team-a');
    const b = await s.token('root', 'team-b');
    const uuid = (await s.request('POST', KEYS, { token: a, body: { private_key: SPEC_ED25519 } })).json().uuid;
    assert.deepEqual((await s.request('GET', KEYS, { token: b })).json(), []);
    for (const [m, body] of [['GET', undefined], ['PATCH', { private_key: SPEC_ED25519 }], ['DELETE', undefined]] as const) {
      const r = await s.request(m, `${KEYS}/${uuid}`, { token: b, body });
      assert.deepEqual([r.status, r.json()], [404, { message: 'Private Key not found.' }], m);
    }
    assert.equal((await s.request('POST', KEYS, { token: b, body: { private_key: SPEC_ED25519 } })).status, 201);
    assert.equal((await s.request('GET', `${KEYS}/${uuid}`, { token: a })).status, 200);
  });
});

describe('Coolify surface: every key format, checked against ssh-keygen', () => {
  let s: TestServer;
  let token: string;
  before(async () => {
    s = await startTestServer({ config: { bodyLimit: 1024 * 1024 } });
    token = await s.token('root');
  });
  after(() => s.close());

  for (const name of goodKeys) {
    it(`${name} is accepted with ssh-keygen's fingerprint and public line`, async () => {
      const text = fixture(name);
      const c = await s.request('POST', KEYS, { token, body: { name, private_key: `\n  ${text}\n\n` } });
      assert.equal(c.status, 201, c.text);
      const k = (await s.request('GET', `${KEYS}/${c.json().uuid}`, { token })).json();
      assert.equal(k.fingerprint, expected[name]!.fingerprint);
      assert.equal(k.public_key, expected[name]!.public_key);
      assert.equal(k.private_key, text.trim() + '\n');
    });
  }
  for (const name of badKeys) {
    it(`${name} is refused`, async () => {
      const r = await s.request('POST', KEYS, { token, body: { private_key: fixture(name) } });
      assert.deepEqual([r.status, r.json()], [422, { message: 'Invalid private key.' }]);
    });
  }
});

describe('Coolify surface: hostile input never gets a 500', () => {
  let s: TestServer;
  let token: string;
  before(async () => {
    s = await startTestServer();
    token = await s.token('root');
  });
  after(() => s.close());

  it('answers every malformed request with a 4xx in Coolify\'s shape', async () => {
    const json = { 'content-type': 'application/json' };
    const cases: Array<{ m: string; p: string; raw?: string | Buffer; headers?: Record<string, string> }> = [
      { m: 'POST', p: KEYS, raw: '['.repeat(100_000), headers: json },
      { m: 'POST', p: KEYS, raw: '{"a":'.repeat(20_000), headers: json },
      { m: 'POST', p: KEYS, raw: Buffer.from([0, 1, 2, 0xff, 0xc3, 0x28]), headers: json },
      { m: 'POST', p: KEYS, raw: '{"private_key":{"a":[1,{"b":null}]},"name":[1],"description":{"x":1}}', headers: json },
      { m: 'POST', p: KEYS, raw: '[1,2,3]', headers: json },
      { m: 'POST', p: KEYS, raw: '"just a string"', headers: json },
      { m: 'POST', p: KEYS, raw: '{"private_key":"x"}', headers: { 'content-type': '!!!/;;;' } },
      { m: 'POST', p: KEYS, raw: '{"private_key":"x"}', headers: { 'content-type': 'application/json; charset=utf-16' } },
      { m: 'POST', p: KEYS, raw: JSON.stringify({ private_key: 'A'.repeat(70_000) }), headers: json },
      { m: 'PATCH', p: `${KEYS}/%E2%9C%93%00`, raw: '{"private_key":"x"}', headers: json },
      { m: 'GET', p: `${KEYS}/${'x'.repeat(900)}` },
      { m: 'GET', p: `${KEYS}/%ZZ` },
      { m: 'DELETE', p: `${KEYS}/..%2F..%2Fetc` },
    ];
    for (const c of cases) {
      const r = await s.request(c.m, c.p, { token, raw: c.raw, headers: c.headers });
      assert.ok(r.status >= 400 && r.status < 500, `${c.m} ${c.p} ${String(c.raw).slice(0, 20)} → ${r.status} ${r.text.slice(0, 200)}`);
      assert.equal(typeof r.json().message, 'string');
    }
    const nul = await s.request('POST', KEYS, { token, body: { name: 'a\u0000b<i>c', description: '\u0000x\u0000', private_key: fixture('openssh-dsa.key') } });
    assert.equal(nul.status, 201, nul.text);
    const stored = (await s.request('GET', `${KEYS}/${nul.json().uuid}`, { token })).json();
    assert.deepEqual([stored.name, stored.description], ['abc', 'x'], 'NUL bytes stripped as PHP strip_tags does');
    const big = await s.request('POST', KEYS, { token, raw: JSON.stringify({ private_key: 'A'.repeat(70_000) }), headers: json });
    assert.equal(big.status, 413);
    assert.equal((await s.request('GET', KEYS, { token })).status, 200, 'still serving');
    assert.ok(!s.logs.some((l) => l.includes('"level":50')), 'no error-level log');
  });
});

describe(`Coolify surface: secrets stay secret (${dialectUnderTest})`, () => {
  it('never stores, logs or echoes the private key in plaintext, and audits names only', async () => {
    const s = await startTestServer({ config: { logLevel: 'trace' } });
    try {
      const token = await s.token('root');
      const key = fixture('openssh-rsa.key');
      const marker = key.split('\n')[3]!; // a line from the middle of the key body
      const c = await s.request('POST', KEYS, { token, body: { name: 'n', private_key: key } });
      const uuid = c.json().uuid;
      await s.request('PATCH', `${KEYS}/${uuid}`, { token, body: { name: 'n2', private_key: key } });
      await s.request('PATCH', `${KEYS}/${uuid}`, { token, body: { name: 'n2', private_key: key + 'garbage' } });
      await s.request('DELETE', `${KEYS}/${uuid}`, { token });
      await s.request('POST', KEYS, { token, body: { name: 'kept', private_key: key } });

      const audit = await s.runtime.store.audit.list();
      assert.deepEqual(audit.map((a) => [a.action, a.changed]), [
        ['private_key.create', ['name', 'description', 'private_key']],
        ['private_key.update', ['name']],
        ['private_key.delete', []],
        ['private_key.create', ['name', 'description', 'private_key']],
      ]);
      assert.equal(audit[0]!.actor, `token:${token.split('|')[0]}`);
      assert.equal(audit[0]!.ip, '127.0.0.1');
      assert.match(audit[0]!.requestId!, /^[0-9a-f]{32}$/);
      assert.ok(!JSON.stringify(audit).includes(marker));

      const logs = s.logs.join('');
      assert.ok(logs.length > 0);
      assert.ok(!logs.includes(marker), 'key not logged');
      assert.ok(!logs.includes(token.split('|')[1]!), 'token not logged');

      if (s.db.file) {
        for (const f of [s.db.file, `${s.db.file}-wal`]) {
          if (fs.existsSync(f)) assert.ok(!fs.readFileSync(f).includes(marker), `${f} holds no plaintext`);
        }
      }
      const rows = await s.runtime.store.privateKeys.listSealed(0, 100);
      assert.equal(rows.length, 1);
      assert.ok(!rows[0]!.ciphertext.includes(marker));
      assert.ok(!rows[0]!.ciphertext.includes('PRIVATE KEY'));
    } finally {
      await s.close();
    }
  });
});
