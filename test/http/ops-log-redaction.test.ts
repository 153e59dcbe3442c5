import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fixture } from '../helpers/keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Every (method, path pattern) the router knows, read from Fastify's own route tree. */
function routesOf(tree: string): Array<{ method: string; pattern: string }> {
  const out: Array<{ method: string; pattern: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(\S*)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    if (m[3]) for (const method of m[3].split(', ')) out.push({ method, pattern: stack.join('') });
  }
  return out;
}

/** Forms in which a secret could reach a log line. */
function encodings(secret: string): string[] {
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('base64'), [...Buffer.from(secret)].join(',')];
}

describe('logs at trace level carry no secret and always the request id', () => {
  let s: TestServer;
  let token: string;
  let reader: string;
  let caasKey: string;
  let uuid: string;
  const privateKeys = [fixture('openssh-ed25519.key'), fixture('pkcs8-rsa.key'), fixture('pkcs1-rsa.key')];

  before(async () => {
    s = await startTestServer({ config: { logLevel: 'trace' } });
    token = await s.token('root');
    reader = await s.token('read');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    const created = await s.request('POST', '/cloud/v1/caas/keys/1/1', { headers: { authorization: `APIKey ${token}` }, body: { name: 'k1', containers: [{ name: 'web', namespace: 'default' }] } });
    assert.equal(created.status, 200, created.text);
    caasKey = created.json().secret;
  });
  after(() => s.close());

  /** Sends a request carrying secrets in every place a client might put them. */
  async function send(method: string, path: string, opts: { authorization?: string | null; body?: unknown; raw?: string; contentType?: string; query?: false } = {}) {
    // One connection per request: a body the server leaves unread must not spill into the next request.
    const headers: Record<string, string> = { connection: 'close', 'x-api-key': caasKey, cookie: `session=${token}`, 'x-auth-token': token };
    if (opts.authorization !== null) headers.authorization = opts.authorization ?? `Bearer ${token}`;
    const sep = path.includes('?') ? '&' : '?';
    const url = opts.query === false ? path : `${path}${sep}token=${encodeURIComponent(token)}&api_key=${caasKey}&key=${caasKey}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    const bodyless = ['GET', 'HEAD', 'TRACE'].includes(method);
    if (bodyless) body = undefined;
    if (body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body)); // node:http frames no OPTIONS or DELETE body by itself
    }
    // node:http rather than fetch, which refuses TRACE and other methods the router accepts.
    return new Promise<number>((resolve, reject) => {
      const req = http.request(s.url + url, { method, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on("error", (e) => reject(new Error(`${method} ${path}: ${e.message}`)));
      req.end(body);
    });
  }

  it('through every route, error path and malformed request', async () => {
    const statuses = new Set<number>();
    const note = async (p: Promise<number>) => statuses.add(await p);
    const pk = privateKeys[0]!;
    const secretBody = { name: 'x', description: 'y', private_key: pk, token, secret: token, key: caasKey, containers: [{ name: 'web' }] };

    // Coolify: the happy path with real private keys, then its errors.
    const created = await fetch(`${s.url}/api/v1/security/keys?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-api-key': caasKey },
      body: JSON.stringify({ name: 'deploy', private_key: pk }),
    });
    assert.equal(created.status, 201);
    uuid = (await created.json()).uuid;
    await note(send('POST', '/api/v1/security/keys', { body: { private_key: Buffer.from(privateKeys[1]!).toString('base64') } }));
    await note(send('POST', '/api/v1/security/keys', { body: { private_key: pk } })); // 422 duplicate
    await note(send('POST', '/api/v1/security/keys', { body: { private_key: pk.replace('A', '!') } })); // 422 invalid
    await note(send('POST', '/api/v1/security/keys', { body: { name: 7, private_key: pk } })); // 422 validation
    await note(send('PATCH', `/api/v1/security/keys/${uuid}`, { body: { name: 'renamed', private_key: pk } }));
    await note(send('PATCH', `/api/v1/security/keys/${uuid}`, { body: { private_key: privateKeys[2] } }));
    await note(send('GET', `/api/v1/security/keys/${uuid}`));
    await note(send('GET', '/api/v1/security/keys', { authorization: `Bearer ${reader}` }));
    await note(send('POST', '/api/v1/security/keys', { authorization: `Bearer ${reader}`, body: { private_key: pk } })); // 403
    await note(send('GET', '/api/v1/security/keys', { authorization: `Bearer ${token.slice(0, -1)}0` })); // 401
    await note(send('GET', '/api/v1/security/keys', { authorization: null })); // 401, token only in X-API-Key, cookie and query
    await note(send('POST', '/api/v1/security/keys', { raw: `{"private_key": ${JSON.stringify(pk)}` })); // 400 malformed JSON
    await note(send('POST', '/api/v1/security/keys', { raw: JSON.stringify({ private_key: pk.repeat(60) }) })); // 413
    await note(send('GET', '/api/v1/nope'));
    await note(send('GET', '/api/%FF'));

    // Gcore CaaS.
    const caas = (method: string, path: string, o: Parameters<typeof send>[2] = {}) => send(method, `/cloud/v1/caas/keys/1/1${path}`, { authorization: `APIKey ${token}`, ...o });
    await note(caas('POST', '', { body: { name: 'k2', containers: [] } }));
    await note(caas('POST', '', { body: { name: caasKey, containers: token } })); // 400
    await note(caas('PATCH', '/k2', { body: { description: token, is_disabled: true } }));
    await note(caas('GET', '/k2'));
    await note(caas('GET', ''));
    await note(caas('GET', '/nope'));
    await note(caas('POST', '', { raw: `{"name": "${caasKey}"` })); // 400 malformed
    await note(caas('POST', '', { raw: JSON.stringify({ name: caasKey.repeat(2000) }) })); // 413
    await note(caas('GET', '', { authorization: `APIKey ${token.slice(0, -1)}0` })); // 401
    await note(caas('GET', '', { authorization: `APIKey ${token.split('|')[1]}` })); // bare secret
    await note(send('GET', '/cloud/v1/caas/keys/%FF/1', { authorization: `APIKey ${token}` }));
    await note(send('GET', `/cloud/v1/caas/keys/1/1/${'x'.repeat(1200)}`, { authorization: `APIKey ${token}` }));
    await note(caas('DELETE', '/k2'));

    // Native: ops, audit, gateway verification.
    await note(send('GET', '/healthz'));
    await note(send('GET', '/readyz'));
    await note(send('GET', '/metrics'));
    await note(send('GET', '/v1/audit', { query: false }));
    await note(send('GET', '/v1/audit?limit=0&cursor=' + encodeURIComponent(token))); // 400
    await note(send('GET', '/v1/audit', { authorization: `Basic ${token}` })); // 401
    await note(send('GET', '/v1/audit', { authorization: `Bearer ${reader}` })); // 403
    await note(send('GET', '/v1/nope'));
    await note(send('GET', '/nope'));
    await note(send('POST', '/v1/keys/verify', { body: { key: caasKey, container: { name: 'web' } } }));
    await note(send('POST', '/v1/keys/verify', { body: { key: caasKey } })); // 400
    await note(send('POST', '/v1/keys/verify', { raw: JSON.stringify({ key: caasKey.repeat(2000) }) })); // 413
    await note(send('GET', '/v1/forward-auth?container=web'));
    await note(send('GET', '/v1/forward-auth?container=db'));
    await note(send('GET', '/v1/forward-auth', { authorization: `Bearer ${caasKey}` }));

    // Every route the router knows (new ones included), by every method it accepts.
    const routes = routesOf(s.app.printRoutes({ commonPrefix: false }));
    assert.ok(routes.length >= 20, `found ${routes.length} routes`);
    for (const { method, pattern } of routes) {
      const path = pattern.replace(/:([A-Za-z_]+)/g, (_m, name: string) => ({ uuid, project_id: '1', region_id: '1', key_name: 'k1' })[name] ?? 'x');
      if (method === 'DELETE') continue; // deleted last, below
      await note(send(method, path, { body: secretBody }));
      await note(send(method, path, { authorization: `APIKey ${token}`, body: secretBody }));
    }

    // A request Node's HTTP parser refuses: Fastify logs the error, raw bytes included, at trace.
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(new URL(s.url).port), '127.0.0.1', () => {
        socket.write(`GET /v1/audit?token=${token} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nX-API-Key: ${caasKey}\r\nBroken header line\r\n\r\n`);
      });
      socket.on('data', () => {});
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });

    for (const { method, pattern } of routes.filter((r) => r.method === 'DELETE')) {
      await note(send(method, pattern.replace(/:([A-Za-z_]+)/g, (_m, name: string) => ({ uuid, project_id: '1', region_id: '1', key_name: 'k1' })[name] ?? 'x')));
    }

    // Unexpected failures: the database goes away under requests whose token is still cached.
    await s.runtime.db.close();
    await note(send('GET', '/api/v1/security/keys'));
    await note(send('POST', '/api/v1/security/keys', { body: { private_key: privateKeys[1] } }));
    await note(send('GET', '/cloud/v1/caas/keys/1/1', { authorization: `APIKey ${token}` }));
    await note(send('GET', '/v1/audit', { query: false }));
    await note(send('POST', '/v1/keys/verify', { body: { key: caasKey.slice(0, -1) + (caasKey.endsWith('0') ? '1' : '0'), container: { name: 'web' } } }));
    await note(send('GET', '/readyz'));

    for (const expected of [200, 201, 204, 400, 401, 403, 404, 413, 422, 500, 503]) assert.ok(statuses.has(expected), `no request answered ${expected}: ${[...statuses].sort().join(', ')}`);

    // The assertions proper.
    const logs = s.logs.join('');
    assert.ok(s.logs.length > 200, `only ${s.logs.length} log lines`);
    const secrets = [token, token.split('|')[1]!, reader, reader.split('|')[1]!, caasKey];
    for (const secret of secrets) {
      for (const form of encodings(secret)) assert.ok(!logs.includes(form), `a secret appears in the log (as ${JSON.stringify(form.slice(0, 12))}…)`);
    }
    for (const key of privateKeys) {
      const lines = key.split('\n').filter((l) => l && !l.startsWith('-----'));
      assert.ok(lines.length > 1);
      for (const line of lines) assert.ok(!logs.includes(line), `a private key line appears in the log: ${line.slice(0, 12)}…`);
      assert.ok(!logs.includes(Buffer.from(key).toString('base64').slice(0, 40)));
    }
    assert.ok(!/PRIVATE KEY/.test(logs));

    // Every line about a request names it; the only others are the process's own and the HTTP parser's.
    const parsed = s.logs.map((l) => JSON.parse(l) as { reqId?: string; msg: string; level: number; req?: unknown; err?: { rawPacket?: unknown } });
    const withoutRequest = parsed.filter((l) => l.reqId === undefined);
    for (const l of withoutRequest) assert.match(l.msg, /^(Server listening at |client error$)/, `a log line without reqId: ${JSON.stringify(l)}`);
    const clientError = withoutRequest.find((l) => l.msg === 'client error');
    assert.ok(clientError, 'the malformed request was logged');
    assert.equal(clientError.err?.rawPacket, '[redacted]');
    for (const l of parsed.filter((x) => x.reqId !== undefined)) assert.match(l.reqId!, /^[0-9a-f]{32}$/);
    const failures = parsed.filter((l) => l.level >= 50);
    assert.ok(failures.length >= 4, 'the 500s were logged');
    assert.ok(failures.every((l) => l.reqId), 'every error line has its request id');
  });
});
