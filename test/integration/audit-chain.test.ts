import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { pruner } from '../../src/services/pruner.js';
import { keyhold } from '../helpers/cli.js';
import { fixture } from '../helpers/keys.js';
import { dialectUnderTest, type TestDatabase } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The audit trail you can prove (issue 20): entries MAC-chained per team, `keyhold audit verify` and
 * GET /v1/audit/verify finding an edited, deleted or forged entry (and a dropped newest one), still
 * verifying after a master-key rotation and after pruning; the audit file and its fail-closed mode;
 * export of exactly a window.
 */

/** Runs SQL on the test database behind keyhold's back, as someone holding the database file (or a PostgreSQL login) could. */
async function tamper(db: TestDatabase, statement: string, params: unknown[] = []): Promise<void> {
  if (db.file) {
    const s = new SQLite(db.file);
    try {
      s.prepare(statement).run(...params);
    } finally {
      s.close();
    }
    return;
  }
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(statement.replace(/\?/g, (_, i: number) => `$${statement.slice(0, i).split('?').length}`), params);
  } finally {
    await c.end();
  }
}

async function rows(db: TestDatabase, statement: string): Promise<Array<Record<string, unknown>>> {
  if (db.file) {
    const s = new SQLite(db.file, { readonly: true });
    try {
      return s.prepare(statement).all() as Array<Record<string, unknown>>;
    } finally {
      s.close();
    }
  }
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(statement)).rows as Array<Record<string, unknown>>;
  } finally {
    await c.end();
  }
}

const envOf = (s: TestServer) => ({ KEYHOLD_DATABASE_URL: s.db.url, KEYHOLD_MASTER_KEY: s.config.masterKey.kind === 'env' ? s.config.masterKey.value : '' });

describe(`the audit trail's MAC chain (${dialectUnderTest})`, () => {
  let s: TestServer;
  let root: string;
  let teamId: number;
  const verifyApi = async () => (await s.request('GET', '/v1/audit/verify', { token: root })).json();
  const verifyCli = () => keyhold(['audit', 'verify', '--team', 'acme'], envOf(s));
  const teamRows = async () => rows(s.db, `select * from audit_events where team_id = ${teamId} order by id`);

  before(async () => {
    s = await startTestServer();
    root = await s.token('root');
    teamId = (await s.runtime.store.teams.findByName('acme'))!.id;
    for (let i = 1; i <= 6; i++) assert.equal((await s.request('POST', '/v1/projects', { token: root, body: { id: i, name: `p${i}` } })).status, 201);
  });
  after(() => s.close());

  it('an untouched trail verifies, through the API and the CLI', async () => {
    assert.deepEqual(await verifyApi(), { ok: true, verified: 6 });
    const cli = verifyCli();
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /^team acme: 6 entries verified\n$/);
  });

  it('an edited field is found, naming the entry; putting it back verifies again', async () => {
    const third = (await teamRows())[2]!;
    await tamper(s.db, 'update audit_events set ip = ? where id = ?', ['6.6.6.6', third.id]);
    assert.deepEqual(await verifyApi(), { ok: false, verified: 2, broken_at: third.id, reason: 'changed or forged: its MAC does not match its fields and the entry before it' });
    const cli = verifyCli();
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, new RegExp(`team acme: BROKEN at entry ${String(third.id)}: changed or forged`));
    await tamper(s.db, 'update audit_events set ip = ? where id = ?', [third.ip, third.id]);
    assert.equal((await verifyApi()).ok, true);
    // Any field counts: the action, the time, the detail.
    await tamper(s.db, "update audit_events set action = 'project.delete' where id = ?", [third.id]);
    assert.equal((await verifyApi()).broken_at, third.id);
    await tamper(s.db, 'update audit_events set action = ? where id = ?', [third.action, third.id]);
    await tamper(s.db, 'update audit_events set created_at = created_at + 1 where id = ?', [third.id]);
    assert.equal((await verifyApi()).broken_at, third.id);
    await tamper(s.db, 'update audit_events set created_at = created_at - 1 where id = ?', [third.id]);
    assert.equal((await verifyApi()).ok, true);
  });

  it('a deleted entry is found at the one after it; a dropped newest entry at the chain end', async () => {
    const all = await teamRows();
    await tamper(s.db, 'delete from audit_events where id = ?', [all[3]!.id]);
    const v = await verifyApi();
    assert.deepEqual([v.ok, v.verified, v.broken_at], [false, 3, all[4]!.id]);
    assert.match(v.reason, /1 entry was removed before it \(positions 4 to 4\)/);
    const cli = verifyCli();
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, new RegExp(`BROKEN at entry ${String(all[4]!.id)}: 1 entry was removed before it`));

    const newest = all[all.length - 1]!;
    await tamper(s.db, 'delete from audit_events where id = ? or id = ?', [all[4]!.id, newest.id]);
    await tamper(s.db, 'delete from audit_events where id > ?', [all[2]!.id]);
    const end = await verifyApi();
    assert.equal(end.ok, false);
    assert.equal(end.broken_at, newest.id, 'the head remembers the last entry');
    assert.match(end.reason, /the newest entries were removed/);
  });

  it('a forged entry is found, whatever position it claims', async () => {
    // A fresh team whose trail is intact.
    const other = await s.token('root', 'forgery');
    const otherId = (await s.runtime.store.teams.findByName('forgery'))!.id;
    for (let i = 11; i <= 13; i++) await s.request('POST', '/v1/projects', { token: other, body: { id: i } });
    const verify = async () => (await s.request('GET', '/v1/audit/verify', { token: other })).json();
    assert.equal((await verify()).ok, true);
    const [first] = await rows(s.db, `select * from audit_events where team_id = ${otherId} order by id limit 1`);
    const columns = ['team_id', 'actor', 'token_id', 'action', 'resource_type', 'resource_id', 'changed', 'ip', 'request_id', 'created_at', 'detail', 'seq', 'key_version', 'mac'];
    const forged = (seq: unknown, mac: unknown) => [...columns.slice(0, 11).map((c) => first![c]), seq, first!.key_version, mac];
    const insert = `insert into audit_events (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`;
    await tamper(s.db, insert, forged(4, 'ab'.repeat(32)));
    const appended = await verify();
    assert.equal(appended.ok, false);
    assert.match(appended.reason, /changed or forged/);
    const [row] = await rows(s.db, `select id from audit_events where team_id = ${otherId} and seq = 4`);
    assert.equal(appended.broken_at, row!.id, 'named by its id');
    await tamper(s.db, 'delete from audit_events where id = ?', [row!.id]);
    await tamper(s.db, insert, forged(2, first!.mac));
    const copied = await verify();
    assert.equal(copied.ok, false);
    assert.match(copied.reason, /inserted: position 2 is taken/);
    const cli = keyhold(['audit', 'verify'], envOf(s));
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, /team forgery: BROKEN at entry \d+: inserted/);
  });
});

describe(`the chain through a master-key rotation and pruning (${dialectUnderTest})`, () => {
  it('verifies after keyhold master-key rotate (entries under both key versions), and after pruning old entries', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const s = await startTestServer({ clock: () => now });
    try {
      const root = await s.token('root');
      for (let i = 1; i <= 4; i++) await s.request('POST', '/v1/projects', { token: root, body: { id: i } });
      const rotated = keyhold(['master-key', 'rotate'], envOf(s));
      assert.equal(rotated.status, 0, rotated.stderr);
      now += 400 * 86_400_000;
      for (let i = 5; i <= 7; i++) await s.request('POST', '/v1/projects', { token: root, body: { id: i } });
      const versions = (await rows(s.db, 'select distinct key_version from audit_events order by key_version')).map((r) => Number(r.key_version));
      assert.deepEqual(versions, [1, 2], 'entries MACed under the old and the new data key');
      assert.deepEqual((await s.request('GET', '/v1/audit/verify', { token: root })).json(), { ok: true, verified: 7 });
      const all = keyhold(['audit', 'verify'], envOf(s));
      assert.equal(all.status, 0, all.stderr);
      assert.match(all.stdout, /entries of no team: 1 entry verified/, "the rotation's own entry, in the chain of no team");

      const pruned = await pruner(s.runtime.store, () => now, { eventsMs: 30 * 86_400_000, deliveriesMs: 30 * 86_400_000, auditMs: 365 * 86_400_000, intervalMs: 3_600_000 }).run();
      assert.equal(pruned.audit_events, 4, "acme's four old entries (the rotation's, made by the CLI on the real clock, is recent)");
      assert.deepEqual((await s.request('GET', '/v1/audit/verify', { token: root })).json(), { ok: true, verified: 3 }, 'the retained chain starts where pruning stopped');
      assert.equal(keyhold(['audit', 'verify'], envOf(s)).status, 0);

      // The record of where pruning stopped is MACed too: moving it on, to hide a deleted entry, shows.
      const [oldest] = await rows(s.db, 'select id from audit_events order by id limit 1');
      await s.runtime.db.db.deleteFrom('audit_events').where('id', '=', Number(oldest!.id)).execute();
      await tamper(s.db, 'update audit_prune_points set last_pruned_id = ?, last_pruned_seq = last_pruned_seq + 1', [oldest!.id]);
      const v = (await s.request('GET', '/v1/audit/verify', { token: root })).json();
      assert.deepEqual([v.ok, v.reason], [false, 'the record of where pruning stopped was altered']);
    } finally {
      await s.close();
    }
  });
});

describe(`the audit file and export (${dialectUnderTest})`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-audit-file-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('KEYHOLD_AUDIT_FILE receives every committed entry exactly once, as the NDJSON lines of export', async () => {
    const file = path.join(dir, 'audit.ndjson');
    const s = await startTestServer({ config: { auditFile: { path: file, failClosed: false } } });
    try {
      const root = await s.token('root');
      for (let i = 1; i <= 5; i++) await s.request('POST', '/v1/projects', { token: root, body: { id: i } });
      await s.request('POST', '/v1/projects', { token: root, body: { id: 1 } }); // refused (409): no entry
      await s.request('DELETE', '/v1/projects/2', { token: root });
      const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
      const stored = await rows(s.db, 'select id, mac from audit_events order by id');
      assert.deepEqual(lines.map((l) => [l.id, l.mac]), stored.map((r) => [Number(r.id), r.mac]), 'every entry once, in order, with its MAC');
      assert.equal(lines.at(-1).action, 'project.delete');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      const exported = (await s.request('GET', '/v1/audit/export', { token: root })).text.trimEnd().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(exported, lines.filter((l) => l.team_id !== null), 'export answers the same lines');
    } finally {
      await s.close();
    }
  });

  it('fail-closed: with the file unwritable, a create answers 503 and nothing is stored; it works again once the file can be written', async () => {
    const file = path.join(dir, 'missing-dir', 'audit.ndjson');
    const s = await startTestServer({ config: { auditFile: { path: file, failClosed: true } } });
    try {
      const root = await s.token('root');
      const before = await rows(s.db, 'select count(*) as n from audit_events');
      const refused = await s.request('POST', '/v1/projects', { token: root, body: { id: 9, name: 'nope' } });
      assert.equal(refused.status, 503, refused.text);
      assert.equal(refused.json().error.code, 'unavailable');
      assert.equal((await s.request('GET', '/v1/projects', { token: root })).json().length, 0, 'the project was not made');
      assert.deepEqual(await rows(s.db, 'select count(*) as n from audit_events'), before, 'nor its entry');
      const coolify = await s.request('POST', '/api/v1/security/keys', { token: root, body: { name: 'k1', private_key: fixture('openssh-ed25519.key') } });
      assert.deepEqual([coolify.status, coolify.json()], [503, { message: 'Service Unavailable' }], 'on every surface, in its words');
      assert.equal((await s.request('GET', '/api/v1/security/keys', { token: root })).json().length, 0);
      assert.ok(s.logs.some((l) => l.includes(`the audit file ${file} cannot be written: changes are refused`)), 'said once in the log');
      fs.mkdirSync(path.dirname(file));
      assert.equal((await s.request('POST', '/v1/projects', { token: root, body: { id: 9 } })).status, 201);
      assert.equal(fs.readFileSync(file, 'utf8').trimEnd().split('\n').length, 1);
    } finally {
      await s.close();
    }
  });

  it('export returns exactly the entries in the window, from the API and the CLI', async () => {
    let now = Date.parse('2026-03-01T00:00:00Z');
    const s = await startTestServer({ clock: () => now });
    try {
      const root = await s.token('root');
      for (let i = 1; i <= 6; i++) {
        now = Date.parse(`2026-03-0${i}T12:00:00Z`);
        await s.request('POST', '/v1/projects', { token: root, body: { id: i } });
      }
      const window = await s.request('GET', '/v1/audit/export?from=2026-03-02T12:00:00Z&to=2026-03-05T12:00:00Z', { token: root });
      assert.equal(window.status, 200);
      assert.match(window.headers.get('content-type') ?? '', /^application\/x-ndjson/);
      const ids = window.text.trimEnd().split('\n').map((l) => JSON.parse(l).resource_id);
      assert.deepEqual(ids, ['2', '3', '4'], 'from inclusive, to exclusive');
      const out = path.join(dir, 'export.ndjson');
      const cli = keyhold(['audit', 'export', '--team', 'acme', '--from', '2026-03-04T00:00:00Z', '--out', out], envOf(s));
      assert.equal(cli.status, 0, cli.stderr);
      assert.match(cli.stderr, /exported 3 audit entries/);
      assert.deepEqual(fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).resource_id), ['4', '5', '6']);
      assert.equal((await s.request('GET', '/v1/audit/export?from=soon', { token: root })).status, 400);
    } finally {
      await s.close();
    }
  });
});
