import type { CaasKeyStatus, Clock } from '../domain/types.js';
import type { Store } from '../repositories/index.js';
import { tokenLive } from './tokens.js';
import type { VerifyService } from './verify.js';
import type { MinuteOutcomes } from './verify-history.js';

export interface Overview {
  privateKeys: number;
  apiKeys: Record<CaasKeyStatus, number>;
  tokens: number;
  projects: number;
  /** This process's verification answers per minute over the last hour, for the team's keys. */
  verifications: MinuteOutcomes[];
}

/** The console's first page: what a team has, and how verification of its keys went lately. */
export function overviewService(store: Store, verify: VerifyService, clock: Clock) {
  return {
    async forTeam(teamId: number): Promise<Overview> {
      const now = clock();
      const count = (status: CaasKeyStatus) => store.caasKeys.count(teamId, { status, now });
      const [privateKeys, tokens, projects, active, disabled, expired] = await Promise.all([
        store.privateKeys.list(teamId),
        store.tokens.list(teamId),
        store.projects.listProjects(teamId),
        count('Active'),
        count('Disabled'),
        count('Expired'),
      ]);
      return {
        privateKeys: privateKeys.length,
        apiKeys: { Active: active, Disabled: disabled, Expired: expired },
        tokens: tokens.filter((t) => tokenLive(t, now)).length,
        projects: projects.length,
        verifications: verify.history(teamId),
      };
    },
  };
}
export type OverviewService = ReturnType<typeof overviewService>;
