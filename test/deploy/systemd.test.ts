import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { settingEntries } from '../../src/config-schema.js';
import { loadConfig } from '../../src/config.js';
import { ROOT } from '../helpers/cli.js';

const UNIT = path.join(ROOT, 'docs', 'deploy', 'keyhold.service');
const ENV_EXAMPLE = path.join(ROOT, 'docs', 'deploy', 'keyhold.env.example');
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

/** `Key=value` lines of the [Service] section (repeated keys keep every value). */
function serviceSection(text: string): Map<string, string[]> {
  const body = text.split(/^\[Service\]$/m)[1]!.split(/^\[/m)[0]!;
  const out = new Map<string, string[]>();
  for (const line of body.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

/** `NAME=value` lines of an environment file, comments skipped. */
function envFile(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').flatMap((l) => (/^[A-Z_]+=/.test(l) ? [[l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]] : [])));
}

describe('docs/deploy: the systemd unit and its environment file', () => {
  const unit = serviceSection(fs.readFileSync(UNIT, 'utf8'));
  const one = (key: string) => unit.get(key)?.join(' | ');

  it('runs the compiled keyhold serve as the main process, in production, on its state directory', () => {
    assert.match(one('ExecStart')!, /^\/\S+\/keyhold serve$/);
    assert.doesNotMatch(one('ExecStart')!, /npm/);
    assert.equal(one('Type'), 'simple');
    assert.equal(one('KillSignal'), 'SIGTERM');
    const environment = unit.get('Environment') ?? [];
    assert.ok(environment.includes('NODE_ENV=production'));
    assert.ok(environment.includes('KEYHOLD_DATA_DIR=/var/lib/keyhold'));
    assert.equal(one('StateDirectory'), 'keyhold');
    assert.equal(one('StateDirectoryMode'), '0700');
    assert.equal(one('ReadWritePaths'), '/var/lib/keyhold');
  });

  it('is hardened', () => {
    const expected: Record<string, string> = {
      NoNewPrivileges: 'yes',
      ProtectSystem: 'strict',
      PrivateTmp: 'yes',
      ProtectHome: 'yes',
      CapabilityBoundingSet: '',
      RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
      UMask: '0077',
      RestrictSUIDSGID: 'yes',
      LockPersonality: 'yes',
    };
    for (const [key, value] of Object.entries(expected)) assert.equal(one(key), value, key);
    assert.ok(unit.get('SystemCallFilter')?.includes('@system-service'));
    assert.notEqual(one('MemoryDenyWriteExecute'), 'yes', 'V8 needs writable executable memory');
  });

  it('the example environment names only real settings and, with the unit, is a valid production configuration', () => {
    const example = fs.readFileSync(ENV_EXAMPLE, 'utf8');
    const known = new Set(settingEntries().map(([name]) => name));
    for (const name of example.match(/KEYHOLD_[A-Z_]+/g) ?? []) assert.ok(known.has(name as never), `${name} is a setting`);
    const env = envFile(example);
    assert.equal(env.NODE_ENV, 'production');
    assert.equal(env.KEYHOLD_DATA_DIR, one('ReadWritePaths'), 'the CLI, reading this file, finds the store of the service');
    const config = loadConfig(env, '/');
    assert.deepEqual(config.masterKey, { kind: 'file', path: '/var/lib/keyhold/master.key', createIfMissing: false });
    assert.deepEqual(config.database, { kind: 'sqlite', file: '/var/lib/keyhold/keyhold.db' });
  });

  it('passes systemd-analyze verify, and the check fails on a misspelt directive', { skip: hasSystemdAnalyze ? false : 'systemd-analyze is not installed (.ci/run installs systemd)' }, () => {
    const script = path.join(ROOT, 'scripts', 'verify-systemd.sh');
    const ok = spawnSync('bash', [script], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-unit-'));
    try {
      const broken = path.join(dir, 'keyhold.service');
      fs.writeFileSync(broken, fs.readFileSync(UNIT, 'utf8').replace('ProtectHome=yes', 'ProtectHomee=yes'));
      const bad = spawnSync('bash', [script, broken], { encoding: 'utf8' });
      assert.equal(bad.status, 1);
      assert.match(bad.stdout, /Unknown key 'ProtectHomee'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
