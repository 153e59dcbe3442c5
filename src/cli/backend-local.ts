import type { ApiKey, ApiKeyRef, ApiKeyUpdateBody, VerifyResult } from '#sdk';
import { AppError } from '../domain/errors.js';
import { formatDateTime, parseDateTime } from '../domain/time.js';
import type { Actor, Team } from '../domain/types.js';
import { verdictAnswer } from '../http/gateway/answers.js';
import { apiKeyWire, privateKeyWire, projectWire, regionWire, teamWire, tokenWire } from '../http/native/wire.js';
import type { Runtime } from '../runtime.js';
import { auditEntry, parseAuditQuery } from '../services/audit.js';
import type { Backend } from './backend.js';
import { recordCliChange } from './record.js';
import { withRuntime } from './shared.js';
import type { StoreUse } from './store.js';
import { UsageError } from './usage.js';

/** An API key reference from either of the SDK's argument forms. */
function ref(args: readonly unknown[]): { p: number; r: number; name: string; rest: unknown[] } {
  if (typeof args[0] === 'object' && args[0] !== null) {
    const k = args[0] as ApiKeyRef;
    return { p: k.project_id, r: k.region_id, name: k.name, rest: args.slice(1) };
  }
  return { p: args[0] as number, r: args[1] as number, name: args[2] as string, rest: args.slice(3) };
}

function expireAt(text: string | null | undefined): number | null | undefined {
  if (text === undefined || text === null) return text;
  const ms = parseDateTime(text);
  if (ms === undefined) throw new AppError('bad_request', 'expire must be an RFC 3339 date-time with an offset, e.g. 2027-01-31T00:00:00Z');
  return Math.floor(ms / 1000) * 1000;
}

const warnPast = (expire: number | null, now: number) =>
  expire === null || expire > now ? {} : { warnings: [`expire ${formatDateTime(expire, 's')} is in the past: the key is Expired and verifies as EXPIRED until its expiry is moved`] };

/** The services behind the HTTP API, on this host's store, acting as `cli` for `team`; the answers are the API's wire objects. */
export function localBackend(rt: Runtime, teamOption: string | undefined, use: StoreUse): Backend {
  const s = rt.services;
  let team: Promise<Team> | undefined;
  /** `--team`; without it, for a reading command, the store's only team if it has just one. A change always names its team. */
  async function pick(): Promise<Team> {
    if (teamOption !== undefined) return s.teams.require(teamOption);
    const all = await s.teams.list();
    if (use === 'read' && all.length === 1) return all[0]!;
    throw new UsageError(
      `--team <name> is needed on the local store${all.length ? ` (teams: ${all.map((t) => t.name).join(', ')})` : ' (it has no team yet: keyhold teams create <name>)'}, or run against a server with --url/KEYHOLD_URL and a token`,
    );
  }
  const theTeam = () => (team ??= pick());
  const actor = async (): Promise<Actor> => ({ teamId: (await theTeam()).id, tokenId: null, label: 'cli', ip: null, requestId: null });
  const wire = (k: Parameters<typeof apiKeyWire>[0]) => apiKeyWire(k, rt.clock()) as ApiKey;
  const update = async (args: unknown[]) => {
    const { p, r, name, rest } = ref(args);
    const b = (rest[0] ?? {}) as ApiKeyUpdateBody;
    const rl = b.rate_limit;
    const key = await s.caasKeys.update(await actor(), p, r, name, {
      description: b.description,
      containers: b.containers?.map((c) => ({ name: c.name, namespace: c.namespace ?? 'default' })),
      expire: expireAt(b.expire),
      isDisabled: b.is_disabled,
      rateLimit: rl === undefined ? undefined : rl && { limit: rl.limit, windowSeconds: rl.window_seconds },
    });
    return { ...wire(key), ...(b.expire === undefined ? {} : warnPast(key.expire, rt.clock())) };
  };
  return {
    mode: 'local',
    where: 'the local store',
    teamName: async () => (await theTeam()).name,
    apiKeys: {
      async list(q = {}) {
        const page = await s.caasKeys.search((await theTeam()).id, { projectId: q.project_id, regionId: q.region_id, status: q.status, text: q.q, limit: q.limit ?? 100, cursor: q.cursor });
        return { keys: page.keys.map(wire), next_cursor: page.nextCursor };
      },
      async create(b) {
        const rl = b.rate_limit;
        const { key, secret } = await s.caasKeys.create(await actor(), b.project_id, b.region_id, {
          name: b.name,
          description: b.description ?? '',
          containers: b.containers.map((c) => ({ name: c.name, namespace: c.namespace ?? 'default' })),
          expire: expireAt(b.expire) ?? null,
          isDisabled: b.is_disabled ?? false,
          rateLimit: rl ? { limit: rl.limit, windowSeconds: rl.window_seconds } : null,
        });
        return { ...wire(key), secret, ...warnPast(key.expire, rt.clock()) };
      },
      async get(...args) {
        const { p, r, name } = ref(args);
        return wire(await s.caasKeys.get((await theTeam()).id, p, r, name));
      },
      update: (...args: unknown[]) => update(args),
      async delete(...args) {
        const { p, r, name } = ref(args);
        await s.caasKeys.remove(await actor(), p, r, name);
      },
      async reroll(...args: unknown[]) {
        const { p, r, name, rest } = ref(args);
        const graceMs = ((rest[0] as { grace_seconds?: number } | undefined)?.grace_seconds ?? 0) * 1000;
        const { key, secret } = await s.caasKeys.reroll(await actor(), p, r, name, graceMs);
        return { ...wire(key), secret, ...warnPast(key.expire, rt.clock()) };
      },
      disable: (...args: unknown[]) => update([...args.slice(0, typeof args[0] === 'object' ? 1 : 3), { is_disabled: true }]),
      enable: (...args: unknown[]) => update([...args.slice(0, typeof args[0] === 'object' ? 1 : 3), { is_disabled: false }]),
    },
    sshKeys: {
      list: async () => (await s.privateKeys.list(await actor(), false)).map((k) => privateKeyWire(k)),
      get: async (uuid) => privateKeyWire(await s.privateKeys.get(await actor(), uuid, false)),
      create: async (b) => privateKeyWire(await s.privateKeys.create(await actor(), { name: b.name, description: b.description ?? null, privateKey: b.private_key, uniqueName: true })),
      update: async (uuid, b) =>
        privateKeyWire(await s.privateKeys.update(await actor(), uuid, { name: b.name, description: b.description, privateKey: b.private_key, uniqueName: true })),
      delete: async (uuid) => s.privateKeys.remove(await actor(), uuid),
      async reveal(uuid) {
        const k = await s.privateKeys.reveal(await actor(), uuid);
        return { uuid: k.uuid, private_key: k.privateKey };
      },
    },
    tokens: {
      list: async () => (await s.tokens.listTeam((await theTeam()).id)).map((t) => tokenWire(t, rt.clock())),
      async create(b) {
        const t = await theTeam();
        const name = b.name?.trim() || `cli-${formatDateTime(rt.clock()).slice(0, 10)}`;
        const issued = await s.tokens.create({ team: t.name, abilities: b.abilities, name, expiresInMs: b.expires_in === undefined ? undefined : b.expires_in * 1000, privateKeys: b.private_keys, sshRoles: b.ssh_roles });
        await recordCliChange(rt, { teamId: t.id, action: 'token.create', type: 'token', id: issued.id, changed: ['name', 'abilities', 'expires_at'] });
        return { ...tokenWire(await s.tokens.getInTeam(t.id, issued.id), rt.clock()), token: issued.token };
      },
      // A token id is the instance's: on the local store it needs no --team (given, the token must be that team's).
      async revoke(id) {
        if (teamOption !== undefined) await s.tokens.getInTeam((await theTeam()).id, id);
        await s.tokens.revoke(id);
        const revoked = await rt.store.tokens.findById(id);
        await recordCliChange(rt, { teamId: revoked?.teamId ?? null, action: 'token.revoke', type: 'token', id, changed: ['revoked_at'] });
      },
    },
    projects: {
      list: async () => (await s.projects.listForTeam((await theTeam()).id)).map(projectWire),
      async create(b = {}) {
        const t = await theTeam();
        const p = await s.projects.createProject({ team: t.name, id: b.id, name: b.name });
        await recordCliChange(rt, { teamId: p.teamId, action: 'project.create', type: 'project', id: p.id, changed: ['name'] });
        return projectWire(p);
      },
    },
    regions: {
      list: async () => (await s.projects.listRegions()).map(regionWire),
      async create(b) {
        const r = await s.projects.createRegion({ id: b.id, name: b.name });
        await recordCliChange(rt, { teamId: null, action: 'region.create', type: 'region', id: r.id, changed: ['name'] });
        return regionWire(r);
      },
    },
    teams: {
      list: async () => (await s.teams.list()).map(teamWire),
      async create() {
        throw new UsageError('use `keyhold teams create <name>` on the local store');
      },
    },
    audit: {
      async list(q = {}) {
        const query = parseAuditQuery(Object.fromEntries(Object.entries({ ...q, limit: q.limit === undefined ? undefined : String(q.limit) }).filter(([, v]) => v !== undefined)));
        const page = await s.audit.list((await theTeam()).id, query);
        return { events: page.events.map(auditEntry), next_cursor: page.nextCursor };
      },
      // audit.ts exports from the local store itself (every team, or --team).
      export: () => Promise.reject(new UsageError('the local export is `keyhold audit export` without --url')),
    },
    webhooks: new Proxy({} as Backend['webhooks'], {
      get: () => () => Promise.reject(new UsageError('webhooks commands run against a server for now: --url/KEYHOLD_URL and a root token')),
    }),
    async verify(b) {
      const t = await theTeam();
      const result = await s.verify.verify({ key: b.key ?? '', container: { name: b.container.name, namespace: b.container.namespace ?? 'default' }, teamId: t.id, projectId: b.project_id, regionId: b.region_id });
      return JSON.parse(verdictAnswer(result).body ?? '{}') as VerifyResult;
    },
  };
}

/** Opens this host's store for one command (see store.ts for what `use` allows) and always closes it. */
export function withLocalBackend<T>(team: string | undefined, use: StoreUse, command: string, fn: (b: Backend) => Promise<T>): Promise<T> {
  return withRuntime(use, command, (rt) => fn(localBackend(rt, team, use)));
}
