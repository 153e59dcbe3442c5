// The compiled package as an operator gets it: `npm pack`, `npm install -g` into a temporary prefix,
// then `keyhold` from a directory with no repository around. Slow (npm compiles better-sqlite3), so
// `npm test` leaves it out; `npm run test:package` and CI run it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.js';

/** The environment of a user's shell: this node first on PATH, its own headers for node-gyp, no npm_* from `npm test`. */
function userEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && !k.startsWith('KEYHOLD_')));
  const nodeHome = path.resolve(path.dirname(process.execPath), '..');
  return {
    ...env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${env.PATH ?? ''}`,
    // better-sqlite3 compiles against the headers of the node that runs it (this machine's npm is set to /usr's).
    ...(fs.existsSync(path.join(nodeHome, 'include', 'node', 'node_version.h')) ? { npm_config_nodedir: nodeHome } : {}),
  };
}

describe('the npm package', () => {
  let tmp: string;
  let bin = '';
  let installed = '';
  const env = userEnv();

  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-pkg-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // A test rather than a before hook, so that a failed pack or install counts as a failed test.
  it('packs a small tarball of compiled code and installs it with npm install -g', () => {
    // prepack's build prints before npm's JSON, in colour under CI=true (picocolors): the JSON starts at a line's "[".
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 300_000 });
    assert.equal(pack.status, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.search(/^\[/m))) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
    const files = info!.files.map((f) => f.path);
    assert.ok(files.includes('dist/cli/entry.js') && files.includes('dist/db/checkpoint-worker.mjs') && files.includes('bin/keyhold.mjs'), files.join(' '));
    assert.deepEqual(files.filter((f) => /^(src|test|bench|scripts)\/|\.ts$|\.db|tsbuildinfo|master\.key/.test(f)), [], 'no sources, tests or state in the tarball');
    // The compiled server and the console's bundle (about 400 KB gzipped on 2026-12-02 with the SSH agent, CA, audit chain, the bundled SDK and the docs the README links to):
    // a bound that catches sources, maps or dependencies slipping in, not the console growing a page.
    assert.ok(info!.size < 450_000, `tarball is ${info!.size} bytes`);
    const prefix = path.join(tmp, 'prefix');
    // As the README says to install it: better-sqlite3's install script (it compiles the addon) approved by name.
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--allow-scripts=better-sqlite3', '--no-audit', '--no-fund', path.join(tmp, info!.filename)], { cwd: tmp, env, encoding: 'utf8', timeout: 600_000 });
    assert.equal(install.status, 0, install.stderr);
    // cookie@2 (@fastify/cookie's) and content-disposition@3 (@fastify/static's) declare Node 22+ and run on 20:
    // on Node 20 those two warnings are expected (README, Production), and no other.
    const engineWarnings = [...install.stderr.matchAll(/EBADENGINE\s+package: '([^']+)'/g)].map((m) => m[1]);
    if (Number(process.versions.node.split('.')[0]) >= 22) assert.deepEqual(engineWarnings, []);
    else assert.ok(engineWarnings.every((p) => /^(cookie@2|content-disposition@3)\./.test(p!)), engineWarnings.join(', '));
    assert.doesNotMatch(install.stderr, /better-sqlite3/, 'no unapproved-script warning for better-sqlite3');
    bin = path.join(prefix, 'bin', 'keyhold');
    installed = path.join(prefix, 'lib', 'node_modules', 'keyhold');
  });

  it('ships every file the README links to, so its links work in the installed package', () => {
    assert.ok(installed, 'installed');
    const readme = fs.readFileSync(path.join(installed, 'README.md'), 'utf8');
    // Links, not images (the screenshot stays in the repository: a picture is no use in node_modules).
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l) && !/\.png$/.test(l));
    assert.ok(links.length > 10, links.join(' '));
    assert.deepEqual(links.filter((l) => !fs.existsSync(path.join(installed, l))), [], 'README links to files the package does not ship');
  });

  it('installs the runtime only: no tsx, no TypeScript', () => {
    assert.ok(installed, 'installed');
    assert.ok(fs.existsSync(path.join(installed, 'dist', 'cli', 'entry.js')));
    for (const dev of ['tsx', 'typescript', 'esbuild']) assert.equal(fs.existsSync(path.join(installed, 'node_modules', dev)), false, dev);
  });

  it('runs the SQLite checkpoint worker, a plain .mjs that tsc does not emit, from dist', () => {
    const connect = pathToFileURL(path.join(installed, 'dist', 'db', 'connect.js')).href;
    const file = path.join(tmp, 'worker-check.db');
    const script = [
      `const { openDatabase } = await import(${JSON.stringify(connect)});`,
      `const db = openDatabase({ kind: 'sqlite', file: ${JSON.stringify(file)} }, { backgroundCheckpoints: true });`,
      'await db.checkpointer.now();',
      'console.log(JSON.stringify(db.checkpointer.last() ?? null));',
      'await db.close();',
    ].join('\n');
    // A file, not `--input-type=module -e`: worker threads inherit that flag and then refuse to load a file.
    fs.writeFileSync(path.join(tmp, 'worker-check.mjs'), script);
    const r = spawnSync(process.execPath, [path.join(tmp, 'worker-check.mjs')], { cwd: tmp, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    // Without the worker file, the checkpointer falls back silently and has no checkpoint to report.
    assert.notEqual(JSON.parse(r.stdout), null, r.stdout);
  });

  it('serves /healthz and makes a token from a directory with no repository', async () => {
    const cwd = path.join(tmp, 'elsewhere');
    fs.mkdirSync(cwd);
    const run = (...args: string[]) => spawnSync(bin, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
    const version = run('--version');
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version, version.stderr);

    const child = spawn(bin, ['serve'], { cwd, env: { ...env, KEYHOLD_PORT: '0', KEYHOLD_LOG_LEVEL: 'warn' } });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (d) => {
          stderr += d;
          const m = /listening on (http:\/\/\S+)/.exec(stderr);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`keyhold serve exited with ${code}: ${stderr}`)));
      });
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
      assert.match(stderr, /creating a new, empty store/);
      assert.ok(fs.existsSync(path.join(cwd, 'data', 'keyhold.db')), 'the store is in ./data of the working directory');

      assert.equal(run('teams', 'create', 'acme').status, 0);
      const token = JSON.parse(run('tokens', 'create', '--team', 'acme', '--abilities', 'root', '--json').stdout).token as string;
      const keys = await fetch(`${url}/api/v1/security/keys`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(keys.status, 200);
      assert.deepEqual(await keys.json(), []);

      // The CLI's remote mode (the SDK bundled in dist/sdk) from another directory: no store there.
      const remoteDir = path.join(tmp, 'remote');
      fs.mkdirSync(remoteDir);
      const remote = spawnSync(bin, ['projects', 'list', '--json'], { cwd: remoteDir, env: { ...env, KEYHOLD_URL: url, KEYHOLD_TOKEN: token }, encoding: 'utf8', timeout: 60_000 });
      assert.equal(remote.status, 0, remote.stderr);
      assert.deepEqual(JSON.parse(remote.stdout), []);
      assert.equal(fs.existsSync(path.join(remoteDir, 'data')), false, 'remote mode makes no store');
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    }
  });
});
