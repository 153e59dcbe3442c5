import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AGENT_MAX_MESSAGE, encodeRequest, frame } from '../../src/ssh/agent-protocol.js';
import { startAgentServer } from '../../src/ssh/agent-server.js';
import { signSsh } from '../../src/ssh/signature.js';
import { connectAgent, startTestAgent, type TestAgent } from '../helpers/agent.js';
import { runTool } from '../helpers/run-tool.js';
import { makeKey, removeDir, tempDir, type TestKey } from '../helpers/ssh-keys.js';

/**
 * keyhold's agent server against OpenSSH's ssh-add, and against input no client should send: it
 * lists exactly the identities given, refuses every key-store request, closes a connection whose
 * framing is broken, answers a malformed request with a failure, and keeps serving.
 */
describe('agent server', () => {
  let dir: string;
  let keys: TestKey[];
  let agent: TestAgent;
  const sshAdd = (args: string[], env: Record<string, string> = {}) => runTool('ssh-add', args, { env: { SSH_AUTH_SOCK: agent.socketPath, ...env } });

  before(async () => {
    dir = tempDir();
    keys = [makeKey(dir, 'ed25519'), makeKey(dir, 'rsa'), makeKey(dir, 'ecdsa')];
    agent = await startTestAgent(dir, keys, (req) => (req.data.toString() === 'refuse me' ? 'policy says no' : undefined));
  });
  after(async () => {
    await agent?.close();
    removeDir(dir);
  });

  it('makes its socket 0600 in a 0700 directory', () => {
    assert.equal(fs.statSync(agent.socketPath).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(agent.socketPath)).mode & 0o777, 0o700);
    assert.ok(fs.statSync(agent.socketPath).isSocket());
  });

  it('ssh-add -l and -L list exactly the identities given, in order', async () => {
    const l = await sshAdd(['-l']);
    assert.equal(l.code, 0, l.stderr);
    const types = ['ED25519', 'RSA', 'ECDSA'];
    const bits = [256, 2048, 256];
    assert.equal(l.stdout, keys.map((k, i) => `${bits[i]} ${k.fingerprint} ${k.comment} (${types[i]})\n`).join(''));
    const L = await sshAdd(['-L']);
    assert.equal(L.code, 0, L.stderr);
    assert.equal(L.stdout, keys.map((k) => `${k.publicLine}\n`).join(''));
  });

  it('refuses ssh-add of a key, -d, -D, -x and -X, and still lists afterwards', async () => {
    const extra = makeKey(dir, 'ed25519', 'extra');
    const askpass = path.join(dir, 'askpass.sh');
    fs.writeFileSync(askpass, '#!/bin/sh\necho lock-password\n', { mode: 0o700 });
    const pw = { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' };
    const before = agent.refusals.length;
    for (const [args, env] of [[[extra.path]], [['-d', keys[0]!.pubPath]], [['-D']], [['-x'], pw], [['-X'], pw]] as Array<
      [string[], Record<string, string>?]
    >) {
      const r = await sshAdd(args, env);
      assert.notEqual(r.code, 0, `ssh-add ${args.join(' ')} succeeded: ${r.stdout}${r.stderr}`);
    }
    const names = agent.refusals.slice(before).map((r) => r.split(' ')[0]);
    for (const n of ['add-identity', 'remove-identity', 'remove-all-identities', 'lock', 'unlock'])
      assert.ok(names.includes(n), `${n} not refused: ${names.join(', ')}`);
    const L = await sshAdd(['-L']);
    assert.equal(L.stdout, keys.map((k) => `${k.publicLine}\n`).join(''));
  });

  it('answers a sign refusal, an unknown key and a request with trailing bytes with SSH_AGENT_FAILURE on a connection that stays open', async () => {
    const c = await connectAgent(agent.socketPath);
    const before = agent.refusals.length;
    assert.equal((await c.request({ kind: 'sign', keyBlob: keys[0]!.blob, data: Buffer.from('refuse me'), flags: 0 })).kind, 'failure');
    assert.equal((await c.request({ kind: 'sign', keyBlob: makeKey(dir, 'ed25519', 'stranger').blob, data: Buffer.from('x'), flags: 0 })).kind, 'failure');
    const sign = encodeRequest({ kind: 'sign', keyBlob: keys[0]!.blob, data: Buffer.from('x'), flags: 0 }).subarray(4);
    c.sendRaw(frame(Buffer.concat([sign, Buffer.from([0])])));
    assert.equal((await c.next()).kind, 'failure');
    assert.deepEqual(agent.refusals.slice(before), ['policy says no', 'no such key', 'malformed request: 1 trailing bytes after sign request']);
    const ok = await c.request({ kind: 'sign', keyBlob: keys[0]!.blob, data: Buffer.from('x'), flags: 0 });
    assert.deepEqual(ok, { kind: 'sign-response', signature: signSsh(keys[0]!.signing, Buffer.from('x')) });
    c.close();
  });

  it('closes a connection on an oversize frame, an empty frame or garbage, and serves the next connection', async () => {
    const over = Buffer.alloc(4);
    over.writeUInt32BE(AGENT_MAX_MESSAGE + 1);
    for (const bytes of [over, Buffer.alloc(4), Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]) {
      const c = await connectAgent(agent.socketPath);
      c.sendRaw(bytes);
      await c.closed;
      assert.match(agent.refusals.at(-1)!, /^connection closed: /);
    }
    // A frame cut short by the client closing: noted, nothing answered, nothing broken.
    const c = await connectAgent(agent.socketPath);
    c.sendRaw(Buffer.from('0000000a0d0000', 'hex'));
    c.close();
    await c.closed;
    const l = await sshAdd(['-l']);
    assert.equal(l.code, 0);
    assert.equal(l.stdout.split('\n').length - 1, keys.length);
  });

  it('answers the frames before a broken one, then closes', async () => {
    const c = await connectAgent(agent.socketPath);
    c.sendRaw(Buffer.concat([encodeRequest({ kind: 'request-identities' }), Buffer.from('ffffffff', 'hex')]));
    assert.equal((await c.next()).kind, 'identities');
    await c.closed;
  });

  it('refuses to start in a directory that is group- or world-accessible, or another user’s, or over a live agent', async () => {
    const loose = path.join(dir, 'loose');
    fs.mkdirSync(loose, { mode: 0o755 });
    fs.chmodSync(loose, 0o755);
    const opts = { identities: async () => [], sign: async () => ({ refused: 'no' }) };
    await assert.rejects(startAgentServer({ ...opts, socketPath: path.join(loose, 's') }), /mode 755/);
    const theirs = path.join(dir, 'theirs');
    fs.mkdirSync(theirs, { mode: 0o700 });
    fs.chownSync(theirs, 65534, 65534);
    await assert.rejects(startAgentServer({ ...opts, socketPath: path.join(theirs, 's') }), /belongs to uid 65534/);
    await assert.rejects(startAgentServer({ ...opts, socketPath: agent.socketPath }), /already listening/);
  });

  it('replaces a stale socket, and close() removes the socket and the directory it made', async () => {
    const sockDir = path.join(dir, 'stale');
    fs.mkdirSync(sockDir, { mode: 0o700 });
    const socketPath = path.join(sockDir, 's');
    // A socket file nobody listens on, as a killed agent leaves it.
    await runTool(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.ok(fs.statSync(socketPath).isSocket());
    const s = await startAgentServer({ socketPath, identities: async () => [], sign: async () => ({ refused: 'no' }) });
    await s.close();
    assert.ok(!fs.existsSync(socketPath));
    assert.ok(fs.existsSync(sockDir), 'a directory it did not make is left');
    const made = path.join(dir, 'made', 's');
    const m = await startAgentServer({ socketPath: made, identities: async () => [], sign: async () => ({ refused: 'no' }) });
    await m.close();
    assert.ok(!fs.existsSync(path.dirname(made)));
  });
});
