import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signatureAlgorithm, signSsh } from '../../src/ssh/signature.js';
import { armorSshsig, buildSshsigSignedData, parseSshsigSignedData } from '../../src/ssh/sshsig.js';
import { SshWriter, WireError } from '../../src/ssh/wire.js';
import { startTestAgent, type TestAgent } from '../helpers/agent.js';
import { runTool } from '../helpers/run-tool.js';
import { makeKey, removeDir, tempDir, type TestKey } from '../helpers/ssh-keys.js';

describe('SSHSIG signed data', () => {
  it('parses what it builds: namespace, hash algorithm, H(message)', () => {
    const msg = Buffer.from('tree 1234\n');
    for (const alg of ['sha256', 'sha512']) {
      const got = parseSshsigSignedData(buildSshsigSignedData(msg, 'git', alg));
      assert.deepEqual(got, { namespace: 'git', hashAlgorithm: alg, hash: createHash(alg).update(msg).digest(), reserved: Buffer.alloc(0) });
    }
  });

  it('refuses the wrong magic, trailing bytes, an unknown hash, a hash of the wrong length, an empty namespace', () => {
    const good = buildSshsigSignedData(Buffer.from('m'), 'file');
    assert.throws(() => parseSshsigSignedData(Buffer.concat([Buffer.from('SSHSIH'), good.subarray(6)])), /not SSHSIG signed data/);
    assert.throws(() => parseSshsigSignedData(Buffer.from('SSH')), WireError);
    assert.throws(() => parseSshsigSignedData(Buffer.concat([good, Buffer.from([0])])), /trailing bytes/);
    const md5 = new SshWriter().raw(Buffer.from('SSHSIG')).string('file').string('').string('md5').string(Buffer.alloc(16)).bytes();
    assert.throws(() => parseSshsigSignedData(md5), /md5 is not sha256 or sha512/);
    const short = new SshWriter().raw(Buffer.from('SSHSIG')).string('file').string('').string('sha512').string(Buffer.alloc(32)).bytes();
    assert.throws(() => parseSshsigSignedData(short), /sha512 hash has 64 bytes, not 32/);
    const empty = new SshWriter().raw(Buffer.from('SSHSIG')).string('').string('').string('sha512').string(Buffer.alloc(64)).bytes();
    assert.throws(() => parseSshsigSignedData(empty), /must not be empty/);
    assert.throws(() => buildSshsigSignedData(Buffer.from('m'), ''), /must not be empty/);
  });
});

/**
 * SSHSIG against ssh-keygen -Y: signing through keyhold's agent, and keyhold's own armored output,
 * which must be what ssh-keygen writes, byte for byte, for deterministic signatures.
 */
describe('SSHSIG with ssh-keygen -Y', () => {
  let dir: string;
  let agent: TestAgent;
  let inAgent: Record<'ed25519' | 'rsa' | 'ecdsa', TestKey>;
  let onDisk: Record<'ed25519' | 'rsa' | 'ecdsa', TestKey>;
  const seen: string[] = [];
  let message: string;
  let allowedSigners: string;

  const verify = (sigFile: string, principal: string) =>
    runTool('ssh-keygen', ['-Y', 'verify', '-n', 'git', '-s', sigFile, '-I', principal, '-f', allowedSigners], { input: fs.readFileSync(message, 'utf8') });

  before(async () => {
    dir = tempDir();
    inAgent = { ed25519: makeKey(dir, 'ed25519', 'agent-ed'), rsa: makeKey(dir, 'rsa', 'agent-rsa'), ecdsa: makeKey(dir, 'ecdsa', 'agent-ec') };
    onDisk = { ed25519: makeKey(dir, 'ed25519', 'disk-ed'), rsa: makeKey(dir, 'rsa', 'disk-rsa'), ecdsa: makeKey(dir, 'ecdsa', 'disk-ec') };
    // Only the agent can sign with these.
    for (const k of Object.values(inAgent)) fs.rmSync(k.path);
    message = path.join(dir, 'message.txt');
    fs.writeFileSync(message, 'a file to sign\nwith two lines\n');
    allowedSigners = path.join(dir, 'allowed_signers');
    fs.writeFileSync(
      allowedSigners,
      [...Object.values(inAgent), ...Object.values(onDisk)].map((k) => `${k.comment} namespaces="git" ${k.publicLine}\n`).join(''),
    );
    agent = await startTestAgent(dir, Object.values(inAgent), (req) => {
      try {
        seen.push(parseSshsigSignedData(req.data).namespace);
        return undefined;
      } catch (e) {
        return `not SSHSIG: ${(e as Error).message}`;
      }
    });
  });
  after(async () => {
    await agent?.close();
    removeDir(dir);
  });

  for (const kind of ['ed25519', 'rsa', 'ecdsa'] as const) {
    it(`ssh-keygen -Y sign with a ${kind} key in keyhold's agent makes a signature ssh-keygen -Y verify accepts`, async () => {
      const key = inAgent[kind];
      const sigFile = `${message}.sig`;
      fs.rmSync(sigFile, { force: true });
      const before = agent.signed.length;
      const s = await runTool('ssh-keygen', ['-Y', 'sign', '-n', 'git', '-f', key.pubPath, message], { env: { SSH_AUTH_SOCK: agent.socketPath } });
      assert.equal(s.code, 0, s.stderr);
      assert.equal(agent.signed.length, before + 1);
      const req = agent.signed.at(-1)!;
      assert.equal(seen.at(-1), 'git');
      const data = parseSshsigSignedData(req.data);
      assert.equal(data.hashAlgorithm, 'sha512');
      assert.deepEqual(data.hash, createHash('sha512').update(fs.readFileSync(message)).digest());
      if (kind === 'rsa') assert.equal(req.algorithm, 'rsa-sha2-512');
      const v = await verify(sigFile, key.comment);
      assert.equal(v.code, 0, v.stderr);
      assert.match(v.stdout, new RegExp(`^Good "git" signature for ${key.comment} with `));
      // The file ssh-keygen wrote is sshsig.ts's armor around what the agent answered.
      if (kind !== 'ecdsa') {
        const sig = signSsh(key.signing, req.data, req.algorithm);
        assert.equal(fs.readFileSync(sigFile, 'utf8'), armorSshsig({ publicBlob: key.blob, namespace: 'git', hashAlgorithm: 'sha512', signature: sig }));
      }
    });
  }

  for (const kind of ['ed25519', 'rsa', 'ecdsa'] as const) {
    it(`armorSshsig around signSsh (${kind}) verifies with ssh-keygen -Y verify${kind === 'ecdsa' ? '' : ' and equals what ssh-keygen -Y sign writes'}`, async () => {
      const key = onDisk[kind];
      const signed = buildSshsigSignedData(fs.readFileSync(message), 'git');
      const algorithm = signatureAlgorithm(key.signing.type, 4);
      const armored = armorSshsig({ publicBlob: key.blob, namespace: 'git', hashAlgorithm: 'sha512', signature: signSsh(key.signing, signed, algorithm) });
      const ours = path.join(dir, `ours-${kind}.sig`);
      fs.writeFileSync(ours, armored);
      const v = await verify(ours, key.comment);
      assert.equal(v.code, 0, v.stderr);
      // And a wrong principal or another message is refused: the check above can fail.
      assert.notEqual((await verify(ours, inAgent.ed25519.comment)).code, 0);
      const other = await runTool('ssh-keygen', ['-Y', 'verify', '-n', 'git', '-s', ours, '-I', key.comment, '-f', allowedSigners], {
        input: 'something else\n',
      });
      assert.notEqual(other.code, 0);
      if (kind === 'ecdsa') return;
      const theirsFile = path.join(dir, `theirs-${kind}.txt`);
      fs.copyFileSync(message, theirsFile);
      const s = await runTool('ssh-keygen', ['-Y', 'sign', '-n', 'git', '-f', key.path, theirsFile]);
      assert.equal(s.code, 0, s.stderr);
      assert.equal(armored, fs.readFileSync(`${theirsFile}.sig`, 'utf8'));
    });
  }

  it('wraps the base64 at 70 columns, as ssh-keygen does', () => {
    const key = onDisk.rsa;
    const armored = armorSshsig({
      publicBlob: key.blob,
      namespace: 'git',
      hashAlgorithm: 'sha512',
      signature: signSsh(key.signing, Buffer.from('x'), 'rsa-sha2-512'),
    });
    const lines = armored.split('\n');
    assert.equal(lines[0], '-----BEGIN SSH SIGNATURE-----');
    assert.equal(lines.at(-2), '-----END SSH SIGNATURE-----');
    assert.equal(lines.at(-1), '');
    const body = lines.slice(1, -2);
    assert.ok(body.slice(0, -1).every((l) => l.length === 70));
    assert.ok(body.at(-1)!.length > 0 && body.at(-1)!.length <= 70);
  });
});
