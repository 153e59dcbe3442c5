import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../domain/errors.js';
import { startAgentServer } from '../ssh/agent-server.js';
import { publicKeyLine } from '../ssh/public-key.js';
import { type SigningKey, signatureAlgorithm, signSsh } from '../ssh/signature.js';
import { SshWriter } from '../ssh/wire.js';
import { defaultSocket, runWithAgent } from './agent.js';
import { remoteFrom, type RemoteOptions } from './remote.js';

/**
 * `keyhold ssh …`: keyhold's SSH certificate authority from any machine with a URL and a token.
 * `krl` fetches a CA's revocation list for sshd's RevokedKeys; `host-cert` certifies a server's
 * host key for its HostCertificate; `login` makes a key in memory, has it certified and serves key
 * and certificate through a local agent for one command (nothing is written to disk).
 */

interface Issued {
  serial: number;
  certificate: string;
  principals: string[];
  valid_before: string;
}

const remoteOptions = (c: Command) =>
  c.option('--url <url>', "keyhold's address (default: KEYHOLD_URL)").option('--token <token>', 'a token (default: KEYHOLD_TOKEN)');

const list = (text: string | undefined) => text?.split(',').map((p) => p.trim()).filter(Boolean);

/** Writes `data` to `file` through a temporary file beside it and a rename: readers see the old or the new file, never half of one. */
function writeAtomically(file: string, data: Buffer | string, mode: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode });
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** An Ed25519 key that lives only in this process's memory. */
function ephemeralKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return { type: 'ssh-ed25519', publicBlob: new SshWriter().string('ssh-ed25519').string(x).bytes(), privateKey };
}

export function registerSshCommands(program: Command): void {
  const ssh = program.command('ssh').description("keyhold's SSH certificate authority: KRLs, host certificates, short-lived logins (KEYHOLD_URL, KEYHOLD_TOKEN)");

  remoteOptions(
    ssh
      .command('krl')
      .description("write a key revocation list for sshd's RevokedKeys (atomically: sshd never reads half a file)")
      .option('--ca <name>', "one CA's revocations (default: every CA of the team in one KRL, which a server trusting two CAs during a rotation needs)")
      .requiredOption('--out <file>', 'where to write it'),
  ).action(async (opts: RemoteOptions & { ca?: string; out: string }) => {
    const krl = await remoteFrom(opts).bytes(opts.ca === undefined ? '/v1/ssh/krl' : `/v1/ssh/cas/${encodeURIComponent(opts.ca)}/krl`);
    writeAtomically(opts.out, krl, 0o644);
    process.stderr.write(`wrote the KRL of ${opts.ca === undefined ? "the team's CAs" : `CA ${opts.ca}`} to ${opts.out} (${krl.length} bytes)\n`);
  });

  remoteOptions(
    ssh
      .command('host-cert')
      .description("certify a server's host key from a host role; writes <key>-cert.pub beside it, for sshd's HostCertificate")
      .requiredOption('--role <name>', 'a host role')
      .requiredOption('--principal <names>', 'the host names the certificate is for, comma-separated (web1.example.com,web1)')
      .requiredOption('--host-key <file>', 'the host public key, e.g. /etc/ssh/ssh_host_ed25519_key.pub')
      .option('--ttl <duration>', "how long it is valid (default: the role's default_ttl)"),
  ).action(async (opts: RemoteOptions & { role: string; principal: string; hostKey: string; ttl?: string }) => {
    const publicKey = fs.readFileSync(opts.hostKey, 'utf8').trim();
    const issued = await remoteFrom(opts).call<Issued>('POST', '/v1/ssh/certificates', { role: opts.role, public_key: publicKey, principals: list(opts.principal), ttl: opts.ttl });
    const out = `${opts.hostKey.replace(/\.pub$/, '')}-cert.pub`;
    writeAtomically(out, `${issued.certificate}\n`, 0o644);
    process.stdout.write(`${out}\n`);
    process.stderr.write(`certificate ${issued.serial} for ${issued.principals.join(', ')}, valid until ${issued.valid_before}; point sshd's HostCertificate at it and reload sshd\n`);
  });

  remoteOptions(
    ssh
      .command('login')
      .description('make a key in memory, have it certified, and serve both through a local agent, for COMMAND (after --) or until Ctrl-C; nothing is written to disk')
      .requiredOption('--role <name>', 'a user role')
      .option('--principal <names>', "comma-separated principals (default: the role's exact principals; a role of patterns needs them)")
      .option('--ttl <duration>', "how long the certificate is valid (default: the role's default_ttl)")
      .option('--socket <path>', 'where to put the agent socket (default: a new 0700 directory in the temporary directory)')
      .argument('[command...]', 'run this one command with SSH_AUTH_SOCK set, then exit with its status'),
  ).action(async (command: string[], opts: RemoteOptions & { role: string; principal?: string; ttl?: string; socket?: string }) => {
    const key = ephemeralKey();
    const issued = await remoteFrom(opts).call<Issued>('POST', '/v1/ssh/certificates', {
      role: opts.role,
      public_key: publicKeyLine(key.publicBlob, 'keyhold-ssh-login'),
      principals: list(opts.principal),
      ttl: opts.ttl,
    });
    const certBlob = Buffer.from(issued.certificate.split(' ')[1] ?? '', 'base64');
    if (certBlob.length === 0) throw new AppError('internal', 'keyhold answered no certificate');
    const server = await startAgentServer({
      socketPath: opts.socket ?? defaultSocket(),
      identities: async () => [{ blob: certBlob, comment: `keyhold ${opts.role} certificate ${issued.serial}` }],
      sign: async (req) =>
        req.keyBlob.equals(certBlob) || req.keyBlob.equals(key.publicBlob) ? signSsh(key, req.data, signatureAlgorithm(key.type, req.flags)) : { refused: 'not the certified key' },
      onRefusal: (reason) => process.stderr.write(`keyhold ssh login: refused: ${reason}\n`),
    });
    process.stderr.write(`keyhold ssh login: certificate ${issued.serial} for ${issued.principals.join(', ')}, valid until ${issued.valid_before}\n`);
    if (command.length > 0) {
      process.exitCode = await runWithAgent(command, server.path);
      await server.close();
      return;
    }
    process.stdout.write(`SSH_AUTH_SOCK=${server.path}\n`);
    await new Promise<void>((resolve) => {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => resolve());
    });
    await server.close();
  });
}
