import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest, freshDatabase } from '../helpers/db.js';
import { serve } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Console sign-in: the cookie's flags, its lifetimes, sign-out, and refusal of cross-site writes. */

const MINUTE = 60_000;

/** The `name=value` of a Set-Cookie header and its attributes, lower-cased. */
function parseSetCookie(header: string | null): { value: string; attrs: Map<string, string> } {
  assert.ok(header, 'a Set-Cookie header');
  const [pair, ...rest] = header.split(';').map((p) => p.trim());
  const attrs = new Map(rest.map((a) => a.split('=') as [string, string]).map(([k, v]) => [k.toLowerCase(), v ?? '']));
  return { value: pair!.slice(pair!.indexOf('=') + 1), attrs };
}

describe(`console sessions (${dialectUnderTest})`, () => {
  let s: TestServer;
  let now = Date.parse('2026-06-01T12:00:00Z');
  let root: string;

  before(async () => {
    s = await startTestServer({
      clock: () => now,
      config: { sessions: { idleMs: 30 * MINUTE, absoluteMs: 120 * MINUTE } },
    });
    root = await s.token('root');
    await s.runtime.services.projects.createProject({ team: 'acme', id: 1 });
  });
  after(() => s.close());

  const signIn = async (token = root, headers: Record<string, string> = {}) => {
    const r = await s.request('POST', '/v1/sessions', { body: { token }, headers });
    assert.equal(r.status, 201, r.text);
    return { cookie: `keyhold_session=${parseSetCookie(r.headers.get('set-cookie')).value}`, res: r };
  };
  const withCookie = (cookie: string, method: string, path: string, body?: unknown, origin: string | null = s.url) =>
    s.request(method, path, { body, headers: { cookie, ...(origin ? { origin } : {}) } });

  it('signs in with a token: an HttpOnly, SameSite=Strict cookie for the whole session, Secure behind TLS', async () => {
    const { res } = await signIn();
    const { value, attrs } = parseSetCookie(res.headers.get('set-cookie'));
    assert.match(value, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(attrs.has('httponly'));
    assert.equal(attrs.get('samesite')?.toLowerCase(), 'strict');
    assert.equal(attrs.get('path'), '/');
    assert.equal(attrs.get('max-age'), String(120 * 60));
    assert.ok(!attrs.has('secure'), 'plain http: no Secure flag (the browser would drop the cookie)');
    assert.ok(!res.text.includes(value), 'the cookie value is not in the body');
    assert.equal(res.json().session.expires_at, new Date(now + 120 * MINUTE).toISOString());

    const tls = await startTestServer({ config: { trustProxy: { kind: 'hops', hops: 1 } } });
    try {
      const t = await tls.token('root');
      const r = await tls.request('POST', '/v1/sessions', { body: { token: t }, headers: { 'x-forwarded-proto': 'https' } });
      assert.ok(parseSetCookie(r.headers.get('set-cookie')).attrs.has('secure'), 'Secure behind a TLS proxy');
    } finally {
      await tls.close();
    }
  });

  it('the cookie authenticates every native route; writes must come from keyhold\'s own origin', async () => {
    const { cookie } = await signIn();
    const me = (await withCookie(cookie, 'GET', '/v1/me')).json();
    assert.equal(me.team.name, 'acme');
    assert.ok(me.session, 'the session is described');
    const body = { project_id: 1, region_id: 1, name: 'from-console', containers: [] };
    assert.equal((await withCookie(cookie, 'POST', '/v1/api-keys', body)).status, 201);
    for (const origin of ['https://evil.example', 'null', null]) {
      const r = await withCookie(cookie, 'PATCH', '/v1/api-keys/1/1/from-console', { is_disabled: true }, origin);
      assert.equal(r.status, 403, `Origin ${origin}`);
      assert.match(r.json().error.message, /only from keyhold's own pages/);
    }
    assert.equal((await withCookie(cookie, 'GET', '/v1/api-keys', undefined, 'https://evil.example')).status, 200, 'reads carry no Origin rule');
    assert.equal((await s.request('PATCH', '/v1/api-keys/1/1/from-console', { token: root, body: { is_disabled: true } })).status, 200, 'a token needs no Origin');
    // Form-encoded bodies (what a foreign page can post without asking) are never read as JSON.
    const form = await s.request('POST', '/v1/projects', { headers: { cookie, origin: s.url, 'content-type': 'application/x-www-form-urlencoded' }, raw: 'id=77' });
    assert.equal(form.status, 415);
  });

  it('ends after the idle time, after the absolute lifetime, at sign-out and when its token is revoked', async () => {
    const idle = await signIn();
    now += 29 * MINUTE;
    assert.equal((await withCookie(idle.cookie, 'GET', '/v1/me')).status, 200, 'used within the idle time');
    now += 29 * MINUTE;
    assert.equal((await withCookie(idle.cookie, 'GET', '/v1/me')).status, 200, 'the last use restarted the idle time');
    now += 31 * MINUTE;
    assert.equal((await withCookie(idle.cookie, 'GET', '/v1/me')).status, 401, 'idle for 31 minutes');

    const busy = await signIn();
    for (let i = 0; i < 6; i++) {
      now += 20 * MINUTE;
      const status = (await withCookie(busy.cookie, 'GET', '/v1/me')).status;
      assert.equal(status, i < 5 ? 200 : 401, `after ${(i + 1) * 20} minutes of steady use`);
    }

    const out = await signIn();
    const bye = await withCookie(out.cookie, 'DELETE', '/v1/sessions/current');
    assert.equal(bye.status, 204);
    const cleared = parseSetCookie(bye.headers.get('set-cookie'));
    assert.equal(cleared.value, '');
    assert.equal((await withCookie(out.cookie, 'GET', '/v1/me')).status, 401, 'the old cookie is refused');
    assert.equal((await s.request('DELETE', '/v1/sessions/current', { token: root })).status, 400, 'a token has no session to end');

    const temp = await s.token('read,write');
    const revoked = await signIn(temp);
    const id = Number(temp.split('|')[0]);
    assert.equal((await s.request('DELETE', `/v1/tokens/${id}`, { token: root })).status, 204);
    assert.equal((await withCookie(revoked.cookie, 'GET', '/v1/me')).status, 401, 'revoking the token ends its sessions');

    const trail = (await s.request('GET', '/v1/audit?resource=session:1', { token: root })).json().events.map((e: { action: string }) => e.action);
    assert.deepEqual(trail, ['session.create']);
    const all = (await s.request('GET', '/v1/audit?limit=1000', { token: root })).json().events.map((e: { action: string }) => e.action);
    assert.ok(all.includes('session.delete'));
  });

  it('wrong tokens at sign-in count against the address\'s failed-authentication limit', async () => {
    const limitedServer = await startTestServer({ config: { authFailures: { limit: 3, windowMs: 1000 } } });
    try {
      const good = await limitedServer.token('read');
      for (let i = 0; i < 3; i++) assert.equal((await limitedServer.request('POST', '/v1/sessions', { body: { token: `${i}|wrong` } })).status, 401);
      const limited = await limitedServer.request('POST', '/v1/sessions', { body: { token: '9|wrong' } });
      assert.equal(limited.status, 429, 'a wrong token waits once the limit is reached');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal((await limitedServer.request('POST', '/v1/sessions', { body: { token: good } })).status, 201, 'a right one never does');
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal((await limitedServer.request('POST', '/v1/sessions', { body: { token: '9|wrong' } })).status, 401, 'a new window starts clean');
      assert.equal((await limitedServer.request('POST', '/v1/sessions', { body: {} })).status, 400);
    } finally {
      await limitedServer.close();
    }
  });
});

describe(`first-run setup (${dialectUnderTest})`, () => {
  it('a fresh install redeems its setup link once: the first team, an administrator token, signed in', async () => {
    let now = Date.parse('2026-06-01T12:00:00Z');
    const s = await startTestServer({ clock: () => now });
    try {
      assert.deepEqual((await s.request('GET', '/v1/setup')).json(), { fresh: true });
      const code = await s.runtime.services.setup.issueCode();
      assert.ok(code);
      const wrong = await s.request('POST', '/v1/setup', { body: { code: 'nope', team: 'ops' } });
      assert.deepEqual([wrong.status, wrong.json().error.code], [403, 'forbidden']);
      const done = await s.request('POST', '/v1/setup', { body: { code, team: 'ops' } });
      assert.equal(done.status, 201, done.text);
      const body = done.json();
      assert.deepEqual([body.team.name, body.token.abilities], ['ops', ['root', 'admin']]);
      assert.ok(body.me.session);
      const cookie = `keyhold_session=${parseSetCookie(done.headers.get('set-cookie')).value}`;
      assert.equal((await s.request('GET', '/v1/teams', { headers: { cookie } })).status, 200, 'signed in as an administrator');
      assert.equal((await s.request('GET', '/v1/teams', { token: body.token.token })).status, 200, 'the token works too');
      const again = await s.request('POST', '/v1/setup', { body: { code, team: 'ops2' } });
      assert.equal(again.status, 403, 'single use');
      assert.deepEqual((await s.request('GET', '/v1/setup')).json(), { fresh: false });
      assert.equal(await s.runtime.services.setup.issueCode(), undefined, 'no link once a team exists');
      const audit = (await s.request('GET', '/v1/audit', { token: body.token.token })).json().events.map((e: { action: string; actor: string }) => `${e.actor} ${e.action}`);
      assert.ok(audit.includes('setup team.create') && audit.includes('setup token.create'), audit.join(', '));
    } finally {
      await s.close();
    }
    const late = await startTestServer({ clock: () => now });
    try {
      const code = await late.runtime.services.setup.issueCode();
      now += 16 * MINUTE;
      assert.equal((await late.request('POST', '/v1/setup', { body: { code, team: 'ops' } })).status, 403, 'expired after 15 minutes');
    } finally {
      await late.close();
    }
  });

  it('keyhold serve prints the setup link on a fresh store, and the console answers with its CSP', async () => {
    const db = await freshDatabase();
    const server = await serve({ KEYHOLD_DATABASE_URL: db.url, KEYHOLD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') });
    try {
      const link = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no setup link in: ${server.stderr()}`)), 10_000);
        const poll = setInterval(() => {
          const m = /(http:\/\/\S+\/ui\/setup\?code=[A-Za-z0-9_-]+)/.exec(server.stderr());
          if (m) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve(m[1]!);
          }
        }, 50);
      });
      assert.ok(link.startsWith(server.url));
      const page = await fetch(link);
      assert.ok([200, 503].includes(page.status), 'the console page (503 while it is not built)');
      for (const path of ['/ui', '/ui/setup', '/ui/assets/missing.js']) {
        const r = await fetch(server.url + path);
        assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'self'/, path);
        assert.equal(r.headers.get('referrer-policy'), 'no-referrer', path);
      }
      const code = new URL(link).searchParams.get('code');
      const done = await fetch(`${server.url}/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, team: 'first' }) });
      assert.equal(done.status, 201);
      assert.ok(!server.stdout().includes(code!), 'the code is not in the log stream');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await db.drop();
    }
  });
});
