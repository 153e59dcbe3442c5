import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

// A real nginx with auth_request in front of a small upstream, asking keyhold's forward-auth.
describe('forward-auth behind nginx auth_request', { skip: !NGINX && 'nginx is not installed (.ci/run installs it)' }, () => {
  let s: TestServer;
  let upstream: http.Server;
  let nginx: ChildProcess;
  let dir: string;
  let base: string;
  let secret: string;
  const seen: Array<string | undefined> = [];

  before(async () => {
    s = await startTestServer();
    const admin = await s.token('root');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    const created = await s.request('POST', '/cloud/v1/caas/keys/1/1', {
      headers: { authorization: `APIKey ${admin}` },
      body: { name: 'edge', containers: [{ name: 'web', namespace: 'default' }] },
    });
    secret = created.json().secret;
    await s.request('POST', '/cloud/v1/caas/keys/1/1', { headers: { authorization: `APIKey ${admin}` }, body: { name: 'off', containers: [{ name: 'web', namespace: 'default' }], is_disabled: true } });

    upstream = http.createServer((req, res) => {
      seen.push(req.headers['x-key-name'] as string | undefined);
      res.end(`hello from ${req.url}`);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upstreamPort = (upstream.address() as net.AddressInfo).port;
    const keyholdPort = new URL(s.url).port;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-nginx-'));
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t};`).join('\n    ');
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
${process.getuid?.() === 0 ? 'user root;' : ''}
events { worker_connections 64; }
http {
    access_log off;
    ${temp}
    server {
        listen 127.0.0.1:${port};
        location / {
            auth_request /_keyhold;
            auth_request_set $key_name $upstream_http_x_keyhold_key_name;
            proxy_set_header X-Key-Name $key_name;
            proxy_pass http://127.0.0.1:${upstreamPort};
        }
        location /other/ {
            auth_request /_keyhold_other;
            proxy_pass http://127.0.0.1:${upstreamPort};
        }
        location = /_keyhold {
            internal;
            proxy_pass http://127.0.0.1:${keyholdPort}/v1/forward-auth?container=web&namespace=default;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
        }
        location = /_keyhold_other {
            internal;
            proxy_pass http://127.0.0.1:${keyholdPort}/v1/forward-auth;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Container-Name api;
        }
    }
}
`,
    );
    const check = spawnSync(NGINX!, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    nginx = spawn(NGINX!, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(base);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });

  after(async () => {
    nginx?.kill('SIGQUIT');
    await new Promise((r) => nginx?.once('exit', r));
    upstream?.close();
    await s?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('admits a valid key and hands the key name to the upstream', async () => {
    const r = await fetch(`${base}/hello`, { headers: { 'x-api-key': secret } });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'hello from /hello');
    assert.equal(seen.at(-1), 'edge');
    const b = await fetch(`${base}/bearer`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(b.status, 200);
  });

  it('refuses missing, malformed, unknown and disabled keys with 401, and other containers with 403', async () => {
    const before = seen.length;
    assert.equal((await fetch(`${base}/x`)).status, 401);
    assert.equal((await fetch(`${base}/x`, { headers: { 'x-api-key': 'khk_nope' } })).status, 401);
    assert.equal((await fetch(`${base}/x`, { headers: { 'x-api-key': secret.replace(/.$/, (c) => (c === '0' ? '1' : '0')) } })).status, 401);
    assert.equal((await fetch(`${base}/other/x`, { headers: { 'x-api-key': secret } })).status, 403);
    assert.equal(seen.length, before, 'the upstream saw none of them');
  });

  it('stops admitting a key the moment it is disabled', async () => {
    const admin = await s.token('root');
    assert.equal((await fetch(`${base}/y`, { headers: { 'x-api-key': secret } })).status, 200);
    await s.request('PATCH', '/cloud/v1/caas/keys/1/1/edge', { headers: { authorization: `APIKey ${admin}` }, body: { is_disabled: true } });
    assert.equal((await fetch(`${base}/y`, { headers: { 'x-api-key': secret } })).status, 401);
  });
});
