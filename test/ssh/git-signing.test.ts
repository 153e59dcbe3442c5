import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseSshsigSignedData } from '../../src/ssh/sshsig.js';
import { startTestAgent, type TestAgent } from '../helpers/agent.js';
import { runTool } from '../helpers/run-tool.js';
import { makeKey, removeDir, tempDir, type TestKey } from '../helpers/ssh-keys.js';

/**
 * git commit signing with `gpg.format=ssh` and a literal `key::` signing key, through keyhold's
 * agent: git runs ssh-keygen -Y sign, which asks the agent; git verify-commit checks the result
 * against an allowed signers file. No git or ssh configuration of the machine is read.
 */
describe('git commit signing through the agent', () => {
  let dir: string;
  let repo: string;
  let agent: TestAgent;
  let key: TestKey;
  let stranger: TestKey;
  const namespaces: string[] = [];
  let env: Record<string, string>;
  const git = (args: string[]) => runTool('git', args, { cwd: repo, env });

  before(async () => {
    dir = tempDir();
    key = makeKey(dir, 'ed25519', 'signer');
    stranger = makeKey(dir, 'ed25519', 'stranger');
    fs.rmSync(key.path);
    agent = await startTestAgent(dir, [key], (req) => {
      try {
        namespaces.push(parseSshsigSignedData(req.data).namespace);
        return undefined;
      } catch (e) {
        return `not SSHSIG: ${(e as Error).message}`;
      }
    });
    repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    env = {
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Keyhold Test',
      GIT_AUTHOR_EMAIL: 'test@keyhold.invalid',
      GIT_COMMITTER_NAME: 'Keyhold Test',
      GIT_COMMITTER_EMAIL: 'test@keyhold.invalid',
      SSH_AUTH_SOCK: agent.socketPath,
    };
    assert.equal((await git(['init', '-q'])).code, 0);
  });
  after(async () => {
    await agent?.close();
    removeDir(dir);
  });

  it('commits with -S and verify-commit accepts the signature; a signers file without the key refuses it', async () => {
    fs.writeFileSync(path.join(repo, 'file.txt'), 'signed content\n');
    assert.equal((await git(['add', 'file.txt'])).code, 0);
    const c = await git(['-c', 'gpg.format=ssh', '-c', `user.signingkey=key::${key.publicLine}`, 'commit', '-q', '-S', '-m', 'signed commit']);
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(namespaces, ['git']);
    const raw = await git(['cat-file', 'commit', 'HEAD']);
    assert.match(raw.stdout, /^gpgsig -----BEGIN SSH SIGNATURE-----$/m);

    const allowed = path.join(dir, 'allowed_signers');
    fs.writeFileSync(allowed, `test@keyhold.invalid namespaces="git" ${key.publicLine}\n`);
    const v = await git(['-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${allowed}`, 'verify-commit', 'HEAD']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, /Good "git" signature for test@keyhold\.invalid with ED25519 key/);

    const wrong = path.join(dir, 'allowed_signers_wrong');
    fs.writeFileSync(wrong, `test@keyhold.invalid namespaces="git" ${stranger.publicLine}\n`);
    const bad = await git(['-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${wrong}`, 'verify-commit', 'HEAD']);
    assert.notEqual(bad.code, 0);
  });
});
