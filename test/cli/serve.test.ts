import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, it } from 'node:test';
import { keyhold, keyholdAsync, serve } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase } from '../helpers/db.js';
import { SPEC_EC, SPEC_ED25519 } from '../helpers/keys.js';
import { eventually } from '../helpers/tcp-proxy.js';

describe(`keyhold serve (${dialectUnderTest})`, () => {
  it('migrates safely when several processes start at once', async () => {
    const tdb = await freshDatabase();
    try {
      const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
      const runs = await Promise.all([1, 2, 3, 4].map((n) => keyholdAsync(['teams', 'create', `t${n}`], env)));
      for (const r of runs) assert.equal(r.status, 0, r.stderr);
      assert.equal(keyhold(['migrate'], env).stdout.trim(), 'database is up to date');
    } finally {
      await tdb.drop();
    }
  });

  it('serves the first curl call of the README and shuts down gracefully on SIGTERM', async () => {
    const tdb = await freshDatabase();
    try {
      const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
      keyhold(['teams', 'create', 'acme'], env);
      const token = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'root', '--json'], env).stdout).token;
      const srv = await serve(env);
      const auth = { authorization: `Bearer ${token}` };
      const health = await fetch(`${srv.url}/api/health`);
      assert.equal(await health.text(), 'OK');
      const created = await fetch(`${srv.url}/api/v1/security/keys`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'deploy', private_key: SPEC_ED25519 }),
      });
      assert.equal(created.status, 201);
      const list = (await (await fetch(`${srv.url}/api/v1/security/keys`, { headers: auth })).json()) as Array<{ name: string }>;
      assert.deepEqual(
        list.map((k) => k.name),
        ['deploy'],
      );
      srv.child.kill('SIGTERM');
      assert.equal(await srv.exited, 0, srv.stderr());
      assert.ok(!srv.stderr().includes(token.split('|')[1]), 'token not logged');
    } finally {
      await tdb.drop();
    }
  });

  // Shutdown used to drop a request whose body was still arriving (app.close() alone does not wait
  // for it); the drain (src/http/drain.ts) answers it. The body is written without half-closing the
  // socket: Node's HTTP server (like most) aborts a request whose client closes its side first.
  for (const signal of ['SIGTERM', 'SIGHUP'] as const)
    it(`drains a request still in flight when ${signal} arrives, and exits 0`, async () => {
      const tdb = await freshDatabase();
      try {
        const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
        keyhold(['teams', 'create', 'acme'], env);
        const token = JSON.parse(keyhold(['tokens', 'create', '--team', 'acme', '--abilities', 'root', '--json'], env).stdout).token;
        const srv = await serve(env);
        // `Expect: 100-continue` makes the server say when it has read the headers, so the request is
        // surely in flight (its body not yet sent) when the signal arrives; a plain fetch raced the signal,
        // and lost under load (ECONNRESET).
        const body = JSON.stringify({ name: 'slow', private_key: SPEC_EC });
        const sock = net.connect(Number(new URL(srv.url).port), '127.0.0.1');
        let answer = '';
        sock.on('data', (d: Buffer) => (answer += d.toString()));
        const closed = new Promise<void>((resolve) => sock.on('close', () => resolve()));
        sock.write(
          `POST /api/v1/security/keys HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
        );
        assert.ok(await eventually(async () => answer.includes('100 Continue'), 30_000, 10), `no 100 Continue: ${answer}`);
        srv.child.kill(signal);
        await new Promise((r) => setTimeout(r, 300)); // the server is now shutting down, the request still open
        sock.write(body);
        const created = await eventually(async () => /HTTP\/1\.1 201 Created[\s\S]*\r\n\r\n\{/.test(answer), 30_000, 10);
        assert.ok(created, `no 201 while draining: ${answer}\n${srv.stderr()}`);
        assert.match(answer, /connection: close/i, 'the answer closes the connection');
        await closed;
        assert.equal(await srv.exited, 0, srv.stderr());
      } finally {
        await tdb.drop();
      }
    });

  it('refuses to start on a port that is taken, with a clear message', async () => {
    const tdb = await freshDatabase();
    try {
      const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
      const first = await serve(env);
      const port = new URL(first.url).port;
      // Its own store: on SQLite a second server on the first one's file is refused before it listens.
      const other = await freshDatabase();
      const second = keyhold(['serve'], { ...env, KEYHOLD_DATABASE_URL: other.url, KEYHOLD_PORT: port });
      await other.drop();
      assert.equal(second.status, 1);
      assert.match(second.stderr, /EADDRINUSE|address already in use/);
      first.child.kill('SIGTERM');
      await first.exited;
    } finally {
      await tdb.drop();
    }
  });
});
