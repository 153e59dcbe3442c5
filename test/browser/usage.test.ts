import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { ROOT, serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { consoleWalk, horizontalOverflow, launch, screenshotDir, skipReason, unlabelledControls, waitForText, watchPage, setUpFirstTeam } from './chromium.js';

/**
 * Usage in the console (issue 20) and a webhook endpoint's test event and secret rotation (issue 21),
 * in a real browser at desktop and phone widths: one key's page (its chart by code, the window, its
 * totals, last use and refusals), the overview's window and top keys, the list's "used in the last
 * 30 days", and a real receiver checking signatures with the old and the new secret.
 */

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const CODES = ['VALID', 'FORBIDDEN_CONTAINER', 'RATE_LIMITED', 'DISABLED', 'EXPIRED', 'NOT_FOUND', 'MALFORMED'];

interface Received {
  headers: Record<string, string>;
  body: string;
  type: string;
}

/** A webhook receiver on 127.0.0.1 that records every request and answers 200. */
async function receiver() {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let type = '';
      try {
        type = (JSON.parse(body) as { type: string }).type;
      } catch {
        /* recorded as it came */
      }
      requests.push({ headers, body, type });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/keyhold`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeout = 15_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`usage and webhook tests and rotations in a real browser (${dialectUnderTest})`, { skip: skipReason() }, () => {
  let db: TestDatabase;
  let dataDir: string;
  let srv: ServeProcess;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let browser: Browser;
  let page: Page;
  let shots: string;
  const dialogs: string[] = [];
  const browserErrors: string[] = [];
  const consoleResponses: Array<{ url: string; csp: string | undefined }> = [];
  let adminToken = '';
  let gatewayToken = '';
  const answered: Record<string, number> = {};

  const url = (p: string) => `${srv.url}${p}`;
  const { shotPaths, shot, step, heading, nav } = consoleWalk(
    () => page,
    () => shots,
  );
  const goTo = async (name: string) => {
    await nav(name).click();
    await heading(name).waitFor();
  };
  const asAdmin = async <T = unknown>(p: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(url(p), {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${adminToken}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const verify = async (key: string, container: string) => {
    const res = await fetch(url('/v1/keys/verify'), {
      method: 'POST',
      headers: { authorization: `Bearer ${gatewayToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key, container: { name: container } }),
    });
    assert.equal(res.status, 200);
    const code = ((await res.json()) as { code: string }).code;
    answered[code] = (answered[code] ?? 0) + 1;
    return code;
  };
  const atBothWidths = async (name: string, check: () => Promise<void>) => {
    await check();
    await shot(`${name}-desktop`);
    await page.setViewportSize(PHONE);
    try {
      await page.waitForTimeout(150);
      await check();
      await shot(`${name}-phone`);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  };
  const fits = async () => {
    assert.ok((await horizontalOverflow(page)) <= 0, 'the page scrolls sideways');
    assert.deepEqual(await unlabelledControls(page), []);
  };
  const chartLabel = () => page.locator('figure.chart svg[role="img"]').getAttribute('aria-label');

  before(async () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html')), 'the console is not built: npm run build:web');
    db = await freshDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-usage-'));
    hooks = await receiver();
    srv = await serve({
      KEYHOLD_DATABASE_URL: db.url,
      KEYHOLD_DATA_DIR: dataDir,
      KEYHOLD_WEBHOOK_ALLOW_PRIVATE: 'true',
      KEYHOLD_WEBHOOK_POLL_MS: '200',
      KEYHOLD_USAGE_FLUSH_MS: '200',
    });
    shots = screenshotDir(`${dialectUnderTest}-usage`);
    adminToken = await setUpFirstTeam(srv);
    assert.equal((await asAdmin('/v1/projects', { method: 'POST', body: { id: 7, name: 'web shop' } })).status, 201);
    const gw = await asAdmin<{ token: string }>('/v1/tokens', { method: 'POST', body: { name: 'gateway', abilities: ['verify'] } });
    assert.equal(gw.status, 201);
    gatewayToken = gw.body.token;

    browser = await launch();
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    watchPage(page, { dialogs, browserErrors, consoleResponses });
    await page.goto(url('/ui'));
    await heading('Sign in').waitFor();
    await page.getByLabel('Token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Overview').waitFor();
  });

  after(async () => {
    await browser?.close();
    srv?.child.kill('SIGTERM');
    await srv?.exited;
    await hooks?.close();
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (shotPaths.length) console.log(`console screenshots (${dialectUnderTest}, usage):\n${shotPaths.map((p) => `  ${p}`).join('\n')}`);
  });

  step("a key's usage page: its chart with every code, totals, last use and refusals; the window in the address", async () => {
    const shop = await asAdmin<{ secret: string }>('/v1/api-keys', {
      method: 'POST',
      body: { project_id: 7, region_id: 1, name: 'shop', containers: [{ name: 'web', namespace: 'default' }], rate_limit: { limit: 3, window_seconds: 60 } },
    });
    assert.equal(shop.status, 201, JSON.stringify(shop.body));
    assert.equal(
      (
        await asAdmin('/v1/api-keys', {
          method: 'POST',
          body: { project_id: 7, region_id: 1, name: 'idle', containers: [{ name: 'web', namespace: 'default' }] },
        })
      ).status,
      201,
    );
    const codes = [];
    for (const c of ['web', 'db', 'web', 'web', 'web', 'web']) codes.push(await verify(shop.body.secret, c));
    assert.ok(codes.includes('VALID') && codes.includes('FORBIDDEN_CONTAINER') && codes.includes('RATE_LIMITED'), codes.join(' '));
    const refused = codes.filter((c) => c !== 'VALID').length;
    await until('the refusals flushed', async () => {
      const r = await asAdmin<{ refusals: unknown[] }>('/v1/api-keys/7/1/shop/refusals');
      return r.body.refusals.length === refused || undefined;
    });

    await goTo('API keys');
    await page.locator('tr[data-key="shop"]').waitFor();
    await page.getByRole('link', { name: 'Usage of shop' }).click();
    await heading('Usage of shop').waitFor();
    const summary = `${codes.length} verifications in the last hour: ${CODES.filter((c) => answered[c])
      .map((c) => `${answered[c]} ${c}`)
      .join(', ')}.`;
    await page.waitForFunction((s) => document.querySelector('figure.chart svg[role="img"]')?.getAttribute('aria-label') === s, summary);
    const legend = (await page.locator('.legend li').allTextContents()).map((t) => t.trim());
    assert.deepEqual(
      legend,
      CODES.map((c) => `${c} ${answered[c] ?? 0}`),
    );
    assert.ok((await page.locator('figure.chart > svg rect.bar-RATE_LIMITED').count()) >= 1, 'a RATE_LIMITED bar');
    const totals = (await page.getByRole('list', { name: 'Totals for the window' }).locator('li').allTextContents()).map((t) => t.trim());
    assert.deepEqual(totals, [`${codes.length} answers`, `${answered.VALID} valid`, `${refused} refused`]);
    await waitForText(page.getByTestId('last-use'), (t) => /ago|now/.test(t));
    const rows = page.locator('.refusals-table tbody tr');
    assert.equal(await rows.count(), refused);
    const first = rows.first();
    assert.match((await first.locator('td[data-label="Code"]').textContent()) ?? '', /^(FORBIDDEN_CONTAINER|RATE_LIMITED)$/);
    assert.match((await first.locator('td[data-label="Container"]').textContent()) ?? '', /^(web|db) in default$/);
    assert.ok(((await first.locator('td[data-label="Request id"]').textContent()) ?? '').trim().length > 2, 'a request id');
    assert.ok(((await first.locator('td[data-label="Client address"]').textContent()) ?? '').includes('127.0.0.1'), 'the client address');
    await page.locator('.refusals-table tbody tr[data-code="FORBIDDEN_CONTAINER"] td[data-label="Container"]', { hasText: 'db' }).waitFor();
    await atBothWidths('01-key-usage-1h', fits);

    // Another window: in the address, a day of hours; Back returns to the hour.
    await page.getByRole('group', { name: 'Window' }).getByRole('button', { name: '24 h' }).click();
    await page.waitForFunction(() => document.querySelector('figure.chart svg[role="img"]')?.getAttribute('aria-label')?.includes('the last 24 hours'));
    assert.match(page.url(), /[?&]window=24h/);
    assert.equal(await page.getByRole('button', { name: '24 h' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await chartLabel(), summary.replace('the last hour', 'the last 24 hours'));
    await atBothWidths('02-key-usage-24h', fits);
    await page.getByRole('button', { name: '30 d' }).click();
    await page.waitForFunction(() => document.querySelector('figure.chart svg[role="img"]')?.getAttribute('aria-label')?.includes('the last 30 days'));
    await atBothWidths('03-key-usage-30d', fits);
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('figure.chart svg[role="img"]')?.getAttribute('aria-label')?.includes('the last 24 hours'));
    // A bookmarked address opens the same window.
    await page.goto(url('/ui/api-keys/usage?project=7&region=1&name=shop&window=7d'));
    await heading('Usage of shop').waitFor();
    await page.waitForFunction(() => document.querySelector('figure.chart svg[role="img"]')?.getAttribute('aria-label')?.includes('the last 7 days'));
  });

  step('the API-key list says which keys were used in the last 30 days', async () => {
    await goTo('API keys');
    await page.locator('tr[data-key="idle"]').waitFor();
    assert.equal(await page.locator('tr[data-key="shop"] td[data-label="Used in the last 30 days"]').getAttribute('data-used'), 'yes');
    assert.equal(await page.locator('tr[data-key="idle"] td[data-label="Used in the last 30 days"]').getAttribute('data-used'), 'no');
    await atBothWidths('04-api-keys-used', fits);
  });

  step("the overview's window picker and top keys, each linking to its key's usage", async () => {
    await goTo('Overview');
    await page.waitForFunction(() => document.querySelector('figure.chart svg[role="img"]')?.getAttribute('aria-label')?.includes('the last hour'));
    await page.getByRole('button', { name: '7 d' }).click();
    await page.waitForFunction(() => document.querySelector('figure.chart svg[role="img"]')?.getAttribute('aria-label')?.includes('the last 7 days'));
    assert.match(page.url(), /[?&]window=7d/);
    const used = page.getByRole('region', { name: 'Most used keys' });
    await used.getByRole('link', { name: 'shop' }).waitFor();
    assert.equal(await used.locator('li').count(), 1, 'only the used key');
    await page.getByRole('region', { name: 'Most refused keys' }).getByRole('link', { name: 'shop' }).waitFor();
    await atBothWidths('05-overview-7d', fits);
    await used.getByRole('link', { name: 'shop' }).click();
    await heading('Usage of shop').waitFor();
    assert.match(page.url(), /window=7d/);
  });

  step('a test event reaches a real receiver; after a rotation with a grace period it verifies with the old and the new secret', async () => {
    const created = await asAdmin<{ id: string; secret: string }>('/v1/webhooks', { method: 'POST', body: { url: hooks.url, events: ['api_key.deleted'] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const oldSecret = created.body.secret;
    await goTo('Webhooks');
    await page.getByRole('button', { name: `Send a test event to ${hooks.url}` }).click();
    await heading('Webhook deliveries').waitFor();
    const row = page.locator('tr[data-delivery]', { hasText: 'webhook.test' }).first();
    await row.waitFor();
    await page.locator('tr[data-delivery][data-status="delivered"]', { hasText: 'webhook.test' }).first().waitFor();
    const first = await until('webhook.test at the receiver', () => hooks.requests.find((r) => r.type === 'webhook.test'));
    new StandardWebhook(oldSecret).verify(first.body, first.headers);
    await atBothWidths('06-webhook-test-delivered', fits);

    await goTo('Webhooks');
    await page.getByRole('button', { name: `Rotate the signing secret of ${hooks.url}` }).click();
    const form = page.getByRole('form', { name: `Rotate the signing secret of ${hooks.url}` });
    const options = (await form.locator('select option').allTextContents()).map((t) => t.trim());
    assert.deepEqual(options, ['none: it stops at once', '1 hour', '1 day', '7 days']);
    await form.getByLabel('The old secret keeps signing for').selectOption({ label: '1 day' });
    await atBothWidths('07-webhook-rotate-form', fits);
    await form.getByRole('button', { name: 'Rotate secret' }).click();
    const secretField = page.getByRole('textbox', { name: 'New signing secret', exact: true });
    await secretField.waitFor();
    const newSecret = await secretField.inputValue();
    assert.match(newSecret, /^whsec_/);
    assert.notEqual(newSecret, oldSecret);
    await waitForText(page.locator('.secret-once'), (t) => t.includes('keeps signing beside it until'));
    await page.getByTestId('previous-secret').waitFor();
    await atBothWidths('08-webhook-rotated', fits);
    await page.getByRole('button', { name: 'Done' }).click();
    await waitForText(page.getByTestId('previous-secret'), (t) => t.startsWith('the previous signing secret also signs until'));

    const before = hooks.requests.length;
    await page.getByRole('button', { name: `Send a test event to ${hooks.url}` }).click();
    await heading('Webhook deliveries').waitFor();
    const second = await until('a second webhook.test', () => hooks.requests.slice(before).find((r) => r.type === 'webhook.test'));
    assert.equal(second.headers['webhook-signature']!.split(' ').length, 2, `two signatures: ${second.headers['webhook-signature']}`);
    new StandardWebhook(oldSecret).verify(second.body, second.headers);
    new StandardWebhook(newSecret).verify(second.body, second.headers);
    await page.locator('tr[data-delivery][data-status="delivered"]', { hasText: 'webhook.test' }).nth(1).waitFor();

    // From the delivery log itself: a third test, listed there, signed by both secrets too.
    const third = hooks.requests.length;
    await page.getByRole('button', { name: 'Send test event' }).click();
    const again = await until('a third webhook.test', () => hooks.requests.slice(third).find((r) => r.type === 'webhook.test'));
    new StandardWebhook(newSecret).verify(again.body, again.headers);
    await page.locator('tr[data-delivery][data-status="delivered"]', { hasText: 'webhook.test' }).nth(2).waitFor();
  });

  step('no dialogs, no errors in the browser', async () => {
    assert.deepEqual(dialogs, []);
    assert.deepEqual(browserErrors, []);
  });
});
