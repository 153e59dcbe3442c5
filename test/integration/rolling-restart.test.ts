import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createRuntime } from '../../src/runtime.js';
import { serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase } from '../helpers/db.js';
import { testConfig } from '../helpers/server.js';

/**
 * A deploy: two keyhold processes on one PostgreSQL behind a round-robin proxy that keeps upstream
 * connections alive, steady verification and write traffic through it, and one process restarted
 * five times. Zero failed requests and zero lost (or doubled) writes.
 */

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Round robin over the backends with upstream keep-alive, as nginx or HAProxy do it. A backend that
 * refuses the connection (it is restarting) is skipped; a request that met a reset on a reused idle
 * connection before any answer is retried once, as Node's documentation prescribes for keep-alive
 * (`request.reusedSocket`). Anything else is a failure, answered 502.
 */
function roundRobinProxy(ports: number[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number, port: number) => {
        const up = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent }, (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        });
        up.on('error', (err: NodeJS.ErrnoException) => {
          const refused = err.code === 'ECONNREFUSED';
          const staleKeepAlive = up.reusedSocket && err.code === 'ECONNRESET';
          if ((refused || staleKeepAlive) && tries < 6) return attempt(tries + 1, ports[(ports.indexOf(port) + 1) % ports.length]!);
          res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${err.code ?? err.message}`);
        });
        up.end(body);
      };
      attempt(0, ports[next++ % ports.length]!);
    });
  });
  return { server, agent };
}

describe('rolling restarts behind a proxy', { skip: dialectUnderTest !== 'postgres' ? 'needs PostgreSQL (two processes share it)' : false }, () => {
  it('lose no request and no write while one of two processes restarts five times', async () => {
    const tdb = await freshDatabase();
    const masterKey = randomBytes(32).toString('base64');
    const config = testConfig(tdb.config, { masterKey: { kind: 'env', value: masterKey } });
    const rt = await createRuntime(config, { serving: false });
    const root = (await rt.services.teams.create('acme')) && (await rt.services.tokens.create({ team: 'acme', abilities: ['root'] })).token;
    const gateway = (await rt.services.tokens.create({ team: 'acme', abilities: ['verify'] })).token;
    await rt.services.projects.createProject({ team: 'acme', id: 1 });
    const actor = { teamId: 1, tokenId: null, label: 'test', ip: null, requestId: null };
    const { secret } = await rt.services.caasKeys.create(actor, 1, 1, { name: 'gw', description: '', containers: [{ name: 'web', namespace: 'default' }], expire: null, isDisabled: false });
    await rt.close();

    const ports = [await freePort(), await freePort()];
    const env = (port: number) => ({ KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: masterKey, KEYHOLD_PORT: String(port), KEYHOLD_SHUTDOWN_TIMEOUT_S: '10' });
    const procs: ServeProcess[] = [await serve(env(ports[0]!)), await serve(env(ports[1]!))];
    const { server: proxy, agent } = roundRobinProxy(ports);
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

    const failures: string[] = [];
    const acknowledged: string[] = [];
    let verified = 0;
    let running = true;
    const verifier = async () => {
      while (running) {
        const r = await fetch(`${base}/v1/keys/verify`, { method: 'POST', headers: { authorization: `Bearer ${gateway}`, 'content-type': 'application/json' }, body: JSON.stringify({ key: secret, container: { name: 'web' } }) });
        const text = await r.text();
        if (r.status !== 200 || !text.includes('"VALID"')) failures.push(`verify ${r.status} ${text}`);
        else verified++;
      }
    };
    let n = 0;
    const writer = async () => {
      while (running) {
        const name = `deploy-${n++}`;
        const r = await fetch(`${base}/v1/projects`, { method: 'POST', headers: { authorization: `Bearer ${root}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
        const text = await r.text();
        if (r.status !== 201) failures.push(`write ${r.status} ${text}`);
        else acknowledged.push(name);
      }
    };
    const traffic = [verifier(), verifier(), verifier(), writer(), writer()];

    try {
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 400));
        procs[0]!.child.kill('SIGTERM');
        assert.equal(await procs[0]!.exited, 0, `restart ${i + 1}: exit code (${procs[0]!.stderr()})`);
        procs[0] = await serve(env(ports[0]!));
      }
      await new Promise((r) => setTimeout(r, 400));
    } finally {
      running = false;
      await Promise.all(traffic);
    }
    try {
      assert.equal(failures.length, 0, `${failures.length} failed requests, e.g. ${failures.slice(0, 5).join(' | ')}`);
      assert.ok(verified > 100 && acknowledged.length > 20, `traffic flowed: ${verified} verifications, ${acknowledged.length} writes`);
      const listed = (await (await fetch(`${base}/v1/projects`, { headers: { authorization: `Bearer ${root}` } })).json()) as Array<{ name: string }>;
      const names = listed.map((p) => p.name).filter((x) => x.startsWith('deploy-'));
      assert.equal(names.length, acknowledged.length, 'every acknowledged write is stored, once');
      assert.deepEqual(new Set(names), new Set(acknowledged));
    } finally {
      for (const p of procs) p.child.kill('SIGTERM');
      await Promise.all(procs.map((p) => p.exited));
      proxy.close();
      agent.destroy();
      await tdb.drop();
    }
  });
});
