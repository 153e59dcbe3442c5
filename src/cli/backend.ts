import type { Command } from 'commander';
import type { ApiKeysApi, AuditApi, ProjectsApi, RegionsApi, SshKeysApi, TeamsApi, TokenCreateBody, TokensApi, VerifyBody, VerifyResult, WebhooksApi } from '#sdk';
import type { StoreUse } from './store.js';

/**
 * What a resource command runs against: the store on this host (services, as an operator) or a
 * keyhold server over HTTP (the SDK, with a URL and a token). Both give the API's wire objects, so
 * one command definition prints the same JSON either way. The shapes are the SDK's own.
 */
export interface Backend {
  mode: 'local' | 'remote';
  /** Where the commands run, for messages: the server's URL, or "the local store". */
  where: string;
  /** The team the commands act for: `--team` locally, the token's team remotely (learned on demand). */
  teamName(): Promise<string>;
  apiKeys: Pick<ApiKeysApi, 'list' | 'create' | 'get' | 'update' | 'delete' | 'reroll' | 'disable' | 'enable'>;
  sshKeys: SshKeysApi;
  tokens: Pick<TokensApi, 'list' | 'revoke'> & { create(body: TokenCreateBody): ReturnType<TokensApi['create']> };
  projects: Pick<ProjectsApi, 'list' | 'create'>;
  regions: RegionsApi;
  teams: Pick<TeamsApi, 'list' | 'create'>;
  /** The team's audit trail, a page at a time (the CLI's every-team view stays local, in audit.ts). */
  audit: Pick<AuditApi, 'list' | 'export'>;
  /** Remote only for now: on the local store each method is a usage error naming --url. */
  webhooks: Pick<WebhooksApi, 'list' | 'get' | 'create' | 'delete' | 'deliveries' | 'redeliver'>;
  verify(body: VerifyBody): Promise<VerifyResult>;
}

export interface ConnectionOptions {
  url?: string;
  token?: string;
  team?: string;
}

/** `--url`, `--token` and `--team` on a resource command: remote with a URL (or KEYHOLD_URL), else local with a team. */
export function connectionOptions(c: Command, teamHelp = 'the team (local mode; remotely, the token\'s team)'): Command {
  return c
    .option('--url <url>', "run against this keyhold server (default: KEYHOLD_URL; without either, against the local store)")
    .option('--token <token>', 'the token for --url (default: KEYHOLD_TOKEN)')
    .option('--team <name>', teamHelp);
}

/** Remote when a URL is given by flag or KEYHOLD_URL (or a token by flag); else the local store. */
export const isRemote = (opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env) => Boolean(opts.url ?? opts.token ?? env.KEYHOLD_URL?.trim());

/**
 * Runs `fn` against the right backend and always closes it. The local one is loaded only when used
 * (it opens the database); the remote one loads the SDK and needs nothing on this host.
 */
export async function withBackend<T>(opts: ConnectionOptions, use: StoreUse, command: string, fn: (b: Backend) => Promise<T>): Promise<T> {
  if (isRemote(opts)) {
    const { remoteBackend } = await import('./backend-remote.js');
    return fn(remoteBackend(opts));
  }
  const { withLocalBackend } = await import('./backend-local.js');
  return withLocalBackend(opts.team, use, command, fn);
}
