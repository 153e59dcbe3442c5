import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { backupSqlite, restoreSqlite, type BackupSummary } from '../db/backup.js';
import { AppError } from '../domain/errors.js';
import { existingMasterKey } from '../master-key.js';
import { out } from './shared.js';

/** The configured SQLite file and master key; neither is ever created here. */
function sqliteSetup(verb: string): { file: string; masterKey: Buffer; keySource: string } {
  const config = loadConfig();
  if (config.database.kind !== 'sqlite') {
    throw new AppError(
      'bad_request',
      `keyhold ${verb} works on the SQLite database; on PostgreSQL use pg_dump / pg_restore (or your provider's snapshots), and keep the master key with the dump`,
    );
  }
  const { key, source } = existingMasterKey(config.masterKey);
  return { file: config.database.file, masterKey: key, keySource: source };
}

const describe = (s: BackupSummary) =>
  `${s.privateKeys} private key(s) under ${s.keyVersions} key version(s), ${s.caasKeys} CaaS key(s), ${s.teams} team(s), ${s.tokens} token(s); ${(s.bytes / 1024).toFixed(0)} KiB`;

const json = (s: BackupSummary) => ({ bytes: s.bytes, key_versions: s.keyVersions, private_keys: s.privateKeys, caas_keys: s.caasKeys, teams: s.teams, tokens: s.tokens, migrations: s.migrations });

/** `keyhold backup <file>` and `keyhold restore <file>` for the SQLite default. */
export function registerBackupCommands(program: Command): void {
  program
    .command('backup <file>')
    .description('write a consistent copy of the SQLite database to <file> while servers keep running (the master key is NOT in it)')
    .option('--force', 'replace <file> if it exists')
    .option('--json', 'print a JSON summary')
    .action(async (file: string, opts: { force?: boolean; json?: boolean }) => {
      const { file: db, masterKey, keySource } = sqliteSetup('backup');
      const tty = process.stderr.isTTY;
      const summary = await backupSqlite(db, file, masterKey, {
        force: opts.force,
        onCreatedDirectory: (dir) => process.stderr.write(`created the directory ${dir} (0700)\n`),
        onProgress: (done, total) => {
          if (tty) process.stderr.write(`\rcopying ${db}: ${done}/${total} pages (${total ? Math.floor((done * 100) / total) : 100}%)`);
        },
      });
      if (tty) process.stderr.write('\n');
      out(opts.json ? JSON.stringify({ file, ...json(summary) }) : `backed up ${db} to ${file}: ${describe(summary)}`);
      process.stderr.write(
        `The backup is useless without the master key (${keySource}), and the master key with the backup opens every private key: keep a copy of the key, separately.\n`,
      );
    });

  program
    .command('restore <file>')
    .description('replace the SQLite database with a backup, after checking it and that the configured master key opens it; stop the server first')
    .option('--json', 'print a JSON summary')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { file: db, masterKey } = sqliteSetup('restore');
      const { summary, previous } = restoreSqlite(file, db, masterKey);
      if (opts.json) return void out(JSON.stringify({ file, database: db, previous, ...json(summary) }));
      out(`restored ${db} from ${file}: ${describe(summary)}`);
      if (previous) out(`the database it replaced was kept as ${previous}`);
    });
}
