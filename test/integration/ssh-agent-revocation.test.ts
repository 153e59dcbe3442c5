import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { keyholdAsync } from '../helpers/cli.js';
import { dialectUnderTest } from '../helpers/db.js';
import {
  agentEnv,
  type ForegroundAgent,
  knownHostsFor,
  loginArgs,
  makeToken,
  startForegroundAgent,
  type StoredKey,
  storeKey,
} from '../helpers/keyhold-agent.js';
import { runTool } from '../helpers/run-tool.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type Sshd, startSshd } from '../helpers/sshd.js';
import { removeDir, tempDir } from '../helpers/ssh-keys.js';

/** The bound: a revoked token stops signing within this, through an agent that keeps running. */
const REVOCATION_BOUND_MS = 1000;

/**
 * Revoking the agent's token stops the next login through a still-running `keyhold agent`
 * within 1 s: through the API (the server forgets the token at once), and through the CLI on the
 * same store (SQLite: the server sees the other connection's commit by polling data_version;
 * PostgreSQL: NOTIFY). The server's token cache (5 s in the test config) must not keep it alive.
 */
describe(`keyhold agent: token revocation (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let dir: string;
  let sshd: Sshd;
  let knownHosts: string;
  let key: StoredKey;

  before(async () => {
    s = await startTestServer();
    assert.ok(s.config.tokenCacheTtlMs > REVOCATION_BOUND_MS, 'the token cache outlives the bound: revocation must clear it');
    root = await s.token('root');
    dir = tempDir();
    key = await storeKey(s, root, dir, 'ed25519', 'deploy');
    sshd = await startSshd();
    sshd.addAuthorizedKey('root', key.publicLine);
    knownHosts = knownHostsFor(dir, sshd);
  });
  after(async () => {
    await sshd?.stop();
    await s?.close();
    if (dir) removeDir(dir);
  });

  const login = (agent: ForegroundAgent) => runTool('ssh', loginArgs(sshd, key, knownHosts, 'root', 'echo ok'), { env: { SSH_AUTH_SOCK: agent.socket } });

  /**
   * With a running agent that has logged in (so the server has the token cached), revokes it with
   * `revoke` and logs in again until a login fails; answers the time from the revoke's return to
   * the end of that failing login.
   */
  async function revokeAndMeasure(t: TestContext, revoke: (tokenId: number) => Promise<void>): Promise<void> {
    const signer = await makeToken(s, root, { privateKeys: [key.uuid] });
    const agent = await startForegroundAgent(agentEnv(s, signer.token));
    try {
      for (let i = 0; i < 2; i++) {
        const ok = await login(agent);
        assert.equal(ok.code, 0, `${ok.stderr}\n${agent.stderr()}`);
        assert.equal(ok.stdout, 'ok\n');
      }
      await revoke(signer.id);
      const revokedAt = Date.now();
      let attempts = 0;
      let last;
      let startedAt;
      // The bound is on when keyhold stops signing, so the clock stops when the first refused login
      // starts: the time ssh itself takes to fail (a process start, a handshake) is the machine's, not keyhold's.
      do {
        startedAt = Date.now();
        last = await login(agent);
        attempts++;
      } while (last.code === 0 && Date.now() - revokedAt < 5 * REVOCATION_BOUND_MS);
      const elapsed = startedAt - revokedAt;
      t.diagnostic(`first failing login started ${elapsed} ms after the revoke returned and took ${Date.now() - startedAt} ms (${attempts} login(s) after it)`);
      assert.notEqual(last.code, 0, 'logins still work 5 s after the revoke');
      assert.equal(last.stdout, '');
      assert.ok(elapsed < REVOCATION_BOUND_MS, `the first failing login started ${elapsed} ms after the revoke, not within ${REVOCATION_BOUND_MS} ms`);

      // The agent is still running and says why in plain words; the server refuses the token.
      assert.equal(agent.child.exitCode, null, 'the agent keeps running');
      assert.match(agent.stderr(), /keyhold agent: refused: identities: keyhold refused the token: revoked, expired or unknown/);
      const again = await s.request('GET', '/v1/private-keys', { token: signer.token });
      assert.equal(again.status, 401);
    } finally {
      await agent.stop();
    }
  }

  it('through the API (DELETE /v1/tokens/{id}): the next login fails within 1 s', async (t) => {
    await revokeAndMeasure(t, async (id) => {
      const r = await s.request('DELETE', `/v1/tokens/${id}`, { token: root });
      assert.equal(r.status, 204, r.text);
    });
  });

  it(`through the CLI on the same store (keyhold tokens revoke; ${dialectUnderTest === 'postgres' ? 'NOTIFY' : 'data_version poll'}): the next login fails within 1 s`, async (t) => {
    assert.equal(s.config.masterKey.kind, 'env');
    const env = { KEYHOLD_DATABASE_URL: s.db.url, KEYHOLD_MASTER_KEY: s.config.masterKey.kind === 'env' ? s.config.masterKey.value : '' };
    await revokeAndMeasure(t, async (id) => {
      const r = await keyholdAsync(['tokens', 'revoke', String(id)], env);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`revoked token ${id}`));
    });
  });
});
