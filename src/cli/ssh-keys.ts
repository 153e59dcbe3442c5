import fs from 'node:fs';
import type { Command } from 'commander';
import type { SshKey } from '#sdk';
import { AppError } from '../domain/errors.js';
import { connectionOptions, withBackend, type ConnectionOptions } from './backend.js';
import { out } from './shared.js';
import { table } from './table.js';

type Opts = ConnectionOptions & { json?: boolean };

const show = (k: SshKey, json: boolean | undefined, said: string) => out(json ? JSON.stringify(k) : `${said} SSH key ${k.name} (${k.uuid}, ${k.fingerprint ?? k.key_type})`);

function readKeyFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('bad_request', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** `keyhold ssh-keys …`: the team's SSH private keys, on the local store or a server (--url/KEYHOLD_URL). */
export function registerSshKeyCommands(program: Command): void {
  const keys = program.command('ssh-keys').description('SSH private keys (Coolify-compatible): add from a file, list, reveal, …');

  connectionOptions(keys.command('add').description('store a private key from a file (unencrypted PEM or OpenSSH); prints its uuid'))
    .requiredOption('--name <name>', 'a name, unique in the team')
    .requiredOption('--file <path>', 'the private key file, e.g. ~/.ssh/deploy_key')
    .option('--description <text>', 'a description')
    .option('--json', "print the key as JSON (the API's fields; never the private key)")
    .action(async (o: Opts & { name: string; file: string; description?: string }) => {
      const privateKey = readKeyFile(o.file);
      await withBackend(o, 'change', 'ssh-keys add', async (b) => {
        const k = await b.sshKeys.create({ name: o.name, description: o.description, private_key: privateKey });
        if (o.json) return void out(JSON.stringify(k));
        out(k.uuid);
        process.stderr.write(`added SSH key ${k.name} (${k.fingerprint ?? k.key_type})\n`);
      });
    });

  connectionOptions(keys.command('list').description("list the team's SSH keys (never the private keys)"))
    .option('--json', "print the keys as a JSON array (the API's fields)")
    .action(async (o: Opts) =>
      withBackend(o, 'read', 'ssh-keys list', async (b) => {
        const rows = await b.sshKeys.list();
        if (o.json) return void out(JSON.stringify(rows));
        out(rows.length ? table(['UUID', 'NAME', 'TYPE', 'FINGERPRINT', 'CREATED'], rows.map((k) => [k.uuid, k.name, k.key_type, k.fingerprint ?? '-', k.created_at])) : 'no SSH keys yet (keyhold ssh-keys add --name N --file F)');
      }),
    );

  connectionOptions(keys.command('get <uuid>').description('show one SSH key, with its public key'))
    .option('--json', "print the key as JSON (the API's fields)")
    .action(async (uuid: string, o: Opts) =>
      withBackend(o, 'read', 'ssh-keys get', async (b) => {
        const k = await b.sshKeys.get(uuid);
        out(o.json ? JSON.stringify(k) : table(['FIELD', 'VALUE'], Object.entries(k).map(([f, v]) => [f, typeof v === 'string' ? v : JSON.stringify(v)])));
      }),
    );

  connectionOptions(keys.command('update <uuid>').description("rename or describe an SSH key, or replace its key pair from a file"))
    .option('--name <name>', 'a new name')
    .option('--description <text>', 'a new description')
    .option('--file <path>', 'a new private key file (replaces the key pair)')
    .option('--json', "print the key as JSON (the API's fields)")
    .action(async (uuid: string, o: Opts & { name?: string; description?: string; file?: string }) => {
      const changes = { name: o.name, description: o.description, private_key: o.file === undefined ? undefined : readKeyFile(o.file) };
      if (Object.values(changes).every((v) => v === undefined)) throw new AppError('bad_request', 'nothing to change: give --name, --description or --file');
      await withBackend(o, 'change', 'ssh-keys update', async (b) => show(await b.sshKeys.update(uuid, changes), o.json, 'updated'));
    });

  connectionOptions(keys.command('delete <uuid>').description('delete an SSH key'))
    .option('--json', 'print {"deleted":true,"uuid"} as JSON')
    .action(async (uuid: string, o: Opts) =>
      withBackend(o, 'change', 'ssh-keys delete', async (b) => {
        await b.sshKeys.delete(uuid);
        out(o.json ? JSON.stringify({ deleted: true, uuid }) : `deleted SSH key ${uuid}`);
      }),
    );

  connectionOptions(keys.command('reveal <uuid>').description('print the private key alone on stdout (read:sensitive; every reveal is audited)'))
    .option('--json', 'print {"uuid","private_key"} as JSON')
    .action(async (uuid: string, o: Opts) =>
      withBackend(o, 'change', 'ssh-keys reveal', async (b) => {
        const k = await b.sshKeys.reveal(uuid);
        out(o.json ? JSON.stringify(k) : k.private_key);
      }),
    );
}
