import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { settingEntries, SettingsSchema } from '../../src/config-schema.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { rewriteReadme, settingsTable } from '../../scripts/settings-docs.js';
import { ROOT } from '../helpers/cli.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env, '/srv/kh');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
};

describe('configuration schema and loader', () => {
  it('defaults: the SQLite file and the master key file live in KEYHOLD_DATA_DIR (./data)', () => {
    const c = loadConfig({}, '/srv/kh');
    assert.deepEqual(c.database, { kind: 'sqlite', file: '/srv/kh/data/keyhold.db' });
    assert.deepEqual(c.masterKey, { kind: 'file', path: '/srv/kh/data/master.key', createIfMissing: true });
    assert.equal(c.port, 8080);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.logLevel, 'info');
    assert.equal(c.verify.containerHeader, 'x-container-name');
    assert.deepEqual(c.authFailures, { limit: 20, windowMs: 60_000 });
  });

  it('KEYHOLD_DATA_DIR moves both defaults; explicit settings win over it', () => {
    const c = loadConfig({ KEYHOLD_DATA_DIR: '/var/lib/keyhold' }, '/srv/kh');
    assert.equal(c.database.kind === 'sqlite' && c.database.file, '/var/lib/keyhold/keyhold.db');
    assert.equal(c.masterKey.kind === 'file' && c.masterKey.path, '/var/lib/keyhold/master.key');
    const rel = loadConfig({ KEYHOLD_DATA_DIR: 'state', KEYHOLD_DATABASE_URL: 'sqlite:other.db', KEYHOLD_MASTER_KEY_FILE: 'k/mk' }, '/srv/kh');
    assert.equal(rel.database.kind === 'sqlite' && rel.database.file, '/srv/kh/other.db');
    assert.deepEqual(rel.masterKey, { kind: 'file', path: '/srv/kh/k/mk', createIfMissing: false });
    const pg = loadConfig({ KEYHOLD_DATABASE_URL: 'postgres://u:p@db/k', KEYHOLD_PG_POOL_MAX: '3' }, '/srv/kh');
    assert.deepEqual(pg.database, { kind: 'postgres', url: 'postgres://u:p@db/k', poolMax: 3, lockTimeoutMs: 2000, statementTimeoutMs: 5000 });
  });

  it('NODE_ENV=production never lets the default master key file be created', () => {
    const c = loadConfig({ NODE_ENV: 'production' }, '/srv/kh');
    assert.equal(c.masterKey.kind, 'file');
    assert.equal(c.masterKey.kind === 'file' && c.masterKey.createIfMissing, false);
    assert.match(c.masterKey.kind === 'file' ? (c.masterKey.mustExistBecause ?? '') : '', /NODE_ENV=production/);
    assert.deepEqual(loadConfig({ NODE_ENV: 'development' }, '/srv/kh').masterKey, loadConfig({}, '/srv/kh').masterKey);
  });

  it('lists every problem at once, one line per setting, worded from the schema', () => {
    const secret = 'c2hvcnQ=';
    const problems = problemsOf({
      KEYHOLD_PORT: 'eighty',
      KEYHOLD_LOG_LEVEL: 'loud',
      KEYHOLD_MASTER_KEY: secret,
      KEYHOLD_TRUST_PROXY: 'yes',
      KEYHOLD_BODY_LIMIT: '5',
      KEYHOLD_FORWARD_AUTH_CONTAINER_HEADER: 'not a header',
      KEYHOLD_DATABASE_URL: 'postgres://[broken',
    });
    assert.deepEqual(problems, [
      'KEYHOLD_PORT must be an integer from 0 to 65535 (got "eighty")',
      'KEYHOLD_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'KEYHOLD_BODY_LIMIT must be an integer from 1024 to 67108864 (got "5")',
      'KEYHOLD_FORWARD_AUTH_CONTAINER_HEADER must be an HTTP header name (letters, digits, -)',
      'KEYHOLD_DATABASE_URL is not a valid postgres:// URL',
      'KEYHOLD_MASTER_KEY must be the base64 encoding of exactly 32 bytes (try: openssl rand -base64 32)',
      'KEYHOLD_TRUST_PROXY must be false, a number of proxies (1), or a comma-separated list of proxy addresses/CIDRs (127.0.0.1,10.0.0.0/8)',
    ]);
    assert.ok(!problems.join('\n').includes(secret), 'a string value (maybe a secret) is never echoed');
  });

  it('takes only plain digits as integers, and true/false/1/0 as booleans', () => {
    for (const v of ['1e3', '0x10', '-1', '12.5', '99999999999999999999']) assert.equal(problemsOf({ KEYHOLD_PORT: v }).length, 1, v);
    assert.equal(loadConfig({ KEYHOLD_PORT: ' 9000 ' }).port, 9000);
    assert.equal(loadConfig({ KEYHOLD_WEBHOOK_ALLOW_PRIVATE: 'TRUE' }).webhooks.allowPrivate, true);
    assert.equal(loadConfig({ KEYHOLD_WEBHOOK_ALLOW_PRIVATE: '0' }).webhooks.allowPrivate, false);
    assert.equal(loadConfig({ KEYHOLD_LOG_LEVEL: 'Debug' }).logLevel, 'debug');
    assert.equal(loadConfig({ KEYHOLD_PORT: '' }).port, 8080, 'empty means unset');
  });

  it('trusts X-Forwarded-For by hop count or proxy addresses, and refuses `true` with what to write instead', () => {
    assert.deepEqual(loadConfig({}).trustProxy, { kind: 'none' });
    assert.deepEqual(loadConfig({ KEYHOLD_TRUST_PROXY: 'false' }).trustProxy, { kind: 'none' });
    assert.deepEqual(loadConfig({ KEYHOLD_TRUST_PROXY: '0' }).trustProxy, { kind: 'none' });
    assert.deepEqual(loadConfig({ KEYHOLD_TRUST_PROXY: '2' }).trustProxy, { kind: 'hops', hops: 2 });
    assert.deepEqual(loadConfig({ KEYHOLD_TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,::1' }).trustProxy, { kind: 'addresses', addresses: ['127.0.0.1', '10.0.0.0/8', '::1'] });
    assert.deepEqual(loadConfig({ KEYHOLD_TRUST_PROXY: 'loopback,uniquelocal' }).trustProxy, { kind: 'addresses', addresses: ['loopback', 'uniquelocal'] });
    for (const v of ['true', 'TRUE']) {
      const [problem] = problemsOf({ KEYHOLD_TRUST_PROXY: v });
      assert.match(problem ?? '', /KEYHOLD_TRUST_PROXY=true would trust every X-Forwarded-For hop/);
      assert.match(problem ?? '', /KEYHOLD_TRUST_PROXY=1\b/);
      assert.match(problem ?? '', /KEYHOLD_TRUST_PROXY=127\.0\.0\.1,10\.0\.0\.0\/8/);
    }
    for (const v of ['10.0.0.0/33', 'yes', '300.1.1.1', 'proxy.example.com']) assert.equal(problemsOf({ KEYHOLD_TRUST_PROXY: v }).length, 1, v);
  });

  it('checks settings against each other', () => {
    assert.deepEqual(problemsOf({ KEYHOLD_PORT: '9000', KEYHOLD_METRICS_PORT: '9000' }), ['KEYHOLD_METRICS_PORT must differ from KEYHOLD_PORT']);
    assert.deepEqual(problemsOf({ KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64'), KEYHOLD_MASTER_KEY_FILE: '/k' }), [
      'set only one of KEYHOLD_MASTER_KEY and KEYHOLD_MASTER_KEY_FILE',
    ]);
  });

  it('reads retention and the prune interval as durations (90d, 12h, 30s), with the same parser as the expiry lead times', () => {
    const DAY = 86_400_000;
    assert.deepEqual(loadConfig({}).retention, { eventsMs: 30 * DAY, deliveriesMs: 30 * DAY, auditMs: 365 * DAY, usageMinutesMs: 2 * DAY, usageHoursMs: 90 * DAY, pruneIntervalMs: 3_600_000 });
    const c = loadConfig({
      KEYHOLD_RETENTION_EVENTS: ' 12h ',
      KEYHOLD_RETENTION_DELIVERIES: '2w',
      KEYHOLD_RETENTION_AUDIT: '90d',
      KEYHOLD_RETENTION_USAGE_MINUTES: '3d',
      KEYHOLD_RETENTION_USAGE_HOURS: '1w',
      KEYHOLD_PRUNE_INTERVAL: '30s',
    });
    assert.deepEqual(c.retention, { eventsMs: 12 * 3_600_000, deliveriesMs: 14 * DAY, auditMs: 90 * DAY, usageMinutesMs: 3 * DAY, usageHoursMs: 7 * DAY, pruneIntervalMs: 30_000 });
    assert.deepEqual(loadConfig({ KEYHOLD_EXPIRY_WARNINGS: '1d, 2h,1d' }).expiry.leadTimesMs, [DAY, 7_200_000]);
    assert.deepEqual(problemsOf({ KEYHOLD_RETENTION_AUDIT: 'forever', KEYHOLD_RETENTION_EVENTS: '30 d', KEYHOLD_RETENTION_USAGE_HOURS: '0d', KEYHOLD_PRUNE_INTERVAL: '0s' }), [
      'KEYHOLD_RETENTION_EVENTS must be a duration such as 90d, 12h or 30s (s, m, h, d, w)',
      'KEYHOLD_RETENTION_AUDIT must be a duration such as 90d, 12h or 30s (s, m, h, d, w)',
      'KEYHOLD_RETENTION_USAGE_HOURS must be a duration greater than zero',
      'KEYHOLD_PRUNE_INTERVAL must be a duration greater than zero',
    ]);
  });

  it('gives every setting a type, a description and (unless optional) a default', () => {
    const required = new Set<string>(SettingsSchema.required ?? []);
    for (const [name, s] of settingEntries()) {
      assert.ok(s.type || s.enum, `${name} has a type`);
      assert.ok((s.description ?? '').length > 10, `${name} has a description`);
      if (required.has(name)) assert.notEqual(s.default, undefined, `${name} has a default`);
    }
  });
});

describe('README settings table', () => {
  it('is the one the schema writes, row for row', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.equal(rewriteReadme(readme), readme, 'run npm run docs');
    const table = settingsTable();
    for (const [name] of settingEntries()) assert.ok(table.includes(`| \`${name}\` |`), name);
  });

  it('npm run docs:check fails on a drifted copy and npm run docs repairs it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-docs-'));
    try {
      const copy = path.join(dir, 'README.md');
      const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      fs.writeFileSync(copy, readme.replace('| `8080` |', '| `8081` |'));
      const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/settings-docs.ts', ...args, `--file=${copy}`], { cwd: ROOT, encoding: 'utf8' });
      const drifted = run('--check');
      assert.equal(drifted.status, 1);
      assert.match(drifted.stderr, /settings table differs/);
      assert.equal(run().status, 0);
      assert.equal(fs.readFileSync(copy, 'utf8'), readme);
      assert.equal(run('--check').status, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
