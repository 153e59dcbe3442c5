/** What /readyz reports. */
export interface Readiness {
  ok: boolean;
  reason?: string;
}

export interface ReadinessDeps {
  /** A trivial query. */
  ping: () => Promise<void>;
  /** A trivial write: a database that answers but cannot write (read-only, full) is not ready. */
  probeWrite?: () => Promise<void>;
  /** Migrations this build knows that the database lacks. */
  pendingMigrations: () => Promise<string[]>;
  /** How long a check may take before the answer is "not ready". */
  timeoutMs: number;
}

/**
 * Builds the readiness check: the database answers a trivial query and takes a trivial write within
 * `timeoutMs`, and every migration is applied. Failures are never remembered, so readiness comes back by itself with the
 * database. Success of the migration check is remembered (applied migrations stay applied), which
 * keeps a probe to one round trip.
 *
 * Probes that arrive while a check younger than the timeout is still running share it, so a
 * database that hangs costs at most one stuck query per timeout window, however often it is probed.
 */
export function readinessCheck(deps: ReadinessDeps): () => Promise<Readiness> {
  let migrated = false;
  let current: { started: number; result: Promise<Readiness> } | undefined;

  const run = async (): Promise<Readiness> => {
    try {
      await deps.ping();
    } catch {
      return { ok: false, reason: 'database unreachable' };
    }
    try {
      await deps.probeWrite?.();
    } catch {
      return { ok: false, reason: 'database cannot be written (read-only, or out of space)' };
    }
    if (!migrated) {
      let pending: string[];
      try {
        pending = await deps.pendingMigrations();
      } catch {
        return { ok: false, reason: 'database unreachable' };
      }
      if (pending.length) return { ok: false, reason: `migrations not applied: ${pending.join(', ')}` };
      migrated = true;
    }
    return { ok: true };
  };

  return async () => {
    const now = performance.now();
    if (!current || now - current.started >= deps.timeoutMs) {
      const fresh = { started: now, result: run() };
      current = fresh;
      void fresh.result.finally(() => {
        if (current === fresh) current = undefined;
      });
    }
    const entry = current;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Readiness>((resolve) => {
      const left = Math.max(0, deps.timeoutMs - (now - entry.started));
      timer = setTimeout(() => resolve({ ok: false, reason: `database did not answer within ${deps.timeoutMs} ms` }), left);
    });
    try {
      return await Promise.race([entry.result, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
