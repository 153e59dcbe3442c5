import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { AppError } from '../domain/errors.js';
import { existingMasterKey, masterKeyFile } from '../master-key.js';
import { cliAuditEvent } from '../services/audit.js';
import { rewrapDataKeys } from '../services/keyring.js';
import type { RotationProgress } from '../services/rotation.js';
import { iso, out, withRuntime } from './shared.js';
import { table } from './table.js';

function positiveInt(name: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new AppError('bad_request', `${name} must be a whole number from 1 to ${max} (got ${JSON.stringify(text)})`);
  return Number(text);
}

/** A progress bar redrawn in place on a terminal; on a pipe, a line at the start, at most one a second, and one at the end. */
function progressReporter(stream: NodeJS.WriteStream) {
  let lastLine = 0;
  let lastText = '';
  let drawn = false;
  return {
    update(p: RotationProgress) {
      const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
      const text = `re-encrypting to version ${p.target}: ${p.done}/${p.total} (${pct}%)`;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((width * pct) / 100);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
        drawn = true;
      } else if (Date.now() - lastLine >= 1000 || p.done === 0 || p.done >= p.total) {
        // The first line, the last (it used to stop at "0%" when the work took under a second), and one a second between.
        if (text === lastText) return;
        stream.write(text + '\n');
        lastLine = Date.now();
        lastText = text;
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}

/** `keyhold master-key status|rotate`. */
export function registerMasterKeyCommands(program: Command): void {
  const mk = program.command('master-key').description('data-key versions under the master key: status and rotation');

  mk.command('status')
    .description('show each key version, when it was made and how many private keys it protects')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) =>
      withRuntime('read', 'master-key status', async (rt) => {
        const versions = await rt.services.rotation.status();
        if (opts.json) {
          return void out(JSON.stringify({ versions: versions.map((v) => ({ version: v.version, created_at: iso(v.createdAt), records: v.records, active: v.active })) }));
        }
        out(table(['VERSION', 'CREATED', 'RECORDS', 'ACTIVE'], versions.map((v) => [String(v.version), iso(v.createdAt), String(v.records), v.active ? 'yes' : ''])));
        const behind = versions.filter((v) => !v.active).reduce((n, v) => n + v.records, 0);
        if (behind > 0) out(`${behind} private key(s) are still on older versions: run \`keyhold master-key rotate\` to finish moving them.`);
      }),
    );

  mk.command('rewrap')
    .description('change the master key itself: re-wrap every key version under a new master key (then restart every server with it)')
    .requiredOption('--new-key-file <path>', 'file holding the new master key (base64 of 32 bytes)')
    .option('--generate', 'write a new random master key to --new-key-file first (0600; never over an existing file)')
    .action(async (opts: { newKeyFile: string; generate?: boolean }) => {
      const current = existingMasterKey(loadConfig().masterKey).key;
      const next = masterKeyFile(opts.newKeyFile, { generate: opts.generate });
      await withRuntime('change', 'master-key rewrap', async (rt) => {
        const n = await rewrapDataKeys(rt.store, current, next);
        await rt.store.audit.insert(cliAuditEvent('master_key.rewrap', 'master_key', 'current', rt.clock()));
        out(`re-wrapped ${n} key version(s) under the master key in ${opts.newKeyFile}`);
        process.stderr.write(
          [
            'Now point KEYHOLD_MASTER_KEY_FILE (or KEYHOLD_MASTER_KEY) at the new key and restart every keyhold process.',
            'Until restarted, running servers serve what the key versions they have already loaded protect, and fail',
            'on versions they have not; a process started with the old master key refuses to start. Then run',
            '`keyhold master-key rotate` under the new key, so that key versions an old copy of the database',
            'exposed to the old key protect nothing.',
            'Keep the old key until every process runs with the new one; backups taken before now still need it.',
            '',
          ].join('\n'),
        );
      });
    });

  mk.command('rotate')
    .description('add a key version and re-encrypt every private key under it, in batches, while servers keep running; re-run to resume an interrupted rotation')
    .option('--batch-size <n>', 'records per batch (one transaction each)', '500')
    .option('--pause <ms>', 'wait between batches, to go easy on a busy database', '0')
    .option('--json', 'print the final report as JSON')
    .action(async (opts: { batchSize: string; pause: string; json?: boolean }) => {
      const batchSize = positiveInt('--batch-size', opts.batchSize, 100_000);
      const pauseMs = opts.pause === '0' ? 0 : positiveInt('--pause', opts.pause, 600_000);
      await withRuntime('change', 'master-key rotate', async (rt) => {
        const abort = new AbortController();
        const onSignal = () => {
          if (abort.signal.aborted) process.exit(130);
          process.stderr.write('\nstopping after this batch (press Ctrl-C again to stop at once; either way, run again to resume)\n');
          abort.abort();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        const progress = progressReporter(process.stderr);
        try {
          const r = await rt.services.rotation.rotate({ batchSize, pauseMs, signal: abort.signal, onProgress: (p) => progress.update(p) });
          progress.end();
          if (opts.json) {
            out(JSON.stringify({ version: r.target, created: r.created, total: r.total, resealed: r.resealed, retried: r.retried, failed: r.failed, remaining: r.remaining, interrupted: r.interrupted }));
          } else {
            out(
              [
                r.created ? `added key version ${r.target}` : `resumed the rotation to key version ${r.target}`,
                `re-encrypted: ${r.resealed}`,
                `changed by another writer meanwhile and read again: ${r.retried}`,
                `failed to decrypt (left untouched): ${r.failed.length}${r.failed.length ? ` (ids ${r.failed.join(', ')})` : ''}`,
                `still on older versions: ${r.remaining}`,
              ].join('\n'),
            );
          }
          if (r.interrupted) {
            process.stderr.write('interrupted: run `keyhold master-key rotate` again to finish\n');
            process.exitCode = 130;
          } else if (r.failed.length > 0 || r.remaining > 0) {
            process.stderr.write(
              r.failed.length > 0
                ? 'some records could not be decrypted with any loaded key version: they may be corrupt or tampered with; restore them from a backup\n'
                : 'some records kept changing under older versions (a server still running an old keyhold?): run again\n',
            );
            process.exitCode = 1;
          }
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      });
    });
}
