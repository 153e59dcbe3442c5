import fs from 'node:fs';
import { AppError } from '../domain/errors.js';
import type { AuditRow } from '../repositories/audit-chain.js';
import type { AuditSink } from '../repositories/index.js';
import { auditLine } from './audit-chain.js';

export interface AuditFileOptions {
  path: string;
  /** Vault's semantics: a change whose audit line cannot be written is refused (503) and not committed. */
  failClosed: boolean;
  /** One line when writing starts failing, one when it works again. */
  notice?: (level: 'warn' | 'info', message: string, err?: unknown) => void;
  /** Counts entries that could not be written (fail-open: they are in the database only). */
  lost?: (entries: number) => void;
}

/**
 * KEYHOLD_AUDIT_FILE: every audit entry, once committed, appended as one NDJSON line (auditLine) for a
 * log shipper (Vector, Fluent Bit) to follow. Each process appends its own entries. Fail-closed, the
 * lines are written just before the change commits, and a failed write rolls the change back.
 * Lines are written, not fsynced: a machine crash can lose the last ones (`keyhold audit export`
 * re-derives them from the database).
 */
export function auditFileSink(opts: AuditFileOptions): AuditSink {
  let failing = false;
  const failed = (err: unknown) => {
    if (!failing) opts.notice?.('warn', `the audit file ${opts.path} cannot be written${opts.failClosed ? ': changes are refused until it can (KEYHOLD_AUDIT_FILE_FAIL_CLOSED)' : ': entries are kept in the database only'}`, err);
    failing = true;
  };
  return {
    failClosed: opts.failClosed,
    write(rows: readonly AuditRow[]) {
      try {
        fs.appendFileSync(opts.path, `${rows.map(auditLine).join('\n')}\n`, { mode: 0o600 });
      } catch (err) {
        failed(err);
        if (opts.failClosed) throw new AppError('unavailable', 'the audit trail cannot be written right now, so this change was not made; try again shortly');
        throw err;
      }
      if (failing) opts.notice?.('info', `the audit file ${opts.path} is written again`);
      failing = false;
    },
    lost(_err, rows) {
      opts.lost?.(rows.length);
    },
  };
}
