import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { agentRun, knownHostsFor, loginArgs, makeToken, setPolicy, SSH_SIGN_BIN, type StoredKey, storeKey } from '../helpers/keyhold-agent.js';
import { runTool, type ToolResult } from '../helpers/run-tool.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type Sshd, startSshd } from '../helpers/sshd.js';
import { removeDir, tempDir } from '../helpers/ssh-keys.js';

/** A TCP proxy in front of the server that keeps every byte each way: what the agent and the tests sent and were answered. */
async function recordingProxy(port: number): Promise<{ url: string; sent: Buffer[]; answered: Buffer[]; close(): Promise<void> }> {
  const sent: Buffer[] = [];
  const answered: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d: Buffer) => (sent.push(d), upstream.write(d)));
    upstream.on('data', (d: Buffer) => (answered.push(d), client.write(d)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    sent,
    answered,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The forms in which a stored key's private part could leak: the base64 lines of its file, and the
 * private fields of its JWK (base64url, base64, hex). A file line that is also in the public key's
 * base64 (an OpenSSH file holds the public blob, at some alignment) is public, and left out.
 */
function secretForms(key: StoredKey): string[] {
  const publicForms = [0, 1, 2].map((i) => key.blob.subarray(i).toString('base64'));
  const lines = key.privateText
    .split('\n')
    .filter((l) => l.length >= 16 && !l.startsWith('-----') && !publicForms.some((p) => p.includes(l.replace(/=+$/, ''))));
  const jwk = key.signing.privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const fields = ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((f) => jwk[f]).filter((v): v is string => typeof v === 'string' && v.length >= 16);
  return [...lines, ...fields.flatMap((f) => [f, Buffer.from(f, 'base64url').toString('base64'), Buffer.from(f, 'base64url').toString('hex')])];
}

/**
 * No response, request, log line (at trace level) or audit entry of the signing flows carries
 * private key material: every byte between the agent, keyhold-ssh-sign, the tests and the server
 * goes through a recording proxy, then each key's secret forms are looked for in it, in the
 * server's log, in the whole audit trail and in the tools' output.
 */
describe(`keyhold agent: no private key material anywhere (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let dir: string;
  let sshd: Sshd;
  let knownHosts: string;
  let keys: StoredKey[];
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  const outputs: ToolResult[] = [];

  before(async () => {
    s = await startTestServer({ config: { logLevel: 'trace' } });
    root = await s.token('root');
    dir = tempDir();
    // Uploaded directly (the upload carries the key, by design); every later byte goes through the proxy.
    keys = [await storeKey(s, root, dir, 'ed25519', 'ed'), await storeKey(s, root, dir, 'rsa', 'rsa'), await storeKey(s, root, dir, 'ecdsa', 'ec')];
    sshd = await startSshd();
    for (const k of keys) sshd.addAuthorizedKey('root', k.publicLine);
    knownHosts = knownHostsFor(dir, sshd);
    proxy = await recordingProxy(Number(new URL(s.url).port));
  });
  after(async () => {
    await proxy?.close();
    await sshd?.stop();
    await s?.close();
    if (dir) removeDir(dir);
  });

  /** A request through the proxy, answering the parsed body. */
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(proxy.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text };
  };

  it('the forms looked for are the key material: the root reveal (not through the proxy) contains them', async () => {
    for (const k of keys) {
      const revealed = (await s.request('POST', `/v1/private-keys/${k.uuid}/reveal`, { token: root })).json().private_key as string;
      const lines = k.privateText.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'));
      assert.ok(lines.length > 0);
      for (const l of lines) assert.ok(revealed.includes(l), `${k.comment}: the revealed key has ${l}`);
      assert.ok(secretForms(k).length > lines.length);
    }
  });

  it('logins, listings, refusals, git signing and every read of keys, signatures and audit carry none of it', async () => {
    const signer = await makeToken(s, root, { name: 'signer' });
    const env = { KEYHOLD_URL: proxy.url, KEYHOLD_TOKEN: signer.token };
    const run = async (p: Promise<ToolResult>) => {
      const r = await p;
      outputs.push(r);
      return r;
    };
    for (const k of keys) {
      const r = await run(agentRun(env, ['ssh', ...loginArgs(sshd, k, knownHosts, 'root', 'echo ok')]));
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal((await run(agentRun(env, ['ssh-add', '-L']))).code, 0);
    // A refusal (users), an SSHSIG signature and a git signature through keyhold-ssh-sign.
    await setPolicy(s, root, keys[0]!.uuid, { users: ['nobody-else'], purposes: ['ssh', 'git', 'file'] });
    assert.notEqual((await run(agentRun(env, ['ssh', ...loginArgs(sshd, keys[0]!, knownHosts, 'root', 'echo ok')]))).code, 0);
    const signed = await run(runTool(SSH_SIGN_BIN, ['-Y', 'sign', '-n', 'file', '-f', keys[0]!.pubPath, '-'], { env, input: 'some file\n' }));
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stdout, /^-----BEGIN SSH SIGNATURE-----/);
    // Refused bytes through the API, and every read a sign or root token can make.
    assert.equal((await call('POST', `/v1/private-keys/${keys[0]!.uuid}/sign`, signer.token, { data: randomBytes(48).toString('base64') })).status, 400);
    const reads = [
      ['GET', '/v1/private-keys', signer.token],
      ['GET', '/v1/private-keys', root],
      ...keys.flatMap((k) => [
        ['GET', `/v1/private-keys/${k.uuid}`, signer.token],
        ['GET', `/v1/private-keys/${k.uuid}`, root],
        ['GET', `/v1/private-keys/${k.uuid}/signatures`, signer.token],
        ['POST', `/v1/private-keys/${k.uuid}/reveal`, signer.token],
        ['GET', `/api/v1/security/keys/${k.uuid}`, signer.token],
      ]),
      ['GET', '/v1/audit?limit=200', root],
      ['GET', '/v1/tokens', root],
      ['GET', '/v1/me', signer.token],
      ['GET', '/metrics', root],
    ] as const;
    for (const [method, path, token] of reads) {
      const r = await call(method, path, token);
      assert.ok(r.status === 200 || r.status === 403, `${method} ${path}: ${r.status} ${r.text}`);
    }

    const answered = Buffer.concat(proxy.answered).toString('latin1');
    const sent = Buffer.concat(proxy.sent).toString('latin1');
    assert.match(answered, /private_key\.sign/, 'the recording has the audit answer');
    assert.match(sent, /\/sign HTTP\/1\.1/, "the recording has the agent's sign requests");
    const audit = (await s.request('GET', '/v1/audit?limit=200', { token: root })).text;
    const logs = s.logs.join('');
    assert.match(logs, /private-keys/, 'the log has the requests');
    const tools = outputs.map((o) => o.stdout + o.stderr).join('\n');
    for (const k of keys) {
      for (const secret of secretForms(k)) {
        for (const [where, text] of [
          ['a response', answered],
          ['a request', sent],
          ['the log', logs],
          ['the audit', audit],
          ["a tool's output", tools],
        ] as const) {
          assert.ok(!text.includes(secret), `${k.comment}'s private key material (${secret}) is in ${where}`);
        }
      }
    }
  });
});
