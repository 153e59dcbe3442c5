// The SDK's transport: retries (through a real node:http server in front of keyhold that answers
// 503 before passing requests on), network failures, and the X-Keyhold-SDK header as a raw server
// sees it. Delays are made tiny through the retry options; the tests count attempts, not time.
// Every assert.ok has a message: Node 20's assert, left to word one itself, reads the source and
// can hang on a file tsx has transformed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  backoffMs,
  createKeyhold,
  createKeyholdClient,
  isRetryable,
  KeyholdError,
  KeyholdNetworkError,
  SDK_VERSION,
  unwrap,
  type RetryInfo,
} from '../../packages/sdk/src/index.js';
import { dialectUnderTest } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(new URL('../../packages/sdk/package.json', import.meta.url), 'utf8')) as { version: string }).version;
const FAST = { attempts: 3, baseMs: 1, maxMs: 5 };

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Front {
  url: string;
  seen: Seen[];
  /** How many of the next requests get a 503 (with these headers) before requests pass through again. */
  fail(n: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server that answers the next `fail(n)` requests with keyhold's 503 body and passes
 * the others on to `upstream` (a real keyhold), or answers `canned` when there is none.
 */
async function startFront(
  upstream: string | undefined,
  canned: (s: Seen) => { status: number; body: string } = () => ({ status: 200, body: '{}' }),
): Promise<Front> {
  const seen: Seen[] = [];
  let failing = 0;
  let failHeaders: Record<string, string> = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Seen = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(entry);
      if (failing > 0) {
        failing--;
        res.writeHead(503, { 'content-type': 'application/json', 'x-request-id': `front-${seen.length}`, ...failHeaders });
        res.end(
          JSON.stringify({ error: { code: 'unavailable', message: 'the database is unavailable; try again shortly', request_id: `front-${seen.length}` } }),
        );
        return;
      }
      if (!upstream) {
        const a = canned(entry);
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(a.body);
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<
        string,
        string
      >;
      fetch(upstream + entry.path, { method: entry.method, headers, body: entry.body === '' ? undefined : entry.body }).then(
        async (r) => {
          const body = await r.text();
          const out: Record<string, string> = {};
          r.headers.forEach((v, k) => {
            if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)) out[k] = v;
          });
          res.writeHead(r.status, out);
          res.end(body);
        },
        () => {
          res.writeHead(502);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    fail(n, headers = {}) {
      failing = n;
      failHeaders = headers;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe(`the SDK's retries, through a flaky server in front of keyhold (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let gatewayToken: string;
  let front: Front;
  let secret: string;
  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    gatewayToken = await s.token('verify');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 5 });
    front = await startFront(s.url);
    secret = (
      await createKeyhold({ baseUrl: s.url, token: root }).apiKeys.create({
        project_id: 5,
        region_id: 1,
        name: 'retried',
        containers: [{ name: 'web', namespace: 'default' }],
      })
    ).secret;
  });
  after(async () => {
    await front.close();
    await s.close();
  });

  const attemptsSince = (mark: number) => front.seen.slice(mark);

  it('a GET succeeds on the third attempt after two 503s', async () => {
    const retries: RetryInfo[] = [];
    const keyhold = createKeyhold({ baseUrl: front.url, token: root, retries: { ...FAST, onRetry: (i) => retries.push(i) } });
    const mark = front.seen.length;
    front.fail(2);
    const me = await keyhold.me();
    assert.equal(me.team.name, 'acme');
    assert.deepEqual(
      attemptsSince(mark).map((x) => `${x.method} ${x.path}`),
      ['GET /v1/me', 'GET /v1/me', 'GET /v1/me'],
    );
    assert.deepEqual(
      retries.map((r) => [r.attempt, r.reason, r.method]),
      [
        [1, 'unavailable', 'GET'],
        [2, 'unavailable', 'GET'],
      ],
    );
    assert.ok(
      retries.every((r) => r.delayMs <= FAST.maxMs),
      'waits capped at maxMs',
    );
  });

  it('verify (a POST that changes nothing) succeeds on the third attempt, its body sent whole each time', async () => {
    const keyhold = createKeyhold({ baseUrl: front.url, token: gatewayToken, retries: FAST });
    const mark = front.seen.length;
    front.fail(2);
    const verdict = await keyhold.verify({ key: secret, container: { name: 'web' } });
    assert.deepEqual([verdict.valid, verdict.code], [true, 'VALID']);
    const tries = attemptsSince(mark);
    assert.deepEqual(
      tries.map((x) => `${x.method} ${x.path}`),
      Array(3).fill('POST /v1/keys/verify'),
    );
    assert.ok(
      tries.every((t) => t.body === JSON.stringify({ key: secret, container: { name: 'web' } })),
      'the same body every time',
    );
  });

  it('does not retry a POST that creates something: one attempt, and the 503 thrown', async () => {
    const keyhold = createKeyhold({ baseUrl: front.url, token: root, retries: FAST });
    const mark = front.seen.length;
    front.fail(2);
    await assert.rejects(keyhold.apiKeys.create({ project_id: 5, region_id: 1, name: 'once', containers: [] }), (e: unknown) => {
      assert.ok(e instanceof KeyholdError, String(e));
      assert.deepEqual([e.status, e.code, e.requestId], [503, 'unavailable', `front-${mark + 1}`]);
      return true;
    });
    assert.equal(attemptsSince(mark).length, 1);
    front.fail(0);
    // Nor reroll, nor reveal, nor the low-level client's POSTs.
    const low = createKeyholdClient({ baseUrl: front.url, token: root, retries: FAST });
    front.fail(1);
    const m2 = front.seen.length;
    const { response } = await low.POST('/v1/tokens', { body: { name: 'x', abilities: ['read'] } });
    assert.equal(response.status, 503);
    assert.equal(attemptsSince(m2).length, 1);
    // The key was not made by the refused attempt.
    await assert.rejects(
      createKeyhold({ baseUrl: s.url, token: root }).apiKeys.get(5, 1, 'once'),
      (e: unknown) => e instanceof KeyholdError && e.status === 404,
    );
  });

  it('gives up after `attempts` and throws the last 503; `retries: false` sends once', async () => {
    const keyhold = createKeyhold({ baseUrl: front.url, token: root, retries: FAST });
    let mark = front.seen.length;
    front.fail(10);
    await assert.rejects(keyhold.apiKeys.list(), (e: unknown) => e instanceof KeyholdError && e.status === 503 && e.code === 'unavailable');
    assert.equal(attemptsSince(mark).length, 3);

    mark = front.seen.length;
    await assert.rejects(
      createKeyhold({ baseUrl: front.url, token: root, retries: false }).me(),
      (e: unknown) => e instanceof KeyholdError && e.status === 503,
    );
    assert.equal(attemptsSince(mark).length, 1);

    mark = front.seen.length;
    await assert.rejects(createKeyhold({ baseUrl: front.url, token: root, retries: { ...FAST, attempts: 5 } }).tokens.list(), KeyholdError);
    assert.equal(attemptsSince(mark).length, 5);
    front.fail(0);
  });

  it("retries DELETE and PATCH-free idempotent calls through the low-level client too (the console's)", async () => {
    const keyhold = createKeyhold({ baseUrl: s.url, token: root });
    await keyhold.apiKeys.create({ project_id: 5, region_id: 1, name: 'doomed', containers: [] });
    const low = createKeyholdClient({ baseUrl: front.url, token: root, retries: FAST });
    const mark = front.seen.length;
    front.fail(2);
    await unwrap(low.DELETE('/v1/api-keys/{project_id}/{region_id}/{name}', { params: { path: { project_id: 5, region_id: 1, name: 'doomed' } } }));
    assert.equal(attemptsSince(mark).length, 3);
    assert.ok(
      attemptsSince(mark).every((x) => x.method === 'DELETE'),
      'each attempt a DELETE',
    );
  });

  it("honours a 503's Retry-After, capped at maxMs", async () => {
    const retries: RetryInfo[] = [];
    const keyhold = createKeyhold({ baseUrl: front.url, token: root, retries: { ...FAST, onRetry: (i) => retries.push(i) } });
    front.fail(1, { 'retry-after': '120' });
    await keyhold.me();
    front.fail(1, { 'retry-after': '0' });
    await keyhold.me();
    assert.deepEqual(
      retries.map((r) => r.delayMs),
      [FAST.maxMs, 0],
      '120 s capped to maxMs; 0 s taken as said',
    );
  });

  it('backs off exponentially with jitter, capped', () => {
    const policy = { baseMs: 100, maxMs: 1000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, policy, () => 1)),
      [100, 200, 400, 800, 1000, 1000],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, policy, () => 0)),
      [50, 100, 200, 400, 500, 500],
      'at least half of the ceiling',
    );
    for (let i = 0; i < 200; i++) {
      const d = backoffMs(1 + (i % 12), policy);
      assert.ok(d >= 0 && d <= policy.maxMs, `${d}`);
    }
    assert.deepEqual(
      [
        ['GET', '/v1/me'],
        ['HEAD', '/v1/me'],
        ['PUT', '/x'],
        ['DELETE', '/v1/tokens/1'],
        ['POST', 'http://h/v1/keys/verify'],
        ['POST', 'http://h/prefix/v1/keys/verify'],
        ['POST', '/v1/api-keys'],
        ['POST', '/v1/private-keys/u/reveal'],
        ['PATCH', '/v1/api-keys/1/1/a'],
      ].map(([m, u]) => isRetryable(m!, u!)),
      [true, true, true, true, true, true, false, false, false],
    );
  });

  it('retries a refused connection, then throws a KeyholdNetworkError; a POST that creates is tried once', async () => {
    const port = await closedPort();
    let calls = 0;
    const counting = (request: Request) => {
      calls++;
      return fetch(request);
    };
    const retries: RetryInfo[] = [];
    const keyhold = createKeyhold({ baseUrl: `http://127.0.0.1:${port}`, token: root, fetch: counting, retries: { ...FAST, onRetry: (i) => retries.push(i) } });
    await assert.rejects(keyhold.me(), (e: unknown) => {
      assert.ok(e instanceof KeyholdNetworkError, String(e));
      assert.ok(e instanceof KeyholdError, 'a KeyholdError too');
      assert.deepEqual([e.status, e.code, e.name, e.attempts, e.requestId], [0, 'network', 'KeyholdNetworkError', 3, undefined]);
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}/v1/me.*ECONNREFUSED`));
      return true;
    });
    assert.equal(calls, 3);
    assert.deepEqual(
      retries.map((r) => r.reason),
      ['network', 'network'],
    );

    calls = 0;
    await assert.rejects(keyhold.verify({ key: 'khk_x', container: { name: 'web' } }), (e: unknown) => e instanceof KeyholdNetworkError && e.attempts === 3);
    assert.equal(calls, 3, 'verify is retried');

    calls = 0;
    await assert.rejects(keyhold.tokens.create({ name: 'x', abilities: ['read'] }), (e: unknown) => e instanceof KeyholdNetworkError && e.attempts === 1);
    assert.equal(calls, 1, 'a create is not');
  });

  it('stops waiting when the call is aborted', async () => {
    const low = createKeyholdClient({ baseUrl: front.url, token: root, retries: { attempts: 3, baseMs: 60_000, maxMs: 60_000 } });
    const mark = front.seen.length;
    front.fail(1);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(low.GET('/v1/me', { signal: controller.signal }), (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.equal(attemptsSince(mark).length, 1, 'no retry after the abort');
    front.fail(0);
  });
});

describe('the X-Keyhold-SDK header, as a raw node:http server sees it', () => {
  let raw: Front;
  before(async () => {
    raw = await startFront(undefined, (r) =>
      r.path.startsWith('/v1/api-keys?')
        ? { status: 200, body: JSON.stringify({ keys: [], next_cursor: null }) }
        : { status: 200, body: JSON.stringify({ valid: true, code: 'VALID', key: null }) },
    );
  });
  after(() => raw.close());

  it("goes with every request, of both clients, retries included, carrying the package's version", async () => {
    assert.equal(SDK_VERSION, PACKAGE_VERSION, 'src/version.ts says what package.json says');
    const keyhold = createKeyhold({ baseUrl: raw.url, token: 'id|secret', retries: FAST });
    raw.fail(1);
    await keyhold.verify({ key: 'khk_x', container: { name: 'web' } });
    await keyhold.apiKeys.list({ limit: 5 });
    await keyhold.apiKeys.update(1, 1, 'a', { description: 'x' });
    await keyhold.apiKeys.delete(1, 1, 'a');
    await keyhold.tokens.create({ name: 'x', abilities: ['read'] });
    await keyhold.sshKeys.reveal('u');
    const console_ = createKeyholdClient({ baseUrl: raw.url });
    await console_.GET('/v1/me');
    await console_.POST('/v1/sessions', { body: { token: 'id|secret' } });

    const methods = raw.seen.map((r) => `${r.method} ${r.path.split('?')[0]}`);
    assert.deepEqual(methods, [
      'POST /v1/keys/verify',
      'POST /v1/keys/verify',
      'GET /v1/api-keys',
      'PATCH /v1/api-keys/1/1/a',
      'DELETE /v1/api-keys/1/1/a',
      'POST /v1/tokens',
      'POST /v1/private-keys/u/reveal',
      'GET /v1/me',
      'POST /v1/sessions',
    ]);
    for (const r of raw.seen) assert.equal(r.headers['x-keyhold-sdk'], PACKAGE_VERSION, `${r.method} ${r.path}`);
    assert.ok(
      raw.seen.slice(0, 7).every((r) => r.headers.authorization === 'Bearer id|secret'),
      'the token on every request',
    );
    assert.ok(
      raw.seen.slice(7).every((r) => r.headers.authorization === undefined),
      'no token: no Authorization (the console)',
    );
    assert.ok(
      raw.seen.filter((r) => r.body !== '').every((r) => r.headers['content-type'] === 'application/json'),
      'a JSON body says so',
    );
  });
});
