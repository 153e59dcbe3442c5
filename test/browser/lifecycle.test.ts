import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { CONSOLE_CSP } from '../../src/http/native/console.js';
import { ROOT, serve, type ServeProcess } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { horizontalOverflow, launch, screenshotDir, skipReason, unlabelledControls, waitForText, consoleWalk, watchPage, setUpFirstTeam } from './chromium.js';

/**
 * The console's key-lifecycle pages in a real browser: rerolling an API key with a grace period,
 * rate limits, and webhook endpoints with their deliveries, sent by the real server to a real
 * HTTP receiver in this process. Each step checks what the server then answers, not only the page.
 */

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

interface Received {
  headers: Record<string, string>;
  body: string;
  type: string;
  answered: number;
}

/** A webhook receiver on 127.0.0.1: records every request, and answers 500 while `failing`. */
async function receiver() {
  const requests: Received[] = [];
  const state = { failing: false };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const answered = state.failing ? 500 : 200;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let type = '';
      try {
        type = (JSON.parse(body) as { type: string }).type;
      } catch {
        /* recorded as it came */
      }
      requests.push({ headers, body, type, answered });
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'receiver says no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/keyhold`, requests, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Waits for a condition of this process (the receiver, the server's answers), polling. */
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeout = 15_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** "59 min 12 s", "1 h 0 min 3 s" → seconds. */
function seconds(text: string): number {
  let s = 0;
  for (const [, n, unit] of text.matchAll(/(\d+) (d|h|min|s)\b/g)) s += Number(n) * { d: 86_400, h: 3600, min: 60, s: 1 }[unit as 'd' | 'h' | 'min' | 's'];
  return s;
}

describe(`the console's rerolls, rate limits and webhooks in a real browser (${dialectUnderTest})`, { skip: skipReason() }, () => {
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
  let signingSecret = '';
  let webhookId = '';
  let secret = '';
  let oldSecret = '';

  const url = (p: string) => `${srv.url}${p}`;
  const { shotPaths, shot, step, heading, nav } = consoleWalk(
    () => page,
    () => shots,
  );
  const toast = (text: string | RegExp) => page.locator('.toasts .toast', { hasText: text });
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
  const verify = async (key: string) => {
    const res = await fetch(url('/v1/keys/verify'), {
      method: 'POST',
      headers: { authorization: `Bearer ${gatewayToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key, container: { name: 'web' } }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { code: string; rotating_until?: string };
  };
  const signIn = async (token: string) => {
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in').waitFor();
  };
  const keyRow = (name: string) => page.locator(`tr[data-key="${name}"]`);

  before(async () => {
    assert.ok(
      fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html')),
      'the console is not built: npm test builds it first (pretest), or run npm run build:web',
    );
    db = await freshDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-lifecycle-'));
    hooks = await receiver();
    // The receiver is on loopback, which keyhold refuses unless told otherwise.
    srv = await serve({ KEYHOLD_DATABASE_URL: db.url, KEYHOLD_DATA_DIR: dataDir, KEYHOLD_WEBHOOK_ALLOW_PRIVATE: '1', KEYHOLD_WEBHOOK_POLL_MS: '200' });
    shots = screenshotDir(`${dialectUnderTest}-lifecycle`);

    // The first team through the setup link's code (the console's setup page has its own test), a project and a gateway token.
    adminToken = await setUpFirstTeam(srv);
    assert.equal((await asAdmin('/v1/projects', { method: 'POST', body: { id: 7, name: 'web shop' } })).status, 201);
    const gw = await asAdmin<{ token: string }>('/v1/tokens', { method: 'POST', body: { name: 'gateway', abilities: ['verify'] } });
    assert.equal(gw.status, 201);
    gatewayToken = gw.body.token;

    browser = await launch();
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    watchPage(page, { dialogs, browserErrors, consoleResponses });
    await page.goto(url('/ui'));
    await heading('Sign in').waitFor();
    await signIn(adminToken);
    await heading('Overview').waitFor();
  });

  after(async () => {
    await browser?.close();
    srv?.child.kill('SIGTERM');
    await srv?.exited;
    await hooks?.close();
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (shotPaths.length) console.log(`console screenshots (${dialectUnderTest}, lifecycle):\n${shotPaths.map((p) => `  ${p}`).join('\n')}`);
  });

  step("creates a webhook endpoint with the server's event types, shows a refused URL at its field, and the signing secret once", async () => {
    await goTo('Webhooks');
    await page.getByText('No webhook endpoints yet.').waitFor();
    await page.getByRole('button', { name: 'New endpoint' }).click();
    const form = page.getByRole('form', { name: 'New webhook endpoint' });
    await form.waitFor();
    assert.deepEqual(await unlabelledControls(page), []);

    // The checkboxes are the server's own list (its OpenAPI document), plus "every event".
    const doc = (await (await fetch(url('/openapi.json'))).json()) as {
      components: { schemas: { WebhookCreate: { properties: { events: { items: { anyOf: Array<{ const: string }> } } } } } };
    };
    const served = doc.components.schemas.WebhookCreate.properties.events.items.anyOf.map((s) => s.const);
    const offered = await form.locator('input[type=checkbox][name=events]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    assert.deepEqual([...offered].sort(), [...served].sort());

    // The form's own checks, then keyhold's refusal, at the field it names.
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await waitForText(form.locator('.field.has-error .field-error'), (t) => t.startsWith('enter the receiver’s address'));
    await form.getByLabel('URL').fill('http://user:pw@hooks.example.com/x');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await waitForText(form.locator('fieldset.events .field-error'), (t) => t === 'choose at least one event type');
    for (const t of ['api_key.created', 'api_key.updated', 'api_key.disabled', 'api_key.rerolled'])
      await form.locator(`input[name=events][value="${t}"]`).check();
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await waitForText(form.locator('.field.has-error .field-error'), (t) => t === 'url must not carry credentials');
    assert.equal(await form.getByLabel('URL').getAttribute('aria-invalid'), 'true');

    await form.getByLabel('URL').fill(hooks.url);
    await form.getByLabel('Description (optional)').fill('audit pipeline');
    await shot('01-webhook-create');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByText('you will not see it again').waitFor();
    signingSecret = await page.locator('input[data-secret]').inputValue();
    assert.match(signingSecret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
    await shot('02-webhook-secret');
    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.locator('input[data-secret]').count(), 0, 'the secret is gone once done');

    const listed = await asAdmin<Array<{ id: string; url: string; events: string[]; description: string; enabled: boolean }>>('/v1/webhooks');
    assert.equal(listed.body.length, 1);
    const [w] = listed.body;
    assert.ok(w);
    webhookId = w.id;
    assert.deepEqual(
      { url: w.url, events: [...w.events].sort(), description: w.description, enabled: w.enabled },
      {
        url: hooks.url,
        events: ['api_key.created', 'api_key.disabled', 'api_key.rerolled', 'api_key.updated'],
        description: 'audit pipeline',
        enabled: true,
      },
    );
    const row = page.locator(`tr[data-webhook="${webhookId}"]`);
    await waitForText(row.locator('.badge'), (t) => t === 'Active');
    assert.equal((await row.locator('.webhook-url').textContent())?.trim(), hooks.url);
    await shot('03-webhooks');
    await page.setViewportSize(PHONE);
    assert.ok((await horizontalOverflow(page)) <= 0, 'the Webhooks page scrolls sideways at phone width');
    await shot('03-webhooks-phone');
    await page.setViewportSize(DESKTOP);
  });

  step('creates an API key with a rate limit, shown in the list; its event reaches the receiver, signed, and shows as delivered', async () => {
    await goTo('API keys');
    await page.getByRole('button', { name: 'New API key' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New API key' }) });
    await form.getByLabel('Project').selectOption('7');
    await form.getByLabel('Name', { exact: true }).fill('limited');
    await form.getByLabel('Container 1 name', { exact: true }).fill('web');
    // Off by default.
    assert.equal(await form.getByLabel('Requests per window').count(), 0);
    await form.getByLabel('Limit how often gateways admit this key').check();
    assert.deepEqual(await unlabelledControls(page), []);
    await form.getByLabel('Requests per window').fill('0');
    await form.getByRole('button', { name: 'Create key' }).click();
    await waitForText(form.locator('fieldset.rate-limit .field-error'), (t) => t.startsWith('the number of requests must be a whole number from 1'));
    await form.getByLabel('Requests per window').fill('5');
    await form.getByLabel('Window', { exact: true }).selectOption({ label: 'minute' });
    await shot('04-api-key-rate-limit');
    await form.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('you will not see it again').waitFor();
    secret = await page.locator('input[data-secret]').inputValue();
    assert.match(secret, /^khk_/);
    await page.getByRole('button', { name: 'Done' }).click();

    await waitForText(keyRow('limited').locator('td[data-label="Rate limit"]'), (t) => t === '5 requests per minute');
    const stored = await asAdmin<{ rate_limit: unknown }>('/v1/api-keys/7/1/limited');
    assert.deepEqual(stored.body.rate_limit, { limit: 5, window_seconds: 60 });
    assert.equal((await verify(secret)).code, 'VALID');

    // The receiver got api_key.created, signed with the secret the console showed.
    const got = await until('api_key.created at the receiver', () => hooks.requests.find((r) => r.type === 'api_key.created'));
    const event = new StandardWebhook(signingSecret).verify(got.body, got.headers) as { data: { key: { name: string } } };
    assert.equal(event.data.key.name, 'limited');
    assert.ok(!got.body.includes(secret), 'no secret in the payload');

    await goTo('Webhooks');
    await page.getByRole('link', { name: `Deliveries of ${hooks.url}` }).click();
    await heading('Webhook deliveries').waitFor();
    const delivered = page.locator('tr[data-delivery]', { hasText: 'api_key.created' });
    await waitForText(delivered.locator('.badge'), (t) => t === 'delivered');
    assert.equal((await delivered.locator('td[data-label="Attempts"]').textContent())?.trim(), '1');
    assert.equal((await delivered.locator('.response-status').textContent())?.trim(), 'HTTP 200');
    assert.match((await delivered.locator('td[data-label="Latency"]').textContent()) ?? '', /^\d+ ms$/);
    assert.match((await delivered.locator('[data-label="Event"]').textContent()) ?? '', new RegExp(got.headers['webhook-id']!));
    await shot('05-deliveries');
  });

  step('edits the rate limit away', async () => {
    await goTo('API keys');
    await keyRow('limited').getByRole('button', { name: 'Edit limited' }).click();
    const edit = page.getByRole('form', { name: 'Edit limited' });
    assert.equal(await edit.getByLabel('Requests per window').inputValue(), '5');
    await edit.getByLabel('Limit how often gateways admit this key').uncheck();
    await edit.getByRole('button', { name: 'Save' }).click();
    await toast('Key limited saved.').waitFor();
    await waitForText(keyRow('limited').locator('td[data-label="Rate limit"]'), (t) => t === 'none');
    assert.equal((await asAdmin<{ rate_limit: unknown }>('/v1/api-keys/7/1/limited')).body.rate_limit, null);
    await until('api_key.updated at the receiver', () => hooks.requests.find((r) => r.type === 'api_key.updated'));
  });

  step('rerolls the key with a grace period: the new secret once, both secrets verify, and the time left counts down', async () => {
    const row = keyRow('limited');
    await row.getByRole('button', { name: 'Reroll limited' }).click();
    const form = page.getByRole('form', { name: 'Reroll limited' });
    const grace = form.getByLabel('The old secret keeps working for');
    // Out of range: said plainly, nothing sent.
    await grace.selectOption({ label: 'another length…' });
    await form.getByLabel('Grace period length').fill('31');
    await form.getByLabel('Grace period unit').selectOption({ label: 'days' });
    await form.getByLabel('Grace period length').press('Enter');
    await waitForText(form.locator('.field-error'), (t) => t === 'the grace period must be between 0 and 30 days');
    assert.equal((await asAdmin<{ rotating_until: unknown }>('/v1/api-keys/7/1/limited')).body.rotating_until, null);
    await shot('06-reroll-form');

    // A preset, and Enter on the select submits.
    await grace.selectOption({ label: '1 hour' });
    await grace.press('Enter');
    await page.getByText('you will not see it again').waitFor();
    await page.getByRole('button', { name: 'Copy the new API key secret' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
    oldSecret = secret;
    secret = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(secret, /^khk_/);
    assert.notEqual(secret, oldSecret);
    await page.getByText('The old secret keeps verifying until').waitFor();
    await shot('07-reroll-secret');

    const oldAnswer = await verify(oldSecret);
    assert.equal(oldAnswer.code, 'VALID');
    assert.ok(oldAnswer.rotating_until, 'the old secret verifies with rotating_until');
    const newAnswer = await verify(secret);
    assert.equal(newAnswer.code, 'VALID');
    assert.equal(newAnswer.rotating_until, undefined, 'the new secret is not the rotating one');
    await page.getByRole('button', { name: 'Done' }).click();

    // The countdown, from the server's rotating_until, moving every second.
    const stored = await asAdmin<{ rotating_until: string }>('/v1/api-keys/7/1/limited');
    const end = Date.parse(stored.body.rotating_until);
    assert.ok(Math.abs(end - Date.now() - 3_600_000) < 60_000, 'an hour of grace');
    const timer = row.locator('.rotating');
    const first = await waitForText(timer, (t) => /^old secret valid for (59 min \d+ s|1 h 0 min 0 s)$/.test(t));
    const left = seconds(first);
    assert.ok(Math.abs(left - (end - Date.now()) / 1000) <= 3, `${first} matches rotating_until ${stored.body.rotating_until}`);
    await waitForText(timer, (t) => t !== first && /^old secret valid for 59 min \d+ s$/.test(t), 5_000);
    await shot('08-reroll-countdown');

    const hook = await until('api_key.rerolled at the receiver', () => hooks.requests.find((r) => r.type === 'api_key.rerolled'));
    assert.ok(!hook.body.includes(secret) && !hook.body.includes(oldSecret), 'no secret in the payload');
  });

  step('a countdown disappears when its grace period ends, and the old secret stops verifying', async () => {
    const row = keyRow('limited');
    await row.getByRole('button', { name: 'Reroll limited' }).click();
    const form = page.getByRole('form', { name: 'Reroll limited' });
    await form.getByLabel('The old secret keeps working for').selectOption({ label: 'another length…' });
    await form.getByLabel('Grace period unit').selectOption({ label: 'minutes' });
    await form.getByLabel('Grace period length').fill('0.15');
    await form.getByRole('button', { name: 'Reroll secret' }).click();
    await page.getByText('you will not see it again').waitFor();
    const replaced = secret;
    secret = await page.locator('input[data-secret]').inputValue();
    await page.getByRole('button', { name: 'Done' }).click();
    // The first reroll's old secret ends at once; the one just replaced has nine seconds.
    assert.notEqual((await verify(oldSecret)).code, 'VALID');
    assert.equal((await verify(replaced)).code, 'VALID');
    await waitForText(row.locator('.rotating'), (t) => /^old secret valid for [1-9] s$/.test(t));
    await row.locator('.rotating').waitFor({ state: 'detached', timeout: 10_000 });
    await until('the replaced secret to stop verifying', async () => (await verify(replaced)).code !== 'VALID', 5_000);
    assert.equal((await verify(secret)).code, 'VALID');
  });

  step('shows a failed delivery, and Redeliver sends the event again, successfully, under the same webhook-id', async () => {
    hooks.state.failing = true;
    const before = hooks.requests.length;
    await keyRow('limited').getByRole('button', { name: 'Disable limited' }).click();
    await waitForText(keyRow('limited').locator('.badge'), (t) => t === 'Disabled');
    const failed = await until('a refused api_key.disabled', () =>
      hooks.requests.slice(before).find((r) => r.type === 'api_key.disabled' && r.answered === 500),
    );

    await goTo('Webhooks');
    await page.getByRole('link', { name: `Deliveries of ${hooks.url}` }).click();
    await heading('Webhook deliveries').waitFor();
    const row = page.locator('tr[data-delivery]', { hasText: 'api_key.disabled' });
    await waitForText(row.locator('.response-status'), (t) => t === 'HTTP 500');
    assert.equal((await row.locator('.badge').textContent())?.trim(), 'pending');
    await row.locator('summary', { hasText: 'Body' }).click();
    await row.getByText('receiver says no').waitFor();
    await shot('09-delivery-failed');

    hooks.state.failing = false;
    const originalId = Number(await row.getAttribute('data-delivery'));
    await row.getByRole('button', { name: `Redeliver delivery ${originalId}` }).click();
    // A pending delivery is made due now, not doubled (one send per event and endpoint): the same row.
    await waitForText(toast(/will be sent again now/), (t) => t === `Delivery ${originalId} will be sent again now.`);
    const again = page.locator(`tr[data-delivery="${originalId}"]`);
    await waitForText(again.locator('.badge'), (t) => t === 'delivered');
    assert.equal((await again.locator('.response-status').textContent())?.trim(), 'HTTP 200');
    assert.equal((await again.locator('td[data-label="Attempts"]').textContent())?.trim(), '2', 'the failed attempt and the redelivered one, on one row');
    const ok = await until('a successful api_key.disabled', () =>
      hooks.requests.find((r) => r.type === 'api_key.disabled' && r.answered === 200 && r.headers['webhook-id'] === failed.headers['webhook-id']),
    );
    new StandardWebhook(signingSecret).verify(ok.body, ok.headers);
    await shot('10-delivery-redelivered');
    await page.setViewportSize(PHONE);
    assert.ok((await horizontalOverflow(page)) <= 0, 'the deliveries page scrolls sideways at phone width');
    await shot('11-deliveries-phone');
    await page.setViewportSize(DESKTOP);
  });

  step('pages through deliveries', async () => {
    for (let i = 1; i <= 20; i++)
      assert.equal((await asAdmin('/v1/api-keys', { method: 'POST', body: { project_id: 7, region_id: 1, name: `bulk-${i}`, containers: [] } })).status, 201);
    await until('20 more deliveries', async () => {
      const res = await asAdmin<{ deliveries: Array<{ status: string }> }>(`/v1/webhooks/${webhookId}/deliveries?limit=1000`);
      return res.body.deliveries.length >= 25 && res.body.deliveries.every((d) => d.status !== 'pending');
    });
    const total = (await asAdmin<{ deliveries: unknown[] }>(`/v1/webhooks/${webhookId}/deliveries?limit=1000`)).body.deliveries.length;
    await page.getByRole('button', { name: 'Refresh' }).click();
    const pager = page.getByRole('navigation', { name: 'Pages of deliveries' });
    await waitForText(pager.locator('.pager-where'), (t) => t === 'Page 1 · 20 deliveries');
    assert.equal(await page.locator('tbody tr[data-delivery]').count(), 20);
    // One date format in the console: deliveries' times read as the others do, with seconds ("Dec 2, 2026, 4:31:07 PM").
    const times = await page.locator('tbody tr[data-delivery] time').allTextContents();
    assert.ok(times.length >= 20);
    for (const t of times) assert.match(t.trim(), /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
    await pager.getByRole('button', { name: 'Next' }).click();
    await waitForText(pager.locator('.pager-where'), (t) => t === `Page 2 · ${total - 20} ${total - 20 === 1 ? 'delivery' : 'deliveries'}`);
    // Oldest last: the first event of the walk.
    await page.locator('tbody tr[data-delivery]').last().filter({ hasText: 'api_key.created' }).waitFor();
    await pager.getByRole('button', { name: 'First' }).click();
    await waitForText(pager.locator('.pager-where'), (t) => t === 'Page 1 · 20 deliveries');
  });

  step('deletes the endpoint after confirmation', async () => {
    await page.getByRole('link', { name: 'All endpoints' }).click();
    await heading('Webhooks').waitFor();
    await page.getByRole('button', { name: `Delete ${hooks.url}` }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await toast(`Endpoint ${hooks.url} deleted.`).waitFor();
    await page.getByText('No webhook endpoints yet.').waitFor();
    assert.deepEqual((await asAdmin('/v1/webhooks')).body, []);
    assert.equal((await asAdmin(`/v1/webhooks/${webhookId}/deliveries`)).status, 404);
    await shot('12-webhooks-deleted');
  });

  step('offers Reroll only with write, and the Webhooks page only with root', async () => {
    const make = async (name: string, abilities: string[]) => {
      const res = await asAdmin<{ token: string }>('/v1/tokens', { method: 'POST', body: { name, abilities } });
      assert.equal(res.status, 201);
      return res.body.token;
    };
    const writer = await make('writer', ['read', 'write']);
    const reader = await make('reader', ['read']);
    await signOut();
    // Signed out on the Webhooks page, signing in asks for it again: a write token may not see it.
    await signIn(writer);
    await heading('Not allowed').waitFor();
    await page.getByText('This page needs a token with the root ability').waitFor();
    assert.deepEqual(await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(), [
      'Overview',
      'SSH keys',
      'SSH CA',
      'API keys',
      'Projects',
    ]);
    await goTo('API keys');
    await keyRow('limited').getByRole('button', { name: 'Reroll limited' }).waitFor();
    await page.goto(url('/ui/webhooks'));
    await heading('Not allowed').waitFor();
    await signOut();
    await signIn(reader);
    await heading('Not allowed').waitFor();
    assert.deepEqual(await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(), [
      'Overview',
      'SSH keys',
      'SSH CA',
      'API keys',
      'Projects',
    ]);
    await page.goto(url('/ui/api-keys'));
    await keyRow('limited').waitFor();
    assert.equal(await page.getByRole('button', { name: /Reroll/ }).count(), 0);
  });

  it('answered every console request under the Content-Security-Policy, with nothing refused and no dialog', () => {
    assert.ok(consoleResponses.length >= 3, 'the console page and its assets were loaded');
    for (const r of consoleResponses) assert.equal(r.csp, CONSOLE_CSP, r.url);
    assert.deepEqual(browserErrors, []);
    assert.deepEqual(dialogs, []);
  });
});
