import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SPEC_ED25519 } from '../helpers/keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('coolify smoke', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.close());

  it('creates, reads and deletes a key', async () => {
    const token = await s.token('root');
    const created = await s.request('POST', '/api/v1/security/keys', { token, body: { name: 'deploy-key', description: 'CI deploy key', private_key: SPEC_ED25519 } });
    assert.equal(created.status, 201);
    const { uuid } = created.json();
    const got = await s.request('GET', `/api/v1/security/keys/${uuid}`, { token });
    assert.equal(got.status, 200);
    assert.deepEqual(Object.keys(got.json()), ['id', 'uuid', 'description', 'name', 'fingerprint', 'is_git_related', 'private_key', 'public_key', 'team_id', 'created_at', 'updated_at']);
    assert.equal(got.json().fingerprint, 's5akqv/s5JSs32bDWWU21Ci5lWp3GB0nAzXnmOE57jI');
    assert.equal(got.json().private_key, SPEC_ED25519);
    const del = await s.request('DELETE', `/api/v1/security/keys/${uuid}`, { token });
    assert.deepEqual([del.status, del.json()], [200, { message: 'Private Key deleted.' }]);
  });
});
