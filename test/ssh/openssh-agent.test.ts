import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AgentRequest, type AgentResponse, encodeRequest, type SessionBind } from '../../src/ssh/agent-protocol.js';
import { SSH_AGENT_RSA_SHA2_256, SSH_AGENT_RSA_SHA2_512, signatureAlgorithm, signSsh, verifySsh } from '../../src/ssh/signature.js';
import { SshReader } from '../../src/ssh/wire.js';
import { agentRequest, connectAgent, type OpenSshAgent, startOpenSshAgent, startTestAgent, type TestAgent } from '../helpers/agent.js';
import { makeKey, removeDir, tempDir, type TestKey } from '../helpers/ssh-keys.js';

const signatureOf = (res: AgentResponse) => {
  assert.equal(res.kind, 'sign-response');
  return res.kind === 'sign-response' ? res.signature : Buffer.alloc(0);
};
const algorithmOf = (sig: Buffer) => new SshReader(sig).text();

/**
 * agent-protocol.ts's encoder and decoder against OpenSSH's own ssh-agent, and signSsh against the
 * signatures ssh-agent makes: Ed25519 and RSA PKCS#1 v1.5 are deterministic, so the blobs must be
 * byte-equal; ECDSA is not, so each side's signature must verify.
 */
describe('against OpenSSH ssh-agent', () => {
  let dir: string;
  let agent: OpenSshAgent;
  let ed: TestKey;
  let rsa: TestKey;
  let ec: TestKey;
  let host: TestKey;
  let otherHost: TestKey;
  let ours: TestAgent;
  before(async () => {
    dir = tempDir();
    ed = makeKey(dir, 'ed25519');
    rsa = makeKey(dir, 'rsa');
    ec = makeKey(dir, 'ecdsa');
    host = makeKey(dir, 'ed25519', 'host');
    otherHost = makeKey(dir, 'ecdsa', 'other-host');
    agent = await startOpenSshAgent(dir);
    for (const k of [ed, rsa, ec]) agent.add(k.path);
    ours = await startTestAgent(dir, [ed, rsa, ec]);
  });
  after(async () => {
    await ours?.close();
    await agent?.stop();
    removeDir(dir);
  });

  it('lists the added keys, blobs and comments decoded by parseResponse', async () => {
    const res = await agentRequest(agent.socketPath, { kind: 'request-identities' });
    assert.equal(res.kind, 'identities');
    if (res.kind !== 'identities') return;
    assert.deepEqual(
      res.identities.map((i) => [i.blob.toString('base64'), i.comment]),
      [ed, rsa, ec].map((k) => [k.blob.toString('base64'), k.comment]),
    );
  });

  it('Ed25519: signSsh gives the very bytes ssh-agent gives', async () => {
    for (const data of [Buffer.from('x'), Buffer.alloc(5000, 7), Buffer.from('session data \u0000 with nul')]) {
      const theirs = signatureOf(await agentRequest(agent.socketPath, { kind: 'sign', keyBlob: ed.blob, data, flags: 0 }));
      assert.deepEqual(signSsh(ed.signing, data), theirs);
    }
  });

  it('RSA: byte-equal for rsa-sha2-256 and rsa-sha2-512, and the same algorithm choice for every flag combination', async () => {
    const data = Buffer.from('rsa data');
    for (const flags of [0, SSH_AGENT_RSA_SHA2_256, SSH_AGENT_RSA_SHA2_512, SSH_AGENT_RSA_SHA2_256 | SSH_AGENT_RSA_SHA2_512]) {
      const theirs = signatureOf(await agentRequest(agent.socketPath, { kind: 'sign', keyBlob: rsa.blob, data, flags }));
      const algorithm = signatureAlgorithm('ssh-rsa', flags);
      assert.equal(algorithmOf(theirs), algorithm, `flags ${flags}`);
      if (algorithm !== 'ssh-rsa') assert.deepEqual(signSsh(rsa.signing, data, algorithm), theirs);
      assert.ok(verifySsh(rsa.blob, data, theirs));
    }
  });

  it('ECDSA: ssh-agent’s signature verifies with verifySsh, and ours with the same key', async () => {
    const data = Buffer.from('ecdsa data');
    const theirs = signatureOf(await agentRequest(agent.socketPath, { kind: 'sign', keyBlob: ec.blob, data, flags: 0 }));
    assert.equal(algorithmOf(theirs), 'ecdsa-sha2-nistp256');
    assert.ok(verifySsh(ec.blob, data, theirs));
    assert.ok(!verifySsh(ec.blob, Buffer.from('other'), theirs));
    assert.ok(verifySsh(ec.blob, data, signSsh(ec.signing, data)));
  });

  it('answers several requests on one connection in order, as keyhold’s agent does', async () => {
    for (const socketPath of [agent.socketPath, ours.socketPath]) {
      const c = await connectAgent(socketPath);
      const data = Buffer.from('pipelined');
      c.sendRaw(Buffer.concat([encodeRequest({ kind: 'sign', keyBlob: ed.blob, data, flags: 0 }), encodeRequest({ kind: 'request-identities' })]));
      assert.deepEqual(signatureOf(await c.next()), signSsh(ed.signing, data));
      assert.equal((await c.next()).kind, 'identities');
      c.close();
    }
  });

  it('keyhold’s agent answers session-binds, unsupported extensions and unknown messages with the same message types as ssh-agent', async () => {
    const bind = (key: TestKey, sid: string, isForwarding: boolean, signWith: TestKey = key): AgentRequest => {
      const sessionId = Buffer.from(sid.padEnd(32, '.'));
      const b: SessionBind = { hostKey: key.blob, sessionId, signature: signSsh(signWith.signing, sessionId), isForwarding };
      return { kind: 'session-bind', bind: b };
    };
    const sequences: Array<[AgentRequest[], string[]]> = [
      // Bound for authentication, then any further bind is refused.
      [
        [bind(host, 'sid1', false), bind(host, 'sid2', false), bind(host, 'sid1', false)],
        ['success', 'failure', 'failure'],
      ],
      // Forwarding hops: a repeat is accepted, the same session with another host key is not, then the final hop.
      [
        [bind(host, 'sid1', true), bind(host, 'sid1', true), bind(otherHost, 'sid1', true), bind(otherHost, 'sid2', false), bind(host, 'sid3', true)],
        ['success', 'success', 'failure', 'success', 'failure'],
      ],
      // A host signature made with another key.
      [[bind(host, 'sid1', false, otherHost)], ['failure']],
      // An unsupported extension gets SSH_AGENT_FAILURE, not SSH_AGENT_EXTENSION_FAILURE; so does an unknown message.
      [
        [
          { kind: 'extension', name: 'query', contents: Buffer.alloc(0) },
          { kind: 'extension', name: 'nonsense@example.com', contents: Buffer.from('abc') },
          { kind: 'unknown', type: 200 },
        ],
        ['failure', 'failure', 'failure'],
      ],
    ];
    for (const [seq, expected] of sequences) {
      const kinds = async (socketPath: string) => {
        const c = await connectAgent(socketPath);
        const out: string[] = [];
        for (const req of seq) out.push((await c.request(req)).kind);
        c.close();
        return out;
      };
      const theirs = await kinds(agent.socketPath);
      assert.deepEqual(theirs, expected);
      assert.deepEqual(await kinds(ours.socketPath), theirs);
    }
  });
});
