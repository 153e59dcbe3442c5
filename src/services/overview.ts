import type { CaasKeyStatus, Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import { tokenLive } from './tokens.js';
import type { Counts, UsageService } from './usage.js';

/** One minute of verification answers, by code. */
export interface MinuteOutcomes {
  /** Epoch ms of the minute's start. */
  at: number;
  counts: Counts;
}

/** Minutes the overview's chart shows: the last hour, this minute included. */
export const HISTORY_MINUTES = 60;

export interface Overview {
  privateKeys: number;
  apiKeys: Record<CaasKeyStatus, number>;
  tokens: number;
  projects: number;
  /** Verification answers per minute over the last hour, for the team (every process's, as flushed, plus this one's unflushed). */
  verifications: MinuteOutcomes[];
}

/** The console's first page: what a team has, and how verification of its keys went lately. */
export function overviewService(store: Store, usage: UsageService, clock: Clock) {
  return {
    async forTeam(teamId: number): Promise<Overview> {
      const now = clock();
      const count = (status: CaasKeyStatus) => store.caasKeys.count(teamId, { status, now });
      const thisMinute = Math.floor(now / 60_000) * 60_000;
      const window = { granularity: 'minute' as const, from: thisMinute - (HISTORY_MINUTES - 1) * 60_000, to: thisMinute + 60_000 };
      const [privateKeys, tokens, projects, active, disabled, expired, history] = await Promise.all([
        store.privateKeys.list(teamId),
        store.tokens.list(teamId),
        store.projects.listProjects(teamId),
        count('Active'),
        count('Disabled'),
        count('Expired'),
        usage.teamSeries(teamId, window),
      ]);
      return {
        privateKeys: privateKeys.length,
        apiKeys: { Active: active, Disabled: disabled, Expired: expired },
        tokens: tokens.filter((t) => tokenLive(t, now)).length,
        projects: projects.length,
        verifications: history.series.map((p) => ({ at: p.start, counts: p.counts })),
      };
    },
  };
}
export type OverviewService = ReturnType<typeof overviewService>;
