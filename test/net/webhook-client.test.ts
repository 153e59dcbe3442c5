import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isPrivateAddress } from '../../src/net/address-policy.js';
import { sendWebhook } from '../../src/net/webhook-client.js';
import { dialectUnderTest } from '../helpers/db.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Where webhooks may go. Every refusal here happens before any connection is made: the only
 * traffic these tests send goes to a receiver on 127.0.0.1, and only where the policy allows it.
 */
describe('webhook targets', () => {
  let rx: Receiver;
  before(async () => {
    rx = await startReceiver((m) => (m.headers['x-mode'] === 'redirect' ? { status: 302, headers: { location: '/elsewhere' } } : { status: 200, body: 'y'.repeat(5000) }));
  });
  after(() => rx.close());

  it('classifies loopback, private, link-local and other internal addresses, in both families', () => {
    for (const ip of ['127.0.0.1', '127.8.9.10', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
      '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::7f00:1', '2002:7f00:1::1', 'not-an-ip']) {
      assert.equal(isPrivateAddress(ip), true, ip);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::1']) assert.equal(isPrivateAddress(ip), false, ip);
  });

  it('refuses private targets, also behind a name, before connecting; the receiver hears nothing', async () => {
    const policy = { allowPrivate: false };
    for (const url of [`http://127.0.0.1:${rx.port}/`, `http://localhost:${rx.port}/`, `http://[::1]:${rx.port}/`, `http://[::ffff:127.0.0.1]:${rx.port}/`, `http://2130706433:${rx.port}/`, 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data']) {
      const r = await sendWebhook({ url, headers: {}, body: '{}' }, policy);
      assert.equal(r.ok, false, url);
      assert.match(r.error!, /^refused: .*loopback, link-local or private address/, url);
    }
    // A name is resolved, every answer checked, and a private one refuses it.
    const r = await sendWebhook({ url: `http://internal.example:${rx.port}/`, headers: {}, body: '{}' }, { allowPrivate: false, lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
    assert.match(r.error!, /internal\.example resolves to 127\.0\.0\.1, which is a loopback/);
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'http://user:pw@example.com/', 'not a url']) {
      assert.match((await sendWebhook({ url, headers: {}, body: '{}' }, policy)).error!, /^refused: url /, url);
    }
    assert.equal(rx.received.length, 0);
  });

  it('connects to the address it checked (no second lookup for DNS rebinding to swap), follows no redirect, keeps 1 KB, gives up at the timeout', async () => {
    let lookups = 0;
    const pinned = { allowPrivate: true, lookup: async () => (lookups++, [{ address: '127.0.0.1', family: 4 }]) };
    // `rebind.invalid` has no DNS answer at all: the request can only reach the receiver through the pinned address.
    const r = await sendWebhook({ url: `http://rebind.invalid:${rx.port}/hook?x=1`, headers: { 'webhook-id': 'msg_1' }, body: '{"a":1}' }, pinned);
    assert.deepEqual([r.ok, r.status, r.error, lookups], [true, 200, null, 1]);
    assert.equal(r.body!.length, 1024);
    const got = rx.received.at(-1)!;
    assert.deepEqual([got.headers.host, got.headers['webhook-id'], got.body], [`rebind.invalid:${rx.port}`, 'msg_1', '{"a":1}']);

    const before = rx.received.length;
    const redirected = await sendWebhook({ url: `${rx.url}/`, headers: { 'x-mode': 'redirect' }, body: '{}' }, { allowPrivate: true });
    assert.deepEqual([redirected.ok, redirected.status], [false, 302]);
    assert.equal(rx.received.length, before + 1, 'the redirect was not followed');

    const hanging = await startReceiver(() => 'hang');
    try {
      const t0 = Date.now();
      const slow = await sendWebhook({ url: hanging.url, headers: {}, body: '{}' }, { allowPrivate: true }, 300);
      assert.deepEqual([slow.ok, slow.status, slow.error], [false, null, 'timed out after 300 ms']);
      assert.ok(Date.now() - t0 < 2000);
    } finally {
      await hanging.close();
    }
  });
});

describe(`webhook endpoints without KEYHOLD_WEBHOOK_ALLOW_PRIVATE (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  before(async () => {
    s = await startTestServer({ config: { webhooks: { allowPrivate: false, pollMs: 100, concurrency: 16, perEndpoint: 2 } } });
    root = await s.token('root');
  });
  after(() => s.close());

  it('refuses loopback, 10/8, 169.254/16, ::1 and a name resolving to 127.0.0.1 with a 400 that says why', async () => {
    for (const [url, why] of [
      ['http://127.0.0.1:9/hook', /127\.0\.0\.1 is a loopback, link-local or private address \(set KEYHOLD_WEBHOOK_ALLOW_PRIVATE=1 to allow\)/],
      ['https://10.20.30.40/hook', /10\.20\.30\.40 is a loopback/],
      ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254 is a loopback/],
      ['http://[::1]:9/hook', /::1 is a loopback/],
      ['http://localhost:9/hook', /localhost resolves to (127\.0\.0\.1|::1), which is a loopback/],
    ] as const) {
      const r = await s.request('POST', '/v1/webhooks', { token: root, body: { url, events: ['*'] } });
      assert.equal(r.status, 400, `${url}: ${r.text}`);
      assert.match(r.json().error.message, why);
    }
    const w = await s.request('POST', '/v1/webhooks', { token: root, body: { url: 'https://hooks.nowhere.invalid/x', events: ['*'] } });
    assert.equal(w.status, 201, 'a name that does not resolve yet is accepted; each delivery checks again');
    const moved = await s.request('PATCH', `/v1/webhooks/${w.json().id}`, { token: root, body: { url: 'http://192.168.0.10/' } });
    assert.equal(moved.status, 400, moved.text);
  });
});
