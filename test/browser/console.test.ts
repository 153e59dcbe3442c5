import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONSOLE_CSP } from '../../src/http/native/console.js';
import { ROOT, serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import {
  horizontalOverflow,
  launch,
  screenshotDir,
  skipReason,
  unlabelledControls,
  waitForFocus,
  waitForText,
  waitForValue,
  consoleWalk,
  watchPage,
} from './chromium.js';

/**
 * The console as a person uses it: `keyhold serve` on a fresh database, its setup link read from
 * stderr, and Debian's chromium clicking through every page. Each step checks what the server
 * then holds or answers (verification, tokens, audit), not only what the page shows.
 */

const XSS = '<img src=x onerror=alert(1)>';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };
// The browser's time zone, so that a typed local expiry must be converted to UTC (EST in January: UTC-5).
const TIME_ZONE = 'America/New_York';

describe(`the web console in a real browser (${dialectUnderTest})`, { skip: skipReason() }, () => {
  let db: TestDatabase;
  let dataDir: string;
  let srv: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shots: string;
  const dialogs: string[] = [];
  const browserErrors: string[] = [];
  const consoleResponses: Array<{ url: string; csp: string | undefined }> = [];

  // What the walk learns and later steps use.
  let adminToken = '';
  let gatewayToken = '';
  let viewerToken = '';
  let secret = '';
  const keyFile = () => path.join(dataDir, 'keys', 'deploy');

  const url = (p: string) => `${srv.url}${p}`;
  const { shotPaths, shot, step, heading, nav } = consoleWalk(
    () => page,
    () => shots,
  );
  /** Waits until no list is loading (tables say aria-busy while an answer for new filters or a new page is on its way). */
  const settled = () => page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  const toast = (text: string) => page.locator('.toasts .toast', { hasText: text });
  const goTo = async (name: string) => {
    await nav(name).click();
    await heading(name).waitFor();
  };
  /** A gateway's question, asked of the running server with the `verify` token made on the Tokens page. */
  const verify = async (container: { name: string; namespace?: string }) => {
    const res = await fetch(url('/v1/keys/verify'), {
      method: 'POST',
      headers: { authorization: `Bearer ${gatewayToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: secret, container }),
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { code: string }).code;
  };
  const asAdmin = (p: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(url(p), {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${adminToken}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });

  before(async () => {
    assert.ok(
      fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html')),
      'the console is not built: npm test builds it first (pretest), or run npm run build:web',
    );
    db = await freshDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-console-'));
    fs.mkdirSync(path.join(dataDir, 'keys'));
    // Two fresh keys, made the way a user makes them.
    for (const name of ['deploy', 'other', 'third'])
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@test`, '-f', path.join(dataDir, 'keys', name)]);
    srv = await serve({ KEYHOLD_DATABASE_URL: db.url, KEYHOLD_DATA_DIR: dataDir });
    shots = screenshotDir(dialectUnderTest);
    browser = await launch();
    context = await browser.newContext({ viewport: DESKTOP, timezoneId: TIME_ZONE, locale: 'en-US' });
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
    if (shotPaths.length) console.log(`console screenshots (${dialectUnderTest}):\n${shotPaths.map((p) => `  ${p}`).join('\n')}`);
  });

  step('sets keyhold up from the link printed on stderr, shows the administrator token once, and signs in', async () => {
    let link: string | undefined;
    for (let i = 0; i < 100 && !link; i++) {
      link = /(http:\/\/\S+\/ui\/setup\?code=\S+)/.exec(srv.stderr())?.[1];
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(link, `no setup link on stderr: ${srv.stderr()}`);
    assert.equal(new URL(link).origin, srv.url);

    await page.goto(link);
    await heading('Set up keyhold').waitFor();
    assert.deepEqual(await unlabelledControls(page), []);
    await shot('01-setup');
    // A name keyhold refuses: its message shows at the field.
    await page.getByLabel('Team name').fill('no spaces');
    await page.getByRole('button', { name: 'Create the team' }).click();
    await waitForText(page.locator('.field.has-error .field-error'), (t) => t.startsWith('team must be 1 to 64 letters, digits'));

    await page.getByLabel('Team name').fill('acme');
    await page.getByRole('button', { name: 'Create the team' }).click();
    await page.getByText('you will not see it again').waitFor();
    adminToken = await page.locator('input[data-secret]').inputValue();
    assert.match(adminToken, /^\d+\|[A-Za-z0-9]{40}[0-9a-f]{8}$/);
    assert.equal(new URL(page.url()).search, '', 'the spent code stays out of the address bar');
    // The copy button puts it on the clipboard.
    await page.getByRole('button', { name: 'Copy the administrator token' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), adminToken);
    await shot('02-setup-token');

    await page.getByRole('button', { name: 'Continue to the overview' }).click();
    await heading('Overview').waitFor();
    assert.equal(new URL(page.url()).pathname, '/ui');
    await waitForText(page.locator('.who-text strong'), (t) => t === 'acme');

    // The token shown is the administrator's, and the link is spent.
    const me = await asAdmin('/v1/me');
    assert.deepEqual(((await me.json()) as { token: { abilities: string[] } }).token.abilities, ['root', 'admin']);
    const again = await fetch(url('/v1/setup'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: srv.url },
      body: JSON.stringify({ code: new URL(link).searchParams.get('code'), team: 'x' }),
    });
    assert.equal(again.status, 403);
  });

  step('creates a second team on the Teams page, whose root token is shown once and works', async () => {
    await goTo('Teams');
    await page.getByLabel('Team name').fill('globex');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByText('you will not see it again').waitFor();
    const globexRoot = await page.locator('input[data-secret]').inputValue();
    await shot('03-teams-token');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('tr[data-team="globex"]').waitFor();
    await shot('04-teams');

    const me = await fetch(url('/v1/me'), { headers: { authorization: `Bearer ${globexRoot}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { team: { name: string } }).team.name, 'globex');

    // A third, deleted again (confirmed inline); one's own team offers no Delete.
    await page.getByLabel('Team name').fill('initech');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Delete team initech' }).click();
    // A team goes only once its name is typed out.
    assert.ok(await page.getByRole('button', { name: 'Yes, delete' }).isDisabled());
    await page.getByLabel('Type initech to confirm').fill('initech');
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.locator('tr[data-team="initech"]').waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('button', { name: 'Delete team acme' }).count(), 0);
    const teams = (await (await asAdmin('/v1/teams')).json()) as Array<{ name: string }>;
    assert.deepEqual(teams.map((t) => t.name).sort(), ['acme', 'globex']);
  });

  step('adds an SSH key from a file made by ssh-keygen, shows the error of a bad one at its field, and renders a hostile name as text', async () => {
    await goTo('SSH keys');
    await page.getByRole('button', { name: 'Add SSH key' }).click();
    assert.deepEqual(await unlabelledControls(page), []);
    await page.getByLabel('Name', { exact: true }).fill('broken');
    await page.getByLabel('Private key', { exact: true }).fill('not a key');
    await page.getByRole('button', { name: 'Add key' }).click();
    const keyField = page.locator('.field', { has: page.getByLabel('Private key', { exact: true }) });
    await waitForText(keyField.locator('.field-error'), (t) => t.startsWith('private_key is not a key keyhold reads'));
    assert.equal(await page.getByLabel('Private key', { exact: true }).getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Name', { exact: true }).fill('deploy');
    await page.getByLabel('Description (optional)').fill('production servers');
    await page.getByLabel('Or read it from a file').setInputFiles(keyFile());
    await waitForValue(page.getByLabel('Private key', { exact: true }), (v) => v === fs.readFileSync(keyFile(), 'utf8'));
    await page.getByRole('button', { name: 'Add key' }).click();
    const item = page.locator('li.item', { has: page.getByRole('heading', { name: 'deploy', exact: true }) });
    await item.waitFor();

    // The public half and fingerprint are ssh-keygen's own.
    const pub = fs.readFileSync(`${keyFile()}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${keyFile()}.pub`], { encoding: 'utf8' }).split(' ')[1];
    assert.equal((await item.locator('.public-key').textContent())?.trim(), pub);
    assert.ok((await item.textContent())?.includes(fingerprint!), `fingerprint ${fingerprint} not shown`);
    assert.ok((await item.textContent())?.includes('ssh-ed25519'));
    await item.getByRole('button', { name: 'Copy the public key of deploy' }).click();
    await item.getByText('Copied to the clipboard.').waitFor();
    assert.equal((await page.evaluate(() => navigator.clipboard.readText())).trim(), pub);
    // Without a clipboard (plain HTTP on another host, a refusal), Copy selects the text instead.
    // (Code given as text: tsx would wrap functions in a helper the page does not have.)
    await page.evaluate(`
      window.realClipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
      Object.defineProperty(Navigator.prototype, 'clipboard', { configurable: true, get() { return undefined; } });
    `);
    await item.getByRole('button', { name: 'Copy the public key of deploy' }).click();
    await item.getByText('The clipboard is unavailable: the text is selected').waitFor();
    assert.equal((await page.evaluate(() => window.getSelection()?.toString() ?? '')).trim(), pub);
    await page.evaluate(`Object.defineProperty(Navigator.prototype, 'clipboard', window.realClipboard)`);
    assert.equal(await page.evaluate('typeof navigator.clipboard.writeText'), 'function');

    // A name that is markup is shown as those characters, and nothing runs.
    await page.getByRole('button', { name: 'Add SSH key' }).click();
    await page.getByLabel('Name', { exact: true }).fill(XSS);
    await page.getByLabel('Private key', { exact: true }).fill(fs.readFileSync(path.join(dataDir, 'keys', 'other'), 'utf8'));
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('heading', { name: XSS, exact: true }).waitFor();
    await toast(`Key ${XSS} added.`).waitFor();
    assert.equal(await page.locator('main img').count(), 0, 'a name became an element');
    assert.deepEqual(dialogs, []);
    await shot('05-ssh-keys');
    await page.setViewportSize(PHONE);
    assert.ok((await horizontalOverflow(page)) <= 0, 'the SSH keys page scrolls sideways at phone width');
    await shot('06-ssh-keys-phone');
    await page.setViewportSize(DESKTOP);
  });

  step('renames, reveals (audited) and deletes SSH keys, the deletion confirmed from the keyboard', async () => {
    const item = page.locator('li.item', { has: page.getByRole('heading', { name: 'deploy', exact: true }) });
    await item.getByRole('button', { name: 'Edit deploy' }).click();
    await item.getByLabel('Description').fill('production and staging');
    await item.getByRole('button', { name: 'Save' }).click();
    await item.getByText('production and staging').waitFor();

    await item.getByRole('button', { name: 'Reveal the private key of deploy' }).click();
    const revealed = item.getByLabel(/^Private key of deploy/);
    await revealed.waitFor();
    assert.equal(await revealed.inputValue(), fs.readFileSync(keyFile(), 'utf8'));
    await item.getByRole('button', { name: 'Hide' }).click();

    // Replacing the key pair keeps the key (its uuid) and changes what it holds.
    const before = (await item.locator('.public-key').textContent())?.trim();
    await item.getByRole('button', { name: 'Replace the key pair of deploy' }).click();
    await item.getByLabel('New private key').fill(fs.readFileSync(path.join(dataDir, 'keys', 'third'), 'utf8'));
    await item.getByRole('button', { name: 'Replace key' }).click();
    await toast('Key pair of deploy replaced.').waitFor();
    const thirdPub = fs
      .readFileSync(path.join(dataDir, 'keys', 'third.pub'), 'utf8')
      .split(' ')
      .slice(0, 2)
      .join(' ');
    await waitForText(item.locator('.public-key'), (t) => t === thirdPub);
    assert.notEqual(before, thirdPub);

    // Delete asks first; Escape cancels and gives focus back; Enter confirms.
    const hostile = page.locator('li.item', { has: page.getByRole('heading', { name: XSS, exact: true }) });
    await hostile.getByRole('button', { name: `Delete ${XSS}` }).click();
    await waitForFocus(page, 'Yes, delete');
    await page.keyboard.press('Escape');
    await waitForFocus(page, `Delete ${XSS}`);
    await page.keyboard.press('Enter');
    await waitForFocus(page, 'Yes, delete');
    await page.keyboard.press('Enter');
    await toast(`Key ${XSS} deleted.`).waitFor();
    await hostile.waitFor({ state: 'detached' });

    const keys = (await (await asAdmin('/v1/private-keys')).json()) as Array<{ name: string; description: string }>;
    assert.deepEqual(
      keys.map((k) => [k.name, k.description]),
      [['deploy', 'production and staging']],
    );
    // The revealed key was the one then stored; the reveal shows the current one.
    await item.getByRole('button', { name: 'Reveal the private key of deploy' }).click();
    assert.equal(await item.getByLabel(/^Private key of deploy/).inputValue(), fs.readFileSync(path.join(dataDir, 'keys', 'third'), 'utf8'));
    await item.getByRole('button', { name: 'Hide' }).click();
  });

  step('creates a project', async () => {
    await goTo('Projects');
    await page.getByLabel('Id (optional)').fill('7');
    await page.getByLabel('Name (optional)').fill('web shop');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.locator('tr[data-project="7"]').waitFor();
    await page.getByLabel('Id (optional)').fill('8');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('button', { name: 'Delete project 8' }).click();
    await page.getByLabel('Type 8 to confirm').fill('8');
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.locator('tr[data-project="8"]').waitFor({ state: 'detached' });
    await shot('07-projects');
  });

  step('makes tokens with chosen abilities, each shown once: a gateway (verify) and a viewer (read)', async () => {
    await goTo('Tokens');
    for (const [name, ability] of [
      ['gateway', 'verify'],
      ['viewer', 'read'],
    ] as const) {
      await page.getByRole('button', { name: 'New token' }).click();
      assert.deepEqual(await unlabelledControls(page), []);
      // Only what the administrator holds is offered: all nine here (verify:all, sign and certify included).
      assert.equal(await page.locator('fieldset.abilities input[type=checkbox]').count(), 9);
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.locator(`fieldset.abilities input[value="${ability}"]`).check();
      if (name === 'viewer') await page.getByLabel('Expires').selectOption({ label: 'after 1 day' });
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByText('you will not see it again').waitFor();
      const token = await page.locator('input[data-secret]').inputValue();
      if (name === 'gateway') {
        gatewayToken = token;
        await shot('08-tokens-created');
      } else viewerToken = token;
      await page.getByRole('button', { name: 'Done' }).click();
    }
    const listed = (await (await asAdmin('/v1/tokens')).json()) as Array<{ name: string; abilities: string[]; expires_at: string | null }>;
    const viewer = listed.find((t) => t.name === 'viewer');
    assert.deepEqual(listed.find((t) => t.name === 'gateway')?.abilities, ['verify']);
    assert.deepEqual(viewer?.abilities, ['read']);
    assert.ok(viewer?.expires_at && Math.abs(Date.parse(viewer.expires_at) - Date.now() - 86_400_000) < 120_000, 'viewer expires in a day');
    await shot('09-tokens');
  });

  step('creates an API key with containers and an expiry; its secret, copied from the clipboard, verifies', async () => {
    await goTo('API keys');
    await page.getByRole('button', { name: 'New API key' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New API key' }) });
    await form.waitFor();
    assert.deepEqual(await unlabelledControls(page), []);
    await form.getByLabel('Project').selectOption('7');
    await form.getByLabel('Name', { exact: true }).fill('shop-gateway');
    await form.getByLabel('Description (optional)').fill('<b>not bold</b>');
    await form.getByLabel('Container 1 name', { exact: true }).fill('web');
    await form.getByRole('button', { name: 'Add container' }).click();
    await form.getByLabel('Container 2 name', { exact: true }).fill('worker');
    await form.getByLabel('Container 2 namespace').fill('jobs');
    await form.getByRole('button', { name: 'Add container' }).click();
    await form.getByLabel('Container 3 name', { exact: true }).fill('gone');
    await form.getByRole('button', { name: 'Remove container 3 (gone)' }).click();
    assert.equal(await form.getByLabel('Container 3 name', { exact: true }).count(), 0);
    await form.getByLabel('Expires (optional)').fill('2030-01-15T10:30');
    await form.getByText('sent as 2030-01-15T15:30:00Z (UTC)').waitFor();
    await shot('10-api-key-create');
    await form.getByRole('button', { name: 'Create key' }).click();

    await page.getByText('you will not see it again').waitFor();
    await page.getByRole('button', { name: 'Copy the API key secret' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
    secret = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(secret, /^khk_/);
    assert.equal(secret, await page.locator('input[data-secret]').inputValue());
    await shot('11-api-key-secret');
    await page.getByRole('button', { name: 'Done' }).click();

    const row = page.locator('tr[data-key="shop-gateway"]');
    await waitForText(row.locator('.badge'), (t) => t === 'Active');
    assert.equal(await row.locator('.key-description').textContent(), '<b>not bold</b>');
    const stored = (await (await asAdmin('/v1/api-keys/7/1/shop-gateway')).json()) as { expire: string; containers: unknown };
    assert.equal(stored.expire, '2030-01-15T15:30:00Z');
    assert.deepEqual(stored.containers, [
      { name: 'web', namespace: 'default' },
      { name: 'worker', namespace: 'jobs' },
    ]);

    assert.equal(await verify({ name: 'web' }), 'VALID');
    assert.equal(await verify({ name: 'worker', namespace: 'jobs' }), 'VALID');
    assert.equal(await verify({ name: 'db' }), 'FORBIDDEN_CONTAINER');
  });

  step('edits the containers and disables the key in the console; verification follows at once', async () => {
    const row = page.locator('tr[data-key="shop-gateway"]');
    await row.getByRole('button', { name: 'Edit shop-gateway' }).click();
    const edit = page.locator('form[aria-label="Edit shop-gateway"]');
    await edit.getByRole('button', { name: 'Remove container 2 (worker)' }).click();
    await edit.getByRole('button', { name: 'Save' }).click();
    await toast('Key shop-gateway saved.').waitFor();
    await edit.waitFor({ state: 'detached' });
    assert.equal(await verify({ name: 'worker', namespace: 'jobs' }), 'FORBIDDEN_CONTAINER');
    assert.equal(await verify({ name: 'web' }), 'VALID');

    await row.getByRole('button', { name: 'Disable shop-gateway' }).click();
    await waitForText(row.locator('.badge'), (t) => t === 'Disabled');
    assert.equal(await verify({ name: 'web' }), 'DISABLED');
    await row.getByRole('button', { name: 'Enable shop-gateway' }).waitFor();
  });

  step('filters API keys and pages through them with the cursor', async () => {
    for (let i = 1; i <= 26; i++) {
      const res = await asAdmin('/v1/api-keys', {
        method: 'POST',
        body: { project_id: 7, region_id: 1, name: `bulk-${String(i).padStart(2, '0')}`, containers: [] },
      });
      assert.equal(res.status, 201);
    }
    await page.reload();
    await heading('API keys').waitFor();
    const filters = page.getByRole('search', { name: 'Filter API keys' });
    await filters.getByLabel('Status').selectOption('Disabled');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await waitForText(page.locator('tbody'), (t) => t.includes('shop-gateway') && !t.includes('bulk-'));
    await filters.getByLabel('Status').selectOption('Active');
    await filters.getByLabel('Name or description').fill('shop');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No key matches these filters.').waitFor();

    await filters.getByLabel('Status').selectOption('');
    await filters.getByLabel('Name or description').fill('bulk');
    await filters.getByRole('button', { name: 'Filter' }).click();
    const pager = page.getByRole('navigation', { name: 'Pages of keys' });
    await waitForText(pager.locator('.pager-where'), (t) => t === 'Page 1 · 25 keys');
    assert.equal(await page.locator('tbody tr[data-key^="bulk-"]').count(), 25);
    await pager.getByRole('button', { name: 'Next' }).click();
    await waitForText(pager.locator('.pager-where'), (t) => t === 'Page 2 · 1 key');
    assert.equal(await page.locator('tbody tr[data-key]').getAttribute('data-key'), 'bulk-26');
    await pager.getByRole('button', { name: 'Previous' }).click();
    await waitForText(pager.locator('.pager-where'), (t) => t === 'Page 1 · 25 keys');
    await shot('12-api-keys');

    await filters.getByLabel('Name or description').fill('shop');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await waitForText(page.locator('tbody'), (t) => t.includes('shop-gateway') && !t.includes('bulk-'));
    await page.setViewportSize(PHONE);
    assert.ok((await horizontalOverflow(page)) <= 0, 'the API keys page scrolls sideways at phone width');
    await shot('13-api-keys-phone');
    await page.setViewportSize(DESKTOP);
  });

  step('shows the counts and the last hour of verifications on the overview', async () => {
    await goTo('Overview');
    const cards = page.getByRole('list', { name: 'Counts' }).getByRole('listitem');
    await cards.first().waitFor();
    assert.deepEqual(
      (await cards.allTextContents()).map((t) => t.trim()),
      ['1 SSH key', '27 API keys26 active · 1 disabled · 0 expired', '3 live tokens', '1 project'],
    );
    // The gateway asked six times above: three VALID, two FORBIDDEN_CONTAINER, one DISABLED.
    const chart = page.locator('figure.chart svg[role="img"]');
    assert.equal(await chart.getAttribute('aria-label'), '6 verifications in the last hour: 3 VALID, 2 FORBIDDEN_CONTAINER, 1 DISABLED.');
    assert.ok((await page.locator('rect.bar.bar-VALID').count()) >= 2, 'bars drawn (one in the chart at least, one in the legend)');
    assert.ok((await page.locator('svg rect.bar-DISABLED').count()) >= 2);
    await shot('14-overview');
    await page.setViewportSize(PHONE);
    assert.ok((await horizontalOverflow(page)) <= 0, 'the overview scrolls sideways at phone width');
    await shot('15-overview-phone');
    await page.setViewportSize(DESKTOP);
  });

  step('signs out, refuses a wrong token, and hides what a read-only token cannot do', async () => {
    const cookie = (await context.cookies(srv.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    assert.equal((await fetch(url('/v1/me'), { headers: { cookie } })).status, 200, 'the session cookie authenticates');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in').waitFor();
    await shot('16-sign-in');
    assert.equal((await fetch(url('/v1/me'), { headers: { cookie } })).status, 401, 'the session ended with sign-out');

    await page.getByLabel('Token').fill('1|wrongwrongwrongwrongwrongwrongwrongwrong00000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForText(page.locator('.field-error'), (t) => t.startsWith('that token is not valid'));

    await page.getByLabel('Token').fill(viewerToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Overview').waitFor();
    const links = await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();
    assert.deepEqual(links, ['Overview', 'SSH keys', 'SSH CA', 'API keys', 'Projects']);
    await goTo('SSH keys');
    await page.getByRole('heading', { name: 'deploy', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Add SSH key|Reveal|Edit|Delete/ }).count(), 0);
    await goTo('API keys');
    await page.locator('tr[data-key="shop-gateway"]').waitFor();
    assert.equal(await page.getByRole('button', { name: /New API key|Disable|Enable|Delete/ }).count(), 0);
    // A page the token may not use says so instead of failing.
    await page.goto(url('/ui/audit'));
    await heading('Not allowed').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in').waitFor();

    // Signing in keeps the page asked for.
    await page.getByLabel('Token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Audit').waitFor();
    await goTo('Tokens');
    await page.getByRole('button', { name: 'Revoke viewer' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    // Revoked tokens leave the list, unless asked for.
    await page.locator('tr', { hasText: 'viewer' }).waitFor({ state: 'detached' });
    await page.getByLabel(/Show revoked tokens/).check();
    await waitForText(page.locator('tr', { hasText: 'viewer' }).locator('.badge'), (t) => t === 'revoked');
    assert.equal((await fetch(url('/v1/me'), { headers: { authorization: `Bearer ${viewerToken}` } })).status, 401);
  });

  step('shows every step in the audit trail, paged with next_cursor and filtered by resource', async () => {
    await goTo('Audit');
    const actions = new Set<string>();
    await page.locator('tbody tr[data-action]').first().waitFor();
    assert.deepEqual(await unlabelledControls(page), []);
    await shot('17-audit');
    // The walk wrote some 50 events: at 25 a page, keyhold's next_cursor is followed at least once.
    await page.getByLabel('Per page').selectOption('25');
    const pager = page.getByRole('navigation', { name: 'Pages of events' });
    for (let pageNo = 1; ; pageNo++) {
      await waitForText(pager.locator('.pager-where'), (t) => new RegExp(`^Page ${pageNo} · \\d+ events?$`).test(t));
      for (const a of await page.locator('tbody tr[data-action]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))) actions.add(a!);
      const next = pager.getByRole('button', { name: 'Next' });
      if (await next.isDisabled()) {
        assert.ok(pageNo >= 2, 'more than one page of events');
        break;
      }
      await next.click();
    }
    for (const a of [
      'team.create',
      'token.create',
      'session.create',
      'private_key.create',
      'private_key.update',
      'private_key.reveal',
      'private_key.delete',
      'project.create',
      'project.delete',
      'team.delete',
      'caas_key.create',
      'caas_key.update',
      'token.revoke',
    ])
      assert.ok(actions.has(a), `${a} is not in the audit trail (seen: ${[...actions].join(', ')})`);

    const filters = page.getByRole('search', { name: 'Filter the audit trail' });
    await filters.getByLabel('Resource').fill('7/1/shop-gateway');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await settled();
    const rows = await page
      .locator('tbody tr[data-action]')
      .evaluateAll((trs) => trs.map((r) => [r.getAttribute('data-action'), r.querySelector('[data-label="Changed"]')?.textContent ?? '']));
    assert.deepEqual(rows, [
      ['caas_key.update', 'is_disabled'],
      ['caas_key.update', 'containers'],
      ['caas_key.create', 'name, description, containers, expire, is_disabled'],
    ]);
    await shot('18-audit-filtered');
  });

  it('answered every console request under the Content-Security-Policy, with nothing refused and no dialog', () => {
    assert.ok(consoleResponses.length >= 3, 'the console page and its assets were loaded');
    for (const r of consoleResponses) assert.equal(r.csp, CONSOLE_CSP, r.url);
    assert.deepEqual(browserErrors, []);
    assert.deepEqual(dialogs, []);
  });
});
