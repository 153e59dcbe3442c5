import type { Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';

/** The tables the pruner deletes from, as the metric labels them. */
export type PrunedTable = 'webhook_deliveries' | 'events' | 'audit_events' | 'usage_minutes' | 'usage_hours';

export interface PrunerOptions {
  /** Events older than this go, once no delivery of them is kept. */
  eventsMs: number;
  /** Delivered or failed deliveries created longer ago than this go; pending ones never do. */
  deliveriesMs: number;
  /** Audit entries older than this go, each team's oldest first. */
  auditMs: number;
  /** Usage minutes older than this are rolled up into hours (omitted: never). */
  usageMinutesMs?: number;
  /** Usage hours older than this go (omitted: never). */
  usageHoursMs?: number;
  /** How often `start()` runs a pass. */
  intervalMs: number;
  /** Rows per statement (and per transaction). */
  batchSize?: number;
  /** The pause between two batches, so other writers get the database in between. */
  pauseMs?: number;
  /** Rows deleted, per batch. */
  onPruned?: (table: PrunedTable, rows: number) => void;
  onError?: (err: unknown) => void;
}

export interface PruneResult {
  webhook_deliveries: number;
  events: number;
  audit_events: number;
  /** Minute rows rolled up into hours. */
  usage_minutes: number;
  usage_hours: number;
}

/**
 * Deletes what is past retention, in batches that each hold a write lock only for one short
 * statement (500 rows by default), with a pause between batches. Order matters: deliveries first
 * (never a pending one), then the events no delivery refers to any more (so the foreign key's
 * cascade never removes a delivery), then each team's oldest audit entries in id order, recording
 * where each team's kept trail starts; then usage minutes past their retention become hours, and old
 * hours go. Safe with several servers on PostgreSQL: deliveries and events
 * skip rows another transaction holds, and one server at a time prunes the audit trail.
 */
export function pruner(store: Store, clock: Clock, opts: PrunerOptions) {
  const batchSize = opts.batchSize ?? 500;
  const pauseMs = opts.pauseMs ?? 10;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PruneResult> | undefined;
  let stopped = false;

  const pause = () => new Promise((r) => setTimeout(r, pauseMs));

  /** Runs `batch` until it deletes fewer than a full batch (or the pruner is closed); how many rows in all. */
  async function repeat(table: PrunedTable, batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await batch();
      total += n;
      if (n > 0) opts.onPruned?.(table, n);
      if (n < batchSize || stopped) return total;
      await pause();
    }
  }

  async function pass(): Promise<PruneResult> {
    const now = clock();
    const result: PruneResult = { webhook_deliveries: 0, events: 0, audit_events: 0, usage_minutes: 0, usage_hours: 0 };
    result.webhook_deliveries = await repeat('webhook_deliveries', () => store.deliveries.pruneFinished(now - opts.deliveriesMs, batchSize));
    if (stopped) return result;
    result.events = await repeat('events', () => store.events.pruneUnreferenced(now - opts.eventsMs, batchSize));
    // Entries of no team first, then each team's, walking team ids upwards (one index seek each).
    const auditBefore = now - opts.auditMs;
    for (let team: number | null | undefined = null; team !== undefined && !stopped; team = await store.audit.nextTeam(team ?? 0)) {
      const teamId = team;
      result.audit_events += await repeat('audit_events', () => store.audit.pruneOldest(teamId, auditBefore, batchSize, now));
    }
    const { usageMinutesMs, usageHoursMs } = opts;
    if (usageMinutesMs !== undefined && !stopped) result.usage_minutes = await repeat('usage_minutes', () => store.usage.rollUpMinutes(now - usageMinutesMs, batchSize));
    if (usageHoursMs !== undefined && !stopped) result.usage_hours = await repeat('usage_hours', () => store.usage.pruneHours(now - usageHoursMs, batchSize));
    return result;
  }

  const tick = () => {
    running ??= pass()
      .catch((err: unknown) => {
        opts.onError?.(err);
        return { webhook_deliveries: 0, events: 0, audit_events: 0, usage_minutes: 0, usage_hours: 0 };
      })
      .finally(() => (running = undefined));
  };

  return {
    /** One pass now (tests, or a pass already running: after it ends); what it deleted. */
    async run(): Promise<PruneResult> {
      if (running) await running;
      return pass();
    },
    start(): void {
      timer = setInterval(tick, opts.intervalMs);
      timer.unref();
      tick();
    },
    /** Stops after the batch in progress. */
    async close(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
export type Pruner = ReturnType<typeof pruner>;
