import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { agentEnv, agentRun, makeToken, metricValue, setPolicy, signatures, SSH_SIGN_BIN, type StoredKey, storeKey } from '../helpers/keyhold-agent.js';
import { runTool } from '../helpers/run-tool.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeKey, removeDir, tempDir } from '../helpers/ssh-keys.js';

const SIGNER = 'test@keyhold.invalid';

/**
 * SSHSIG signatures with a key held in keyhold: `ssh-keygen -Y sign` through `keyhold agent`, and
 * `git commit -S` with keyhold-ssh-sign as gpg.ssh.program and no agent socket at all. Both give
 * signatures the real `ssh-keygen -Y verify` and `git verify-commit` accept when the key's purposes
 * include `git`, and both are refused (non-zero exit, the refusal on stderr) under the default
 * policy, `["ssh"]`.
 */
describe(`SSH signatures for git with keyhold (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let dir: string;
  let repo: string;
  let key: StoredKey;
  let env: Record<string, string>;
  let allowed: string;
  let message: string;

  const gitEnv = (): Record<string, string> => ({
    ...env,
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Keyhold Test',
    GIT_AUTHOR_EMAIL: SIGNER,
    GIT_COMMITTER_NAME: 'Keyhold Test',
    GIT_COMMITTER_EMAIL: SIGNER,
  });
  /** git with keyhold-ssh-sign as its SSH signing program; runTool never passes SSH_AUTH_SOCK on. */
  const git = (args: string[]) =>
    runTool(
      'git',
      [
        '-c',
        'gpg.format=ssh',
        '-c',
        `user.signingkey=key::${key.publicLine}`,
        '-c',
        `gpg.ssh.program=${SSH_SIGN_BIN}`,
        '-c',
        `gpg.ssh.allowedSignersFile=${allowed}`,
        ...args,
      ],
      {
        cwd: repo,
        env: gitEnv(),
      },
    );
  const keygenSign = () => agentRun(env, ['ssh-keygen', '-Y', 'sign', '-n', 'git', '-f', key.pubPath, message]);
  const keygenVerify = (file = message) =>
    runTool('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', SIGNER, '-n', 'git', '-s', `${message}.sig`], { input: fs.readFileSync(file, 'utf8') });

  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    dir = tempDir();
    key = await storeKey(s, root, dir, 'ed25519', 'signer');
    env = agentEnv(s, (await makeToken(s, root, { privateKeys: [key.uuid] })).token);
    allowed = path.join(dir, 'allowed_signers');
    fs.writeFileSync(allowed, `${SIGNER} namespaces="git" ${key.publicLine}\n`);
    message = path.join(dir, 'release.txt');
    fs.writeFileSync(message, 'release 1.0\n');
    repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    assert.equal((await runTool('git', ['init', '-q'], { cwd: repo, env: gitEnv() })).code, 0);
    fs.writeFileSync(path.join(repo, 'file.txt'), 'signed content\n');
    assert.equal((await runTool('git', ['add', 'file.txt'], { cwd: repo, env: gitEnv() })).code, 0);
  });
  after(async () => {
    await s?.close();
    if (dir) removeDir(dir);
  });

  it('refuses both under the default policy (purposes ["ssh"]): non-zero exit, the refusal on stderr, audited', async () => {
    const why = 'signing refused (purpose): key signer signs only for ssh, not git';
    const signed = await keygenSign();
    assert.notEqual(signed.code, 0);
    assert.ok(signed.stderr.includes(`keyhold agent: refused: signer: ${why}\n`), signed.stderr);
    assert.equal(fs.existsSync(`${message}.sig`), false);

    const commit = await git(['commit', '-q', '-S', '-m', 'signed commit']);
    assert.notEqual(commit.code, 0);
    assert.ok(commit.stderr.includes(`keyhold-ssh-sign: refused: ${why}\n`), commit.stderr);
    assert.equal((await runTool('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: repo, env: gitEnv() })).code, 1, 'no commit was made');

    const [last, previous] = await signatures(s, root, key.uuid);
    for (const row of [last!, previous!]) {
      assert.deepEqual(row.detail, {
        outcome: 'refused',
        purpose: 'git',
        key_fingerprint: key.fingerprint,
        user: null,
        host_fingerprint: null,
        namespace: 'git',
        forwarded: false,
        reason: 'purpose',
        message: why,
      });
    }
  });

  it('with purposes [ssh, git]: ssh-keygen -Y sign through the agent gives a signature ssh-keygen -Y verify accepts', async () => {
    await setPolicy(s, root, key.uuid, { purposes: ['ssh', 'git'] });
    const before = await metricValue(s, 'keyhold_ssh_signatures_total', { outcome: 'signed', purpose: 'git' });
    const signed = await keygenSign();
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(fs.readFileSync(`${message}.sig`, 'utf8'), /^-----BEGIN SSH SIGNATURE-----\n/);

    const v = await keygenVerify();
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, new RegExp(`Good "git" signature for ${SIGNER} with ED25519 key ${key.fingerprint.replace(/[+/]/g, '\\$&')}`));
    // The signature covers the file: another content does not verify.
    const other = path.join(dir, 'other.txt');
    fs.writeFileSync(other, 'release 1.1\n');
    assert.notEqual((await keygenVerify(other)).code, 0);

    const [row] = await signatures(s, root, key.uuid);
    assert.equal(row!.detail.outcome, 'signed');
    assert.equal(row!.detail.purpose, 'git');
    assert.equal(row!.detail.namespace, 'git');
    assert.equal(await metricValue(s, 'keyhold_ssh_signatures_total', { outcome: 'signed', purpose: 'git' }), before + 1);
  });

  it('with purposes [ssh, git]: git commit -S through keyhold-ssh-sign (no agent socket) verifies with git verify-commit', async () => {
    await setPolicy(s, root, key.uuid, { purposes: ['ssh', 'git'] });
    const commit = await git(['commit', '-q', '-S', '-m', 'signed commit']);
    assert.equal(commit.code, 0, commit.stderr);
    const raw = await runTool('git', ['cat-file', 'commit', 'HEAD'], { cwd: repo, env: gitEnv() });
    assert.match(raw.stdout, /^gpgsig -----BEGIN SSH SIGNATURE-----$/m);

    // verify-commit runs gpg.ssh.program too (find-principals, verify): keyhold-ssh-sign hands those to ssh-keygen.
    const v = await git(['verify-commit', 'HEAD']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, new RegExp(`Good "git" signature for ${SIGNER} with ED25519 key`));

    // And a signers file without this key refuses it: the verification is real.
    const wrong = path.join(dir, 'allowed_signers_other');
    fs.writeFileSync(wrong, `${SIGNER} namespaces="git" ${makeKey(dir, 'ed25519', 'stranger').publicLine}\n`);
    const bad = await runTool(
      'git',
      ['-c', 'gpg.format=ssh', '-c', `gpg.ssh.program=${SSH_SIGN_BIN}`, '-c', `gpg.ssh.allowedSignersFile=${wrong}`, 'verify-commit', 'HEAD'],
      { cwd: repo, env: gitEnv() },
    );
    assert.notEqual(bad.code, 0);

    const [row] = await signatures(s, root, key.uuid);
    assert.equal(row!.detail.outcome, 'signed');
    assert.equal(row!.detail.namespace, 'git');
  });
});
