import { createKeyhold, KeyholdError, KeyholdNetworkError } from '#sdk';
import { AppError } from '../domain/errors.js';
import type { Backend, ConnectionOptions } from './backend.js';
import { packageVersion } from './help.js';
import { connectionFrom } from './remote.js';
import { UsageError } from './usage.js';

/** A failure answered by the server (or no answer), in the CLI's words: the server's message, never a header or a token. */
function worded(err: unknown): never {
  if (err instanceof KeyholdNetworkError) throw new AppError('unavailable', `cannot reach keyhold: ${err.message}`);
  if (err instanceof KeyholdError) {
    if (err.status === 401) throw new AppError('unauthorized', `keyhold refused the token: revoked, expired or unknown (${err.message})`);
    throw new AppError('bad_request', err.message);
  }
  throw err;
}

/** Every method of `api`, with failures worded for the terminal. */
function wordedApi<T extends object>(api: T): T {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => (v as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch(worded);
    },
  });
}

/** The SDK against `--url`/KEYHOLD_URL with `--token`/KEYHOLD_TOKEN: no database, no master key. */
export function remoteBackend(opts: ConnectionOptions): Backend {
  if (opts.team !== undefined) throw new UsageError(`--team is for the local store: against a server, the token's team is used (drop --team ${opts.team})`);
  // Checked and worded the same way as for `keyhold agent`.
  const { url, token } = connectionFrom(opts);
  const k = createKeyhold({ baseUrl: url, token, headers: { 'user-agent': `keyhold-cli/${packageVersion()}` } });
  let team: Promise<string> | undefined;
  return {
    mode: 'remote',
    where: url,
    teamName: () => (team ??= k.me().then((me) => me.team.name, worded)),
    apiKeys: wordedApi(k.apiKeys),
    sshKeys: wordedApi(k.sshKeys),
    tokens: wordedApi(k.tokens),
    projects: wordedApi(k.projects),
    regions: wordedApi(k.regions),
    teams: wordedApi(k.teams),
    audit: wordedApi(k.audit),
    webhooks: wordedApi(k.webhooks),
    verify: (body) => k.verify(body).catch(worded),
  };
}
