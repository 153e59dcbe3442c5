import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dialectUnderTest } from '../helpers/db.js';
import { caSshd, type CaWorld, literal, startCaWorld } from '../helpers/ssh-ca.js';
import { type Sshd, sshArgs } from '../helpers/sshd.js';

/**
 * `keyhold ssh login --role R [--principal …] -- COMMAND`: an Ed25519 key made in memory, certified
 * by keyhold, served with its certificate through a local agent for COMMAND. Here COMMAND is a real
 * ssh with `IdentityAgent=SSH_AUTH_SOCK` and no identity file, to a real sshd that trusts the CA;
 * afterwards no key, certificate or socket is left anywhere the CLI could write (its TMPDIR and cwd).
 */
describe(`keyhold ssh login (${dialectUnderTest})`, () => {
  let w: CaWorld;
  let sshd: Sshd;
  let token: string;
  let knownHosts: string;

  /** A fresh, empty dir under the world's dir. */
  const emptyDir = (name: string) => {
    const d = path.join(w.dir, name);
    fs.mkdirSync(d);
    return d;
  };
  /** Every path under `dir`, recursively. */
  const contents = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String);
  /** `ssh … echo ok` through the agent the CLI serves: no IdentityFile at all, only what the agent offers. */
  const sshThroughAgent = (command = 'echo ok') =>
    sshArgs({ port: sshd.port, user: 'root', knownHostsFile: knownHosts, identityAgent: 'SSH_AUTH_SOCK', identitiesOnly: false, command });
  /** `keyhold ssh login …` with its own TMPDIR and cwd, both empty. */
  const login = async (args: string[]) => {
    const tmp = emptyDir(`tmp-${Math.random().toString(36).slice(2)}`);
    const cwd = emptyDir(`cwd-${Math.random().toString(36).slice(2)}`);
    const r = await w.cli(['ssh', 'login', ...args], { token, env: { TMPDIR: tmp }, cwd });
    return { ...r, tmp, cwd };
  };

  before(async () => {
    w = await startCaWorld();
    await w.createCa('users');
    await w.createRole({ name: 'ci', ca: 'users', principals: ['deploy'], max_ttl: '15m', default_ttl: '5m' });
    await w.createRole({ name: 'people', ca: 'users', principals: ['dev-*'], max_ttl: '8h', default_ttl: '8h' });
    token = await w.token(['certify'], ['ci', 'people']);
    sshd = await caSshd([await w.caLine('users')], { root: ['deploy', 'dev-carol'] });
    knownHosts = sshd.knownHostsFile;
  });
  after(async () => {
    await sshd?.stop();
    await w?.close();
  });

  it('login --role ci -- ssh … echo ok prints ok, with a certificate for the role, and leaves no key, certificate or socket behind', async () => {
    // sh reports the socket's path (on stderr), then runs ssh with the arguments as given.
    const r = await login([
      '--role',
      'ci',
      '--',
      'sh',
      '-c',
      'echo "socket=$SSH_AUTH_SOCK" >&2; test -S "$SSH_AUTH_SOCK" && exec ssh "$@"',
      'sh',
      ...sshThroughAgent(),
    ]);
    assert.equal(r.status, 0, `${r.stderr}\n${sshd.logs()}`);
    assert.equal(r.stdout, 'ok\n');
    const m = /^keyhold ssh login: certificate (\d+) for deploy, valid until (\S+)$/m.exec(r.stderr);
    assert.ok(m, r.stderr);
    const serial = Number(m[1]);
    const socket = /^socket=(.+)$/m.exec(r.stderr)![1]!;
    assert.ok(socket.startsWith(`${r.tmp}/`), `the socket ${socket} was under the CLI's TMPDIR`);
    assert.ok(!fs.existsSync(path.dirname(socket)), 'the socket directory is removed');
    assert.deepEqual(contents(r.tmp), [], 'nothing left in TMPDIR');
    assert.deepEqual(contents(r.cwd), [], 'nothing written to the working directory');
    // sshd saw that very certificate (and no other key: ssh had no identity file).
    await sshd.waitForLog(
      new RegExp(`Accepted publickey for root from 127\\.0\\.0\\.1 port \\d+ ssh2: ED25519-CERT SHA256:\\S+ ID token:\\d+@ci \\(serial ${serial}\\)`),
    );
    const issued = await w.ok('GET', `/v1/ssh/certificates/${serial}`);
    assert.equal(issued.role, 'ci');
    assert.deepEqual(issued.principals, ['deploy']);
    assert.match(issued.public_key, /^ssh-ed25519 \S+ keyhold-ssh-login$/);
    assert.equal(Date.parse(issued.valid_before) - Date.parse(issued.valid_after), 5 * 60_000 + 60_000, "the role's default_ttl, 5m");
    assert.equal(issued.valid_before, m[2]);
  });

  it('the agent holds only the certificate, and the command’s exit status is the CLI’s', async () => {
    const listed = await login(['--role', 'ci', '--ttl', '2m', '--', 'ssh-add', '-L']);
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout.trim().split('\n');
    assert.equal(lines.length, 1, listed.stdout);
    assert.match(lines[0]!, /^ssh-ed25519-cert-v01@openssh\.com [A-Za-z0-9+/=]+ keyhold ci certificate \d+$/);
    const failed = await login(['--role', 'ci', '--', 'sh', '-c', 'exit 7']);
    assert.equal(failed.status, 7, failed.stderr);
  });

  it('a role of patterns needs --principal: a clear error without, a login with', async () => {
    const without = await login(['--role', 'people', '--', ...['ssh', ...sshThroughAgent()]]);
    assert.notEqual(without.status, 0);
    assert.equal(without.stdout, '');
    assert.match(without.stderr, literal('role people allows only patterns (dev-*): name the principals to certify'));
    assert.deepEqual(contents(without.tmp), []);
    const outside = await login(['--role', 'people', '--principal', 'root', '--', 'true']);
    assert.notEqual(outside.status, 0);
    assert.match(outside.stderr, literal('principal root not allowed by role people, which allows dev-*'));
    const withIt = await login(['--role', 'people', '--principal', 'dev-carol', '--', 'ssh', ...sshThroughAgent()]);
    assert.equal(withIt.status, 0, withIt.stderr);
    assert.equal(withIt.stdout, 'ok\n');
    assert.match(withIt.stderr, /certificate \d+ for dev-carol, valid until/);
    assert.deepEqual(contents(withIt.tmp), []);
    assert.deepEqual(contents(withIt.cwd), []);
  });

  it("a TTL above the role's max_ttl, or a role the token is not restricted to, is refused before any agent starts", async () => {
    const long = await login(['--role', 'ci', '--ttl', '1h', '--', 'true']);
    assert.notEqual(long.status, 0);
    assert.match(long.stderr, literal("ttl 1h is longer than role ci's max_ttl of 15m"));
    await w.createRole({ name: 'admins', ca: 'users', principals: ['root'], max_ttl: '1h', default_ttl: '5m' });
    const other = await login(['--role', 'admins', '--', 'true']);
    assert.notEqual(other.status, 0);
    assert.match(other.stderr, literal('this token may issue certificates only from the role(s) ci, people'));
    assert.deepEqual(contents(other.tmp), []);
  });
});
