import type { VerifyCode } from './verify.js';

/** Minutes of history kept: the console's overview shows the last hour. */
export const HISTORY_MINUTES = 60;

/** One minute of verification answers, by code. */
export interface MinuteOutcomes {
  /** Epoch ms of the minute's start. */
  at: number;
  counts: Partial<Record<VerifyCode, number>>;
}

/**
 * Verification answers per minute over the last hour, per team (the team of the key that was
 * presented; keys no team owns, unknown or malformed, count under `null`). In memory, per process:
 * each process counts what it answered, like its Prometheus counters.
 */
export class VerifyHistory {
  private readonly teams = new Map<number | null, Map<number, Partial<Record<VerifyCode, number>>>>();

  record(teamId: number | null, code: VerifyCode, now: number): void {
    const minute = Math.floor(now / 60_000) * 60_000;
    let minutes = this.teams.get(teamId);
    if (!minutes) this.teams.set(teamId, (minutes = new Map<number, Partial<Record<VerifyCode, number>>>()));
    let counts = minutes.get(minute);
    if (!counts) {
      minutes.set(minute, (counts = {}));
      // Minutes arrive in order: drop from the front what fell out of the window.
      for (const at of minutes.keys()) {
        if (at > minute - HISTORY_MINUTES * 60_000) break;
        minutes.delete(at);
      }
    }
    counts[code] = (counts[code] ?? 0) + 1;
  }

  /** The last hour for a team, one entry per minute (empty minutes included), oldest first. */
  series(teamId: number | null, now: number): MinuteOutcomes[] {
    const last = Math.floor(now / 60_000) * 60_000;
    const minutes = this.teams.get(teamId);
    const out: MinuteOutcomes[] = [];
    for (let i = HISTORY_MINUTES - 1; i >= 0; i--) {
      const at = last - i * 60_000;
      out.push({ at, counts: { ...(minutes?.get(at) ?? {}) } });
    }
    return out;
  }
}
