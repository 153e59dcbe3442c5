import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { startTestServer, type TestResponse, type TestServer } from '../helpers/server.js';
import { makeKey, removeDir, tempDir } from '../helpers/ssh-keys.js';

/**
 * Issue 21, defects 4, 8 and 12 (server side): the common mistakes a first week brings get an
 * answer in words on keyhold's own API, while the Coolify and Gcore surfaces keep upstream's.
 * Each case below answered the generic message (or nothing at all) before its fix.
 */

function errorOf(r: TestResponse, status: number, code: string): string {
  assert.equal(r.status, status, r.text);
  const body = r.json() as { error: { code: string; message: string } };
  assert.equal(body.error.code, code, r.text);
  return body.error.message;
}

describe(`key mistakes in words (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let admin: string;
  let dir: string;
  const native = (method: string, p: string, body?: unknown, token = root) => s.request(method, `/v1${p}`, { token, body });

  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    admin = await s.token('root,admin');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
    dir = tempDir('keyhold-mistakes-');
  });
  after(async () => {
    await s.close();
    removeDir(dir);
  });

  it('a passphrase-protected key (OpenSSH and PEM) names ssh-keygen -p; Coolify keeps its one message', async () => {
    const openssh = path.join(dir, 'locked');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-f', openssh]);
    const pem = path.join(dir, 'locked-pem');
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'correct horse', '-f', pem]);
    for (const file of [openssh, pem]) {
      const message = errorOf(await native('POST', '/private-keys', { name: path.basename(file), private_key: fs.readFileSync(file, 'utf8') }), 400, 'bad_request');
      assert.match(message, /protected by a passphrase/);
      assert.match(message, /ssh-keygen -p/);
    }
    const coolify = await s.request('POST', '/api/v1/security/keys', { token: root, body: { name: 'locked', private_key: fs.readFileSync(openssh, 'utf8') } });
    assert.equal(coolify.status, 422, coolify.text);
    assert.doesNotMatch(coolify.text, /passphrase/);
  });

  it('a public key pasted, and a PuTTY file, say what they are', async () => {
    const key = makeKey(dir, 'ed25519', 'pasted');
    const publicAnswer = errorOf(await native('POST', '/private-keys', { name: 'pasted', private_key: key.publicLine }), 400, 'bad_request');
    assert.match(publicAnswer, /is a public key/);
    const putty = 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: me\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIJ\nxyz\n';
    assert.match(errorOf(await native('POST', '/private-keys', { name: 'putty', private_key: putty }), 400, 'bad_request'), /PuTTY \.ppk file/);
    assert.match(errorOf(await native('POST', '/private-keys', { name: 'junk', private_key: 'not a key' }), 400, 'bad_request'), /not a key keyhold reads/);
  });

  it('a key the team already has names the existing key; a name already taken is refused (Coolify allows both names)', async () => {
    const first = makeKey(dir, 'ed25519', 'first');
    const created = await native('POST', '/private-keys', { name: 'deploy', private_key: first.privateText });
    assert.equal(created.status, 201, created.text);
    const uuid = (created.json() as { uuid: string }).uuid;

    const twin = errorOf(await native('POST', '/private-keys', { name: 'deploy-again', private_key: first.privateText }), 409, 'conflict');
    assert.match(twin, new RegExp(`deploy \\(${uuid}\\)`));

    const second = makeKey(dir, 'ed25519', 'second');
    const taken = errorOf(await native('POST', '/private-keys', { name: 'deploy', private_key: second.privateText }), 409, 'conflict');
    assert.match(taken, new RegExp(`already has an SSH key named "deploy" \\(${uuid}\\)`));
    const other = await native('POST', '/private-keys', { name: 'other', private_key: second.privateText });
    assert.equal(other.status, 201, other.text);
    const renamed = errorOf(await native('PATCH', `/private-keys/${(other.json() as { uuid: string }).uuid}`, { name: 'deploy' }), 409, 'conflict');
    assert.match(renamed, /named "deploy"/);

    // Coolify's API has no such rule, and its clients may rely on that.
    const third = makeKey(dir, 'ed25519', 'third');
    const coolify = await s.request('POST', '/api/v1/security/keys', { token: root, body: { name: 'deploy', private_key: third.privateText } });
    assert.equal(coolify.status, 201, coolify.text);
  });

  it('a region name already used (any case) is a 409 naming the region', async () => {
    assert.equal((await native('POST', '/regions', { id: 41, name: 'eu-north' }, admin)).status, 201);
    const message = errorOf(await native('POST', '/regions', { id: 42, name: 'EU-North' }, admin), 409, 'conflict');
    assert.match(message, /region 41 is already named "eu-north"/);
  });

  it('an expiry in the past is kept and answered with a warning, on create and on PATCH; a future one has none', async () => {
    const past = await native('POST', '/api-keys', { project_id: 1, region_id: 1, name: 'born-dead', containers: [], expire: '2020-01-01T00:00:00Z' });
    assert.equal(past.status, 201, past.text);
    const body = past.json() as { status: string; warnings?: string[] };
    assert.equal(body.status, 'Expired');
    assert.deepEqual(body.warnings, ['expire 2020-01-01T00:00:00Z is in the past: the key is Expired and verifies as EXPIRED until its expiry is moved']);

    const future = await native('POST', '/api-keys', { project_id: 1, region_id: 1, name: 'alive', containers: [], expire: '2099-01-01T00:00:00Z' });
    assert.equal(future.status, 201, future.text);
    assert.equal((future.json() as { warnings?: string[] }).warnings, undefined);

    const patched = await native('PATCH', '/api-keys/1/1/alive', { expire: '2021-06-01T12:00:00Z' });
    assert.equal(patched.status, 200, patched.text);
    assert.match((patched.json() as { warnings: string[] }).warnings[0]!, /^expire 2021-06-01T12:00:00Z is in the past/);
    // A PATCH that leaves the expiry alone says nothing about it.
    const described = await native('PATCH', '/api-keys/1/1/alive', { description: 'still dead' });
    assert.equal((described.json() as { warnings?: string[] }).warnings, undefined);
  });

  it('a form-encoded body is a 415 with its own code', async () => {
    const r = await s.request('POST', '/v1/api-keys', { token: root, raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(errorOf(r, 415, 'unsupported_media_type').length > 0, true);
    const gateway = await s.request('POST', '/v1/keys/verify', { token: await s.token('verify'), raw: 'key=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    errorOf(gateway, 415, 'unsupported_media_type');
  });
});
