import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { ROOT, type ServeProcess } from '../helpers/cli.js';

/** Debian's chromium, driven by playwright-core (no browser download). */
export const CHROMIUM = process.env.KEYHOLD_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or false. CI must have chromium (.ci/run installs it): there, its absence fails the test. */
export function skipReason(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  if (process.env.CI) return false;
  return `${CHROMIUM} is not installed (apt-get install -y chromium); the console's browser test is skipped outside CI`;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** test-artifacts/screenshots/<db>/: the pages as a person sees them, for CI output and review. */
export function screenshotDir(db: string): string {
  const dir = path.join(ROOT, 'test-artifacts', 'screenshots', db);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Waits until the locator's text (trimmed) satisfies `ok`, and returns it. */
export async function waitForText(locator: Locator, ok: (text: string) => boolean, timeout = 10_000): Promise<string> {
  const until = Date.now() + timeout;
  for (;;) {
    const last = ((await locator.textContent({ timeout }).catch(() => null)) ?? '').trim();
    if (ok(last)) return last;
    if (Date.now() > until) throw new Error(`timed out waiting for the text of ${String(locator)}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Does the page fit its viewport's width (nothing to scroll sideways)? */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Waits until a form control's value satisfies `ok`, and returns it. */
export async function waitForValue(locator: Locator, ok: (value: string) => boolean, timeout = 10_000): Promise<string> {
  const until = Date.now() + timeout;
  for (;;) {
    const v = await locator.inputValue({ timeout });
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for the value of ${String(locator)}; last seen: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the focused element's accessible text (aria-label, else its text) is `name`. */
export async function waitForFocus(page: Page, name: string, timeout = 5_000): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const el = document.activeElement;
      return !!el && (el.getAttribute('aria-label') ?? el.textContent?.trim()) === n;
    },
    name,
    { timeout },
  );
}

/** Form controls on the page that a screen reader would announce without a name (no label, aria-label or aria-labelledby). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')]
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/**
 * What every console walk shares: screenshots (their paths kept, to list at the end), steps that keep
 * a screenshot of the page when they fail, and the page's heading and navigation links.
 */
export function consoleWalk(getPage: () => Page, dir: () => string) {
  const shotPaths: string[] = [];
  const shot = async (name: string, opts: { fullPage?: boolean } = {}) => {
    const file = path.join(dir(), `${name}.png`);
    await getPage().screenshot({ path: file, fullPage: opts.fullPage ?? true });
    shotPaths.push(path.relative(ROOT, file));
  };
  const step = (name: string, fn: () => Promise<void>): void => {
    it(name, async () => {
      try {
        await fn();
      } catch (e) {
        await shot(`failed-${name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
        throw e;
      }
    });
  };
  const heading = (name: string) => getPage().getByRole('heading', { level: 1, name, exact: true });
  const nav = (name: string) => getPage().getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });
  return { shotPaths, shot, step, heading, nav };
}

/**
 * Watches a walk's page: dialogs (recorded, then dismissed), errors of the page (a CSP violation is a
 * console error; keyhold's own 4xx answers, which walks provoke on purpose, are not), and the
 * Content-Security-Policy of every answer under /ui.
 */
export function watchPage(page: Page, into: { dialogs: string[]; browserErrors: string[]; consoleResponses: Array<{ url: string; csp: string | undefined }> }): void {
  page.on('dialog', (d) => {
    into.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => into.browserErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) into.browserErrors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/ui')) into.consoleResponses.push({ url: r.url(), csp: r.headers()['content-security-policy'] });
  });
}

/**
 * Names the first team through the one-time setup link `keyhold serve` printed on stderr (the
 * console's setup page has its own test) and answers the administrator token it gave.
 */
export async function setUpFirstTeam(srv: Pick<ServeProcess, 'url' | 'stderr'>, team = 'acme'): Promise<string> {
  let link: string | undefined;
  for (let i = 0; i < 100 && !link; i++) {
    link = /(http:\/\/\S+\/ui\/setup\?code=\S+)/.exec(srv.stderr())?.[1];
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(link, `no setup link on stderr: ${srv.stderr()}`);
  const setup = await fetch(`${srv.url}/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: srv.url },
    body: JSON.stringify({ code: new URL(link).searchParams.get('code'), team }),
  });
  assert.equal(setup.status, 201, await setup.clone().text());
  return ((await setup.json()) as { token: { token: string } }).token.token;
}
