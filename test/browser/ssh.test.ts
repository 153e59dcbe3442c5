import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ROOT, serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { makeKey, type TestKey } from '../helpers/ssh-keys.js';
import { consoleWalk, horizontalOverflow, launch, screenshotDir, skipReason, waitForText, watchPage, setUpFirstTeam } from './chromium.js';

/**
 * The console's SSH parts (issues 17 and 18) in a real browser at desktop and phone widths: a key's
 * signing policy and recent signatures, restricted tokens, and the SSH CA page (CAs with their
 * lines and snippets, roles, the certificate inventory and revoke), all against the real API.
 */

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe(`the console's SSH signing and certificate pages in a real browser (${dialectUnderTest})`, { skip: skipReason() }, () => {
  let db: TestDatabase;
  let dataDir: string;
  let srv: ServeProcess;
  let browser: Browser;
  let page: Page;
  let shots: string;
  const dialogs: string[] = [];
  const browserErrors: string[] = [];
  const consoleResponses: Array<{ url: string; csp: string | undefined }> = [];
  let adminToken = '';
  let readerToken = '';
  let deployKey: TestKey;
  let hostKey: TestKey;
  let userKey: TestKey;
  let deployUuid = '';

  const url = (p: string) => `${srv.url}${p}`;
  const { shotPaths, shot, step, heading, nav } = consoleWalk(
    () => page,
    () => shots,
  );
  const as = async <T = unknown>(tok: string, p: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(url(p), {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${tok}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* text */
    }
    return { status: res.status, body: body as T };
  };
  const asAdmin = <T = unknown>(p: string, init: { method?: string; body?: unknown } = {}) => as<T>(adminToken, p, init);
  const signIn = async (text: string) => {
    await page.getByLabel('Token').fill(text);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const fresh = async (tok = adminToken) => {
    await page.setViewportSize(DESKTOP);
    await page.context().clearCookies();
    await page.goto(url('/ui'));
    await heading('Sign in').waitFor();
    await signIn(tok);
    await heading('Overview').waitFor();
  };
  const goTo = async (name: string, title = name) => {
    await nav(name).click();
    await heading(title).waitFor();
  };
  const atBothWidths = async (name: string, check: () => Promise<void>) => {
    await check();
    await shot(`${name}-desktop`);
    await page.setViewportSize(PHONE);
    try {
      await check();
      assert.ok((await horizontalOverflow(page)) <= 0, `${name}: the page scrolls sideways on a phone`);
      await shot(`${name}-phone`);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  };

  before(async () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html')), 'the console is not built: npm run build:web');
    db = await freshDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-ssh-console-'));
    srv = await serve({ KEYHOLD_DATABASE_URL: db.url, KEYHOLD_DATA_DIR: dataDir });
    shots = screenshotDir(`${dialectUnderTest}-ssh`);
    adminToken = await setUpFirstTeam(srv);
    readerToken = (await asAdmin<{ token: string }>('/v1/tokens', { method: 'POST', body: { name: 'web1-sshd', abilities: ['read'] } })).body.token;
    deployKey = makeKey(dataDir, 'ed25519', 'deploy');
    hostKey = makeKey(dataDir, 'ed25519', 'host');
    userKey = makeKey(dataDir, 'ed25519', 'alice');
    const created = await asAdmin<{ uuid: string }>('/v1/private-keys', { method: 'POST', body: { name: 'deploy', private_key: deployKey.privateText } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    deployUuid = created.body.uuid;

    browser = await launch();
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    watchPage(page, { dialogs, browserErrors, consoleResponses });
  });

  after(async () => {
    await browser?.close();
    srv?.child.kill('SIGTERM');
    await srv?.exited;
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (shotPaths.length) console.log(`console screenshots (${dialectUnderTest}, ssh):\n${shotPaths.map((p) => `  ${p}`).join('\n')}`);
  });

  step("an SSH key's signing policy: a bad fingerprint refused at its field, then saved and shown", async () => {
    await fresh();
    await goTo('SSH keys');
    await page.getByRole('button', { name: 'Edit the signing policy of deploy' }).click();
    const form = page.getByRole('form', { name: 'Edit the signing policy of deploy' });
    await form.getByLabel('Host key fingerprints').fill('not-a-fingerprint');
    await form.getByRole('button', { name: 'Save policy' }).click();
    const hostsField = form.locator('.field', { has: page.getByLabel('Host key fingerprints') });
    const err = await waitForText(hostsField.locator('.field-error'), (t) => t.length > 0);
    assert.match(err, /hosts/);
    assert.equal(await form.getByLabel('Host key fingerprints').getAttribute('aria-invalid'), 'true');
    await atBothWidths('01-signing-policy-error', async () => {
      await hostsField.locator('.field-error').waitFor();
    });
    // No purpose at all: keyhold's own words, at the purposes.
    await form.getByLabel('Host key fingerprints').fill(hostKey.fingerprint);
    await form.getByLabel('Remote users').fill('deploy\nci');
    await form.getByRole('checkbox', { name: /^ssh/ }).uncheck();
    await form.getByRole('button', { name: 'Save policy' }).click();
    await waitForText(form.locator('fieldset .field-error'), (t) => t.includes('signing.purposes must'));
    await form.getByRole('checkbox', { name: /^ssh/ }).check();
    await form.getByRole('checkbox', { name: /^git/ }).check();
    await form.getByRole('button', { name: 'Save policy' }).click();
    const policy = page.locator(`[data-policy="${deployUuid}"]`);
    await waitForText(policy, (t) => t.includes(hostKey.fingerprint) && t.includes('deploy, ci') && t.includes('ssh, git'));
    const got = await asAdmin<{ signing: unknown }>(`/v1/private-keys/${deployUuid}`);
    assert.deepEqual(got.body.signing, { hosts: [hostKey.fingerprint], users: ['deploy', 'ci'], purposes: ['ssh', 'git'], forwarding: false });
    await atBothWidths('02-signing-policy-saved', async () => {
      await policy.waitFor();
    });
    // Back to the default clears it.
    await page.getByRole('button', { name: 'Edit the signing policy of deploy' }).click();
    await page.getByRole('button', { name: 'Back to the default' }).click();
    await waitForText(policy, (t) => t.includes('any host') && t.includes('any user'));
    assert.equal((await asAdmin<{ signing: unknown }>(`/v1/private-keys/${deployUuid}`)).body.signing, null);
  });

  step('a token restricted to a key, made in the form, and its restriction in the list', async () => {
    await fresh();
    await goTo('Tokens');
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByLabel('Name', { exact: true }).fill('ci-deploy');
    await page.getByRole('checkbox', { name: /^sign\b/ }).check();
    const picker = page.getByRole('group', { name: 'Keys it may sign with' });
    await picker.getByRole('checkbox', { name: /^deploy/ }).check();
    await atBothWidths('03-token-restricted-form', async () => {
      await picker.waitFor();
    });
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('button', { name: 'Done' }).waitFor();
    const list = await asAdmin<Array<{ name: string; private_keys: string[] | null; id: number }>>('/v1/tokens');
    const t = list.body.find((x) => x.name === 'ci-deploy');
    assert.deepEqual(t?.private_keys, [deployUuid]);
    const row = page.locator(`tr[data-token="${t?.id}"]`);
    await waitForText(row.locator('[data-restriction="private_keys"]'), (s) => s.includes('only keys: deploy'));
    await atBothWidths('04-token-restricted-list', async () => {
      await row.waitFor();
    });
  });

  step("a key's recent signatures: who, where, purpose and outcome", async () => {
    const signer = await asAdmin<{ token: string; id: number }>('/v1/tokens', {
      method: 'POST',
      body: { name: 'agent', abilities: ['sign'], private_keys: [deployUuid] },
    });
    assert.equal(signer.status, 201);
    // Bytes that are neither a userauth request nor SSHSIG: refused, and audited.
    const refused = await as(signer.body.token, `/v1/private-keys/${deployUuid}/sign`, {
      method: 'POST',
      body: { data: Buffer.from('not a userauth request').toString('base64') },
    });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    await fresh();
    await goTo('SSH keys');
    await page.getByRole('button', { name: 'Show the signatures of deploy' }).click();
    const table = page.getByRole('region', { name: 'Recent signatures of deploy' });
    const row = table.locator('tbody tr').first();
    await waitForText(row, (s) => s.includes(`token #${signer.body.id}`) && s.includes('refused'));
    await atBothWidths('05-key-signatures', async () => {
      await row.waitFor();
    });
  });

  step('the SSH CA page: a user CA with its line and sshd snippet, a host CA with its known_hosts lines', async () => {
    await fresh();
    await goTo('SSH CA', 'SSH certificate authority');
    await page.getByRole('button', { name: 'New CA' }).click();
    await page.getByLabel('CA name').fill('users');
    await page.getByRole('button', { name: 'Create CA' }).click();
    const users = page.locator('[data-ca="users"]');
    await users.waitFor();
    const ca = (await asAdmin<{ public_key: string }>('/v1/ssh/cas/users')).body;
    await waitForText(users.locator('.public-key'), (s) => s === ca.public_key);
    const snippet = await waitForText(users.locator('[data-snippet="users"]'), (s) => s.includes('TrustedUserCAKeys'));
    assert.ok(snippet.includes('RevokedKeys /etc/ssh/keyhold.krl'));
    assert.ok(snippet.includes('/v1/ssh/krl'));
    assert.ok(snippet.includes(ca.public_key));
    await users.getByRole('button', { name: 'Copy the public key of CA users' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), ca.public_key);
    // A duplicate name: keyhold's words, shown.
    await page.getByRole('button', { name: 'New CA' }).click();
    await page.getByLabel('CA name').fill('hosts');
    await page.getByLabel('Type').selectOption('host');
    await page.getByRole('button', { name: 'Create CA' }).click();
    const hosts = page.locator('[data-ca="hosts"]');
    const hostCa = (
      await (async () => {
        await hosts.waitFor();
        return asAdmin<{ public_key: string }>('/v1/ssh/cas/hosts');
      })()
    ).body;
    await waitForText(hosts.locator('[data-snippet="hosts"]'), (s) => s.includes(`@cert-authority *.example.com ${hostCa.public_key}`));
    await atBothWidths('06-ssh-cas', async () => {
      await hosts.waitFor();
    });
  });

  step('roles: created, a TTL refused at its field, edited, and deleted', async () => {
    await fresh();
    await goTo('SSH CA', 'SSH certificate authority');
    await page.getByRole('button', { name: 'New role' }).click();
    const form = page.getByRole('form', { name: 'New role' });
    await form.getByLabel('Role name').fill('people');
    await form.getByLabel('Principals').fill('dev-*, alice');
    await form.getByLabel('Maximum TTL').fill('forever');
    await form.getByRole('button', { name: 'Create role' }).click();
    await waitForText(form.locator('.field', { has: page.getByLabel('Maximum TTL') }).locator('.field-error'), (t) => t.length > 0);
    await shot('07-role-error-desktop');
    await form.getByLabel('Maximum TTL').fill('8h');
    await form.getByLabel('Force command (optional)').fill('/usr/bin/true');
    await form.getByRole('button', { name: 'Create role' }).click();
    const row = page.locator('tr[data-role="people"]');
    await waitForText(row, (s) => s.includes('dev-*, alice') && s.includes('max 8h') && s.includes('force-command=/usr/bin/true'));
    await page.getByRole('button', { name: 'Edit role people' }).click();
    await page.getByRole('form', { name: 'Edit role people' }).getByLabel('Default TTL').fill('1h');
    await page.getByRole('button', { name: 'Save role' }).click();
    await waitForText(row, (s) => s.includes('1h (max 8h)'));
    const role = (await asAdmin<{ default_ttl: string; principals: string[] }>('/v1/ssh/roles/people')).body;
    assert.equal(role.default_ttl, '1h');
    assert.deepEqual(role.principals, ['dev-*', 'alice']);
    // Another to delete.
    assert.equal(
      (await asAdmin('/v1/ssh/roles', { method: 'POST', body: { name: 'old', ca: 'users', principals: ['x'], max_ttl: '1h', default_ttl: '5m' } })).status,
      201,
    );
    await page.reload();
    await heading('SSH certificate authority').waitFor();
    await page.getByRole('button', { name: 'Delete role old' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.locator('tr[data-role="old"]').waitFor({ state: 'detached' });
    assert.equal((await asAdmin('/v1/ssh/roles/old')).status, 404);
    await atBothWidths('08-ssh-roles', async () => {
      await page.locator('tr[data-role="people"]').waitFor();
    });
  });

  step('the certificate inventory: filtered, and one revoked after a confirmation', async () => {
    const issue = async (principals: string[], key_id: string) => {
      const r = await asAdmin<{ serial: number }>('/v1/ssh/certificates', {
        method: 'POST',
        body: { role: 'people', public_key: userKey.publicLine, principals, key_id },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.serial;
    };
    const a = await issue(['dev-alice'], 'alice-laptop');
    const b = await issue(['alice'], 'alice-ci');
    await fresh();
    await goTo('SSH CA', 'SSH certificate authority');
    await page.locator(`tr[data-serial="${a}"]`).waitFor();
    await page.locator(`tr[data-serial="${b}"]`).waitFor();
    await page.getByRole('form', { name: 'Filter certificates' }).getByLabel('Principal').fill('dev-alice');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.locator(`tr[data-serial="${b}"]`).waitFor({ state: 'detached' });
    await page.locator(`tr[data-serial="${a}"]`).waitFor();
    await page.getByRole('button', { name: `Revoke certificate ${a}` }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await waitForText(page.locator(`tr[data-serial="${a}"]`), (s) => s.includes('revoked'));
    assert.equal((await asAdmin<{ state: string }>(`/v1/ssh/certificates/${a}`)).body.state, 'revoked');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.locator(`tr[data-serial="${b}"]`).waitFor();
    await atBothWidths('09-ssh-certificates', async () => {
      await page.locator(`tr[data-serial="${b}"]`).waitFor();
    });
  });

  step('a certify token restricted to a role, made in the form, and its restriction in the list', async () => {
    await fresh();
    await goTo('Tokens');
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByLabel('Name', { exact: true }).fill('people-login');
    await page.getByRole('checkbox', { name: /^certify\b/ }).check();
    const picker = page.getByRole('group', { name: 'Roles it may certify from' });
    await picker.getByRole('checkbox', { name: /^people/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('button', { name: 'Done' }).waitFor();
    const list = await asAdmin<Array<{ name: string; ssh_roles: string[] | null; id: number }>>('/v1/tokens');
    const t = list.body.find((x) => x.name === 'people-login');
    assert.deepEqual(t?.ssh_roles, ['people']);
    await waitForText(page.locator(`tr[data-token="${t?.id}"] [data-restriction="ssh_roles"]`), (s) => s.includes('only roles: people'));
    await shot('11-token-certify-restricted-desktop');
  });

  step('a read token sees the CA page without what it cannot do', async () => {
    await fresh(readerToken);
    await goTo('SSH CA', 'SSH certificate authority');
    await page.locator('[data-ca="users"]').waitFor();
    await page.locator('tr[data-role="people"]').waitFor();
    await page.locator('tr[data-serial]').first().waitFor();
    for (const name of ['New CA', 'New role', 'Edit role people', 'Delete CA users']) assert.equal(await page.getByRole('button', { name }).count(), 0, name);
    assert.equal(await page.getByRole('button', { name: /^Revoke certificate/ }).count(), 0);
    await goTo('SSH keys');
    await page.getByRole('heading', { name: 'deploy', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Edit the signing policy of deploy' }).count(), 0);
    await shot('10-ssh-read-only-desktop');
  });

  step('nothing was refused by the Content-Security-Policy, and no dialog opened', () => {
    assert.deepEqual(browserErrors, []);
    assert.deepEqual(dialogs, []);
    return Promise.resolve();
  });
});
