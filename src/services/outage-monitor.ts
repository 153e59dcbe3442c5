import type { Clock } from '../domain/types.js';

export interface OutageMonitorOptions {
  clock: Clock;
  /** A write that succeeds only when the database serves again (the readiness probe). */
  probe: () => Promise<void>;
  /** How often the probe runs while the database is down. */
  probeEveryMs?: number;
  /** Counts every operation refused by the outage (each is a 503, or a background retry). */
  count?: () => void;
  /** One line when an outage starts, one when it ends. */
  notice?: (level: 'warn' | 'info', message: string, err?: unknown) => void;
}

export interface OutageMonitor {
  /** An operation failed because the database cannot serve (`detail` names the file or server). */
  failed(detail: string, err: unknown): void;
  readonly down: boolean;
  close(): void;
}

/**
 * Turns a database outage into two log lines instead of a stack trace per request: a warning when
 * the first operation fails, and a line when the database serves again, with how long it took and
 * how many operations were refused meanwhile (every one is counted in a metric too). The end is
 * found by a probe write while down, not by the next operation that happens to succeed: during a
 * full disk reads still work, and they must not make the log flap.
 */
export function outageMonitor(opts: OutageMonitorOptions): OutageMonitor {
  let since: number | null = null;
  let refused = 0;
  let timer: NodeJS.Timeout | undefined;
  let probing = false;

  const check = async () => {
    if (probing || since === null) return;
    probing = true;
    try {
      await opts.probe();
      const seconds = Math.round((opts.clock() - since) / 100) / 10;
      opts.notice?.('info', `database available again after ${seconds} s (${refused} operation(s) refused meanwhile)`);
      since = null;
      refused = 0;
      clearInterval(timer);
      timer = undefined;
    } catch {
      // still down: the next probe will tell
    } finally {
      probing = false;
    }
  };

  return {
    failed(detail, err) {
      opts.count?.();
      refused++;
      if (since !== null) return;
      since = opts.clock();
      opts.notice?.('warn', `database unavailable: ${detail}; answering 503 until it serves again`, err);
      timer = setInterval(() => void check(), opts.probeEveryMs ?? 1000);
      timer.unref();
    },
    get down() {
      return since !== null;
    },
    close() {
      clearInterval(timer);
    },
  };
}
