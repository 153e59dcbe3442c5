import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspectStore } from '../../src/cli/store.js';
import { keyhold, keyholdAsync, serve } from '../helpers/cli.js';
import { dialectUnderTest, freshDatabase, type TestDatabase } from '../helpers/db.js';

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-datadir-'));

/** Commands that only read, then commands that change an existing store: none may create one. */
const READERS = [['teams', 'list'], ['tokens', 'list'], ['projects', 'list'], ['regions', 'list'], ['audit'], ['master-key', 'status'], ['api-keys', 'list', '--team', 'acme']];
const CHANGERS = [['tokens', 'create', '--team', 'acme', '--abilities', 'read'], ['tokens', 'revoke', '1'], ['projects', 'create', '--team', 'acme'], ['regions', 'create', '--id', '2', '--name', 'two'], ['master-key', 'rotate']];

describe('KEYHOLD_DATA_DIR and store creation (SQLite default)', () => {
  let cwd: string;
  before(() => (cwd = tempDir()));
  after(() => fs.rmSync(cwd, { recursive: true, force: true }));

  it('reading and changing commands create no store and no master key, and say where they looked', async () => {
    const db = path.join(cwd, 'data', 'keyhold.db');
    const key = path.join(cwd, 'data', 'master.key');
    const commands = [...READERS, ...CHANGERS];
    // Side by side: a dozen CLI starts one after another take a minute on a busy 2-core machine.
    const results = await Promise.all(commands.map((args) => keyholdAsync(args, {}, cwd)));
    commands.forEach((args, i) => {
      const r = results[i]!;
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`no keyhold store at SQLite database ${db}, master key file ${key} (missing too)`), `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`\`keyhold ${args.slice(0, args[0] === 'audit' ? 1 : 2).join(' ')}\``), r.stderr);
      assert.doesNotMatch(r.stderr, /^\s+at /m);
    });
    assert.equal(fs.existsSync(path.join(cwd, 'data')), false, `one of them created ${path.join(cwd, 'data')}`);
  });

  it('a creating command says loudly that it creates a new store; files 0600, directory 0700; the CLI and other directories share it through KEYHOLD_DATA_DIR', () => {
    const dataDir = path.join(cwd, 'state', 'keyhold');
    const env = { KEYHOLD_DATA_DIR: dataDir };
    const first = keyhold(['teams', 'create', 'acme'], env, cwd);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /NOTICE: keyhold is creating a new, empty store/);
    assert.ok(first.stderr.includes(`SQLite database ${path.join(dataDir, 'keyhold.db')}`), first.stderr);
    assert.ok(first.stderr.includes(path.join(dataDir, 'master.key')), 'the master key warning names the file');
    assert.equal(mode(dataDir), 0o700);
    assert.equal(mode(path.join(cwd, 'state')), 0o700, 'every directory keyhold creates');
    assert.equal(mode(path.join(dataDir, 'keyhold.db')), 0o600);
    assert.equal(mode(path.join(dataDir, 'master.key')), 0o600);

    // Another working directory, same KEYHOLD_DATA_DIR: the same store, and no notice.
    const elsewhere = tempDir();
    try {
      const list = keyhold(['teams', 'list', '--json'], env, elsewhere);
      assert.equal(list.status, 0, list.stderr);
      assert.deepEqual(JSON.parse(list.stdout).map((t: { name: string }) => t.name), ['acme']);
      assert.equal(list.stderr, '');
      assert.equal(keyhold(['teams', 'create', 'beta'], env, elsewhere).stderr, '', 'no notice for an existing store');
      assert.equal(fs.existsSync(path.join(elsewhere, 'data')), false);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('never generates a master key for a store that already holds sealed keys', () => {
    const dataDir = path.join(cwd, 'state', 'keyhold');
    const keyFile = path.join(dataDir, 'master.key');
    const saved = fs.readFileSync(keyFile);
    fs.rmSync(keyFile);
    try {
      const r = keyhold(['teams', 'create', 'gamma'], { KEYHOLD_DATA_DIR: dataDir }, cwd);
      assert.equal(r.status, 1);
      assert.ok(r.stderr.includes(`the master key file ${keyFile} does not exist, and the store already holds keys sealed under a master key`), r.stderr);
      assert.equal(fs.existsSync(keyFile), false);
      const read = keyhold(['teams', 'list'], { KEYHOLD_DATA_DIR: dataDir }, cwd);
      assert.ok(read.stderr.includes(`the master key file ${keyFile} does not exist, and \`keyhold teams list\` never creates one`), read.stderr);
    } finally {
      fs.writeFileSync(keyFile, saved, { mode: 0o600 });
    }
  });

  it('serve creates the store 0600 with -wal and -shm 0600 too, announcing both it and the new master key', async () => {
    const dataDir = path.join(cwd, 'served');
    const srv = await serve({ KEYHOLD_DATA_DIR: dataDir }, cwd);
    try {
      assert.match(srv.stderr(), /NOTICE: keyhold is creating a new, empty store/);
      assert.match(srv.stderr(), /WARNING: no master key was configured/);
      assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
      assert.equal(mode(dataDir), 0o700);
      for (const f of ['keyhold.db', 'keyhold.db-wal', 'keyhold.db-shm', 'master.key']) assert.equal(mode(path.join(dataDir, f)), 0o600, f);
    } finally {
      srv.child.kill('SIGTERM');
      assert.equal(await srv.exited, 0);
    }
  });
});

describe('NODE_ENV=production', () => {
  it('a missing master key stops serve at start, naming the file; nothing is generated or created', () => {
    const cwd = tempDir();
    try {
      const r = keyhold(['serve'], { NODE_ENV: 'production', KEYHOLD_PORT: '0' }, cwd);
      assert.equal(r.status, 1);
      const keyFile = path.join(cwd, 'data', 'master.key');
      assert.ok(r.stderr.includes(`the master key file ${keyFile} does not exist, and NODE_ENV=production never generates a master key`), r.stderr);
      assert.doesNotMatch(r.stderr, /NOTICE|WARNING/);
      assert.equal(fs.existsSync(path.join(cwd, 'data')), false);
      const created = keyhold(['teams', 'create', 'acme'], { NODE_ENV: 'production' }, cwd);
      assert.equal(created.status, 1);
      assert.equal(fs.existsSync(path.join(cwd, 'data')), false);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('starts with a configured key', async () => {
    const cwd = tempDir();
    try {
      const srv = await serve({ NODE_ENV: 'production', KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') }, cwd);
      assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
      assert.doesNotMatch(srv.stderr(), /WARNING/);
      srv.child.kill('SIGTERM');
      assert.equal(await srv.exited, 0);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe(`store checks on ${dialectUnderTest}`, () => {
  let tdb: TestDatabase;
  before(async () => (tdb = await freshDatabase()));
  after(() => tdb.drop());

  it('reading commands leave an empty database empty; migrate announces the new store, then readers work', async () => {
    const env = { KEYHOLD_DATABASE_URL: tdb.url, KEYHOLD_MASTER_KEY: randomBytes(32).toString('base64') };
    const r = keyhold(['teams', 'list'], env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`no keyhold store at ${dialectUnderTest === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database`));
    assert.equal((await inspectStore(tdb.config)).exists, false);
    if (tdb.file) assert.equal(fs.existsSync(tdb.file), false);

    const m = keyhold(['migrate'], env);
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stderr, /NOTICE: keyhold is creating a new, empty store/);
    assert.deepEqual(await inspectStore(tdb.config).then((s) => [s.exists, s.pending, s.sealed]), [true, [], false]);
    const again = keyhold(['teams', 'list'], env);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stderr, '');
  });
});
