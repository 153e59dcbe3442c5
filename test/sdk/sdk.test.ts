import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createKeyholdClient, KeyholdError, unwrap } from '../../packages/sdk/src/index.js';
import { dialectUnderTest } from '../helpers/db.js';
import { SPEC_ED25519 } from '../helpers/keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe(`the SDK against a real server (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 5 });
  });
  after(() => s.close());

  it('does the README example: an API key for a container, verified by a gateway token', async () => {
    const keyhold = createKeyholdClient({ baseUrl: s.url, token: root });
    const me = await unwrap(keyhold.GET('/v1/me'));
    assert.deepEqual([me.team.name, me.token.abilities], ['acme', ['root']]);
    const created = await unwrap(
      keyhold.POST('/v1/api-keys', { body: { project_id: 5, region_id: 1, name: 'ci-deploy', containers: [{ name: 'web', namespace: 'default' }] } }),
    );
    assert.match(created.secret, /^khk_/);
    const gateway = await unwrap(keyhold.POST('/v1/tokens', { body: { name: 'gateway', abilities: ['verify'] } }));
    const asGateway = createKeyholdClient({ baseUrl: s.url, token: gateway.token });
    const verdict = await unwrap(asGateway.POST('/v1/keys/verify', { body: { key: created.secret, container: { name: 'web' } } }));
    assert.deepEqual([verdict.valid, verdict.code, verdict.key?.name], [true, 'VALID', 'ci-deploy']);
    const page = await unwrap(keyhold.GET('/v1/api-keys', { params: { query: { status: 'Active', q: 'deploy' } } }));
    assert.deepEqual(
      page.keys.map((k) => k.name),
      ['ci-deploy'],
    );
  });

  it('types paths, parameters and bodies, and turns keyhold errors into KeyholdError', async () => {
    const keyhold = createKeyholdClient({ baseUrl: s.url, token: root });
    const key = await unwrap(keyhold.POST('/v1/private-keys', { body: { name: 'deploy', private_key: SPEC_ED25519 } }));
    const got = await unwrap(keyhold.GET('/v1/private-keys/{uuid}', { params: { path: { uuid: key.uuid } } }));
    assert.equal(got.fingerprint, key.fingerprint);
    await assert.rejects(
      unwrap(keyhold.POST('/v1/private-keys', { body: { name: 'again', private_key: SPEC_ED25519 } })),
      (e: unknown) => e instanceof KeyholdError && e.status === 409 && e.code === 'conflict' && typeof e.requestId === 'string',
    );
    const anonymous = createKeyholdClient({ baseUrl: s.url });
    await assert.rejects(unwrap(anonymous.GET('/v1/private-keys')), (e: unknown) => e instanceof KeyholdError && e.status === 401 && e.code === 'unauthorized');
    const { error, response } = await keyhold.GET('/v1/api-keys', { params: { query: { limit: 0 } } });
    assert.equal(response.status, 400);
    assert.match(error?.error.message ?? '', /limit must be an integer from 1 to 1000/);
  });
});
