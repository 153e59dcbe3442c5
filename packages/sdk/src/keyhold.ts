/**
 * The namespaced client: `keyhold.apiKeys.create(…)`, `keyhold.sshKeys.reveal(…)`, … Each method
 * makes one call through the low-level client and returns the answer's data, or throws a
 * `KeyholdError`. Every parameter and result type is read from the generated `paths` (types.ts).
 */
import { createKeyholdClient, type KeyholdClient, type KeyholdClientOptions } from './client.js';
import { unwrap } from './errors.js';
import type { PathParams, QueryParams, RequestBody, ResponseBody } from './types.js';

const API_KEYS = '/v1/api-keys';
const API_KEY = '/v1/api-keys/{project_id}/{region_id}/{name}';
const SSH_KEYS = '/v1/private-keys';
const SSH_KEY = '/v1/private-keys/{uuid}';
const WEBHOOK = '/v1/webhooks/{id}';
const DELIVERIES = '/v1/webhooks/{id}/deliveries';

// ---- API keys -------------------------------------------------------------------------------

/** What names an API key: its project, region and name (an `ApiKey` from a list will do). */
export type ApiKeyRef = PathParams<typeof API_KEY, 'get'>;
/** An API key named either by one object (`{ project_id, region_id, name }`, an `ApiKey`) or by three arguments. */
export type ApiKeyAddress = [key: ApiKeyRef] | [projectId: ApiKeyRef['project_id'], regionId: ApiKeyRef['region_id'], name: ApiKeyRef['name']];
export type ApiKeyListQuery = QueryParams<typeof API_KEYS, 'get'>;
export type ApiKeyPage = ResponseBody<typeof API_KEYS, 'get'>;
export type ApiKey = ResponseBody<typeof API_KEY, 'get'>;
export type ApiKeyCreateBody = RequestBody<typeof API_KEYS, 'post'>;
export type ApiKeyCreated = ResponseBody<typeof API_KEYS, 'post'>;
export type ApiKeyUpdateBody = RequestBody<typeof API_KEY, 'patch'>;
export type ApiKeyRerollBody = RequestBody<`${typeof API_KEY}/reroll`, 'post'>;
export type ApiKeyRerolled = ResponseBody<`${typeof API_KEY}/reroll`, 'post'>;

export interface ApiKeysApi {
  /** One page of keys (newest first), filtered; `next_cursor` asks for the next. */
  list(query?: ApiKeyListQuery): Promise<ApiKeyPage>;
  /** Every key that matches, page after page: `for await (const k of keyhold.apiKeys.listAll({ status: 'Active' }))`. `limit` sets the page size. */
  listAll(query?: Omit<ApiKeyListQuery, 'cursor'>): AsyncIterableIterator<ApiKey>;
  /** A new key; its `secret` is in this answer only. */
  create(body: ApiKeyCreateBody): Promise<ApiKeyCreated>;
  get(...key: ApiKeyAddress): Promise<ApiKey>;
  /** Changes the fields given; the others keep their value. */
  update(...args: [...ApiKeyAddress, changes: ApiKeyUpdateBody]): Promise<ApiKey>;
  delete(...key: ApiKeyAddress): Promise<void>;
  /** A new secret for the key (shown once); the old one keeps verifying for `grace_seconds` (0 by default). */
  reroll(...args: ApiKeyAddress | [...ApiKeyAddress, options: ApiKeyRerollBody]): Promise<ApiKeyRerolled>;
  /** `update` with `is_disabled: true`: the key stops verifying at once. */
  disable(...key: ApiKeyAddress): Promise<ApiKey>;
  enable(...key: ApiKeyAddress): Promise<ApiKey>;
}

// ---- SSH keys ---------------------------------------------------------------------------------

export type SshKeyUuid = PathParams<typeof SSH_KEY, 'get'>['uuid'];
export type SshKey = ResponseBody<typeof SSH_KEY, 'get'>;
export type SshKeyCreateBody = RequestBody<typeof SSH_KEYS, 'post'>;
export type SshKeyUpdateBody = RequestBody<typeof SSH_KEY, 'patch'>;
export type RevealedSshKey = ResponseBody<`${typeof SSH_KEY}/reveal`, 'post'>;

export interface SshKeysApi {
  list(): Promise<ResponseBody<typeof SSH_KEYS, 'get'>>;
  get(uuid: SshKeyUuid): Promise<SshKey>;
  /** Stores a private key (PEM or OpenSSH, unencrypted); the answer has its public key and fingerprint, never the private key. */
  create(body: SshKeyCreateBody): Promise<ResponseBody<typeof SSH_KEYS, 'post'>>;
  update(uuid: SshKeyUuid, changes: SshKeyUpdateBody): Promise<SshKey>;
  delete(uuid: SshKeyUuid): Promise<void>;
  /** The private key itself (needs the `read:sensitive` ability; audited). */
  reveal(uuid: SshKeyUuid): Promise<RevealedSshKey>;
}

// ---- tokens, projects, regions, teams ----------------------------------------------------------

export type TokenId = PathParams<'/v1/tokens/{id}', 'delete'>['id'];
export type TokenCreateBody = RequestBody<'/v1/tokens', 'post'>;

export interface TokensApi {
  /** The team's tokens (never their secrets). */
  list(): Promise<ResponseBody<'/v1/tokens', 'get'>>;
  /** A new token; `token` (the secret) is in this answer only. */
  create(body: TokenCreateBody): Promise<ResponseBody<'/v1/tokens', 'post'>>;
  revoke(id: TokenId): Promise<void>;
}

export type ProjectId = PathParams<'/v1/projects/{id}', 'delete'>['id'];

export interface ProjectsApi {
  list(): Promise<ResponseBody<'/v1/projects', 'get'>>;
  /** A project; with no `id`, the next free one. */
  create(body?: RequestBody<'/v1/projects', 'post'>): Promise<ResponseBody<'/v1/projects', 'post'>>;
  delete(id: ProjectId): Promise<void>;
}

export interface RegionsApi {
  list(): Promise<ResponseBody<'/v1/regions', 'get'>>;
  create(body: RequestBody<'/v1/regions', 'post'>): Promise<ResponseBody<'/v1/regions', 'post'>>;
}

export type TeamName = PathParams<'/v1/teams/{name}', 'delete'>['name'];

export interface TeamsApi {
  list(): Promise<ResponseBody<'/v1/teams', 'get'>>;
  /** A team and its first root token (an `admin` token's call). */
  create(body: RequestBody<'/v1/teams', 'post'>): Promise<ResponseBody<'/v1/teams', 'post'>>;
  delete(name: TeamName): Promise<void>;
}

// ---- webhooks ---------------------------------------------------------------------------------

export type WebhookId = PathParams<typeof WEBHOOK, 'get'>['id'];
export type Webhook = ResponseBody<typeof WEBHOOK, 'get'>;
export type DeliveryQuery = QueryParams<typeof DELIVERIES, 'get'>;
export type DeliveryPage = ResponseBody<typeof DELIVERIES, 'get'>;
export type DeliveryId = PathParams<'/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver', 'post'>['delivery_id'];

export interface WebhooksApi {
  list(): Promise<ResponseBody<'/v1/webhooks', 'get'>>;
  get(id: WebhookId): Promise<Webhook>;
  /** A webhook; its signing `secret` is in this answer only. */
  create(body: RequestBody<'/v1/webhooks', 'post'>): Promise<ResponseBody<'/v1/webhooks', 'post'>>;
  update(id: WebhookId, changes: RequestBody<typeof WEBHOOK, 'patch'>): Promise<Webhook>;
  delete(id: WebhookId): Promise<void>;
  /** One page of the webhook's deliveries, newest first. */
  deliveries(id: WebhookId, query?: DeliveryQuery): Promise<DeliveryPage>;
  /** Every delivery, page after page. */
  allDeliveries(id: WebhookId, query?: Omit<DeliveryQuery, 'cursor'>): AsyncIterableIterator<DeliveryPage['deliveries'][number]>;
  /** Sends a delivery again, as a new delivery. */
  redeliver(id: WebhookId, deliveryId: DeliveryId): Promise<ResponseBody<'/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver', 'post'>>;
}

// ---- audit, sessions, setup -----------------------------------------------------------------

export type AuditQuery = QueryParams<'/v1/audit', 'get'>;
export type AuditPage = ResponseBody<'/v1/audit', 'get'>;
export type AuditExportQuery = QueryParams<'/v1/audit/export', 'get'>;

export interface AuditApi {
  /** One page of the team's audit log, newest first. */
  list(query?: AuditQuery): Promise<AuditPage>;
  /** Every entry that matches, page after page. */
  listAll(query?: Omit<AuditQuery, 'cursor'>): AsyncIterableIterator<AuditPage['events'][number]>;
  /**
   * The team's entries created in [from, to), oldest first, as NDJSON (one entry a line, with its
   * chain position and MAC, as KEYHOLD_AUDIT_FILE writes them), streamed: a `root` token's call.
   */
  export(query?: AuditExportQuery): Promise<ReadableStream<Uint8Array>>;
}

export interface SessionsApi {
  /** Signs in with a token: the answer sets the console's session cookie (a browser's business). */
  create(body: RequestBody<'/v1/sessions', 'post'>): Promise<ResponseBody<'/v1/sessions', 'post'>>;
  /** Signs the current session out. */
  end(): Promise<void>;
}

export interface SetupApi {
  /** Whether the instance still waits for its first team. */
  state(): Promise<ResponseBody<'/v1/setup', 'get'>>;
  /** Makes the first team with the setup code the server printed. */
  complete(body: RequestBody<'/v1/setup', 'post'>): Promise<ResponseBody<'/v1/setup', 'post'>>;
}

export type VerifyBody = RequestBody<'/v1/keys/verify', 'post'>;
export type VerifyResult = ResponseBody<'/v1/keys/verify', 'post'>;

export interface Keyhold {
  /** The low-level client underneath (every route, `{ data, error, response }`, middleware with `.use`). */
  readonly client: KeyholdClient;
  readonly apiKeys: ApiKeysApi;
  readonly sshKeys: SshKeysApi;
  readonly tokens: TokensApi;
  readonly projects: ProjectsApi;
  readonly regions: RegionsApi;
  readonly teams: TeamsApi;
  readonly webhooks: WebhooksApi;
  readonly audit: AuditApi;
  readonly sessions: SessionsApi;
  readonly setup: SetupApi;
  /** The caller: its token, team and console session. */
  me(): Promise<ResponseBody<'/v1/me', 'get'>>;
  /** The team's counts and what needs attention (the console's first page). */
  overview(): Promise<ResponseBody<'/v1/overview', 'get'>>;
  /**
   * For gateways (a token with the `verify` ability): is this key valid for this container? A
   * refusal is an answer, not an error: `{ valid: false, code: 'NOT_FOUND' | 'DISABLED' | … }`.
   * Retried like a GET: it changes nothing.
   */
  verify(body: VerifyBody): Promise<VerifyResult>;
}

/** Options for `createKeyhold`: those of `createKeyholdClient`. */
export type KeyholdOptions = KeyholdClientOptions;

function isClient(x: KeyholdOptions | KeyholdClient): x is KeyholdClient {
  return typeof (x as Partial<KeyholdClient>).GET === 'function';
}

function apiKeyRef(args: readonly unknown[]): { ref: ApiKeyRef; rest: unknown[] } {
  if (typeof args[0] === 'object' && args[0] !== null) {
    const { project_id, region_id, name } = args[0] as ApiKeyRef;
    return { ref: { project_id, region_id, name }, rest: args.slice(1) };
  }
  return { ref: { project_id: args[0] as number, region_id: args[1] as number, name: args[2] as string }, rest: args.slice(3) };
}

async function* paginate<Q extends { cursor?: string }, P extends { next_cursor: string | null }, T>(
  load: (query: Q) => Promise<P>,
  query: Q,
  items: (page: P) => T[],
): AsyncGenerator<T, void, undefined> {
  let q = query;
  for (;;) {
    const page = await load(q);
    yield* items(page);
    if (!page.next_cursor || page.next_cursor === q.cursor) return;
    q = { ...q, cursor: page.next_cursor };
  }
}

/**
 * The namespaced client. Takes the options of `createKeyholdClient` (base URL, token, retries, …),
 * or a low-level client already made (to share its middleware).
 */
export function createKeyhold(options: KeyholdOptions | KeyholdClient): Keyhold {
  const client = isClient(options) ? options : createKeyholdClient(options);

  const apiKeys: ApiKeysApi = {
    list: (query) => unwrap(client.GET(API_KEYS, { params: { query } })),
    listAll: (query = {}) =>
      paginate(
        (q: ApiKeyListQuery) => apiKeys.list(q),
        { ...query },
        (p) => p.keys,
      ),
    create: (body) => unwrap(client.POST(API_KEYS, { body })),
    get: (...key) => unwrap(client.GET(API_KEY, { params: { path: apiKeyRef(key).ref } })),
    update: (...args) => {
      const { ref, rest } = apiKeyRef(args);
      return unwrap(client.PATCH(API_KEY, { params: { path: ref }, body: rest[0] as ApiKeyUpdateBody }));
    },
    delete: (...key) => unwrap(client.DELETE(API_KEY, { params: { path: apiKeyRef(key).ref } })),
    reroll: (...args) => {
      const { ref, rest } = apiKeyRef(args);
      return unwrap(client.POST(`${API_KEY}/reroll`, { params: { path: ref }, body: (rest[0] as ApiKeyRerollBody | undefined) ?? {} }));
    },
    disable: (...key) => apiKeys.update(apiKeyRef(key).ref, { is_disabled: true }),
    enable: (...key) => apiKeys.update(apiKeyRef(key).ref, { is_disabled: false }),
  };

  const sshKeys: SshKeysApi = {
    list: () => unwrap(client.GET(SSH_KEYS)),
    get: (uuid) => unwrap(client.GET(SSH_KEY, { params: { path: { uuid } } })),
    create: (body) => unwrap(client.POST(SSH_KEYS, { body })),
    update: (uuid, body) => unwrap(client.PATCH(SSH_KEY, { params: { path: { uuid } }, body })),
    delete: (uuid) => unwrap(client.DELETE(SSH_KEY, { params: { path: { uuid } } })),
    reveal: (uuid) => unwrap(client.POST(`${SSH_KEY}/reveal`, { params: { path: { uuid } } })),
  };

  const webhooks: WebhooksApi = {
    list: () => unwrap(client.GET('/v1/webhooks')),
    get: (id) => unwrap(client.GET(WEBHOOK, { params: { path: { id } } })),
    create: (body) => unwrap(client.POST('/v1/webhooks', { body })),
    update: (id, body) => unwrap(client.PATCH(WEBHOOK, { params: { path: { id } }, body })),
    delete: (id) => unwrap(client.DELETE(WEBHOOK, { params: { path: { id } } })),
    deliveries: (id, query) => unwrap(client.GET(DELIVERIES, { params: { path: { id }, query } })),
    allDeliveries: (id, query = {}) =>
      paginate(
        (q: DeliveryQuery) => webhooks.deliveries(id, q),
        { ...query },
        (p) => p.deliveries,
      ),
    redeliver: (id, delivery_id) => unwrap(client.POST('/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver', { params: { path: { id, delivery_id } } })),
  };

  const audit: AuditApi = {
    list: (query) => unwrap(client.GET('/v1/audit', { params: { query } })),
    listAll: (query = {}) =>
      paginate(
        (q: AuditQuery) => audit.list(q),
        { ...query },
        (p) => p.events,
      ),
    export: async (query) => {
      const answer = client.GET('/v1/audit/export', { params: { query }, parseAs: 'stream' });
      await unwrap(answer);
      // The stream is the answer's own body (openapi-fetch leaves `data` unset for some streamed answers).
      const { response } = await answer;
      return response.body ?? new Response('').body!;
    },
  };

  return {
    client,
    apiKeys,
    sshKeys,
    tokens: {
      list: () => unwrap(client.GET('/v1/tokens')),
      create: (body) => unwrap(client.POST('/v1/tokens', { body })),
      revoke: (id) => unwrap(client.DELETE('/v1/tokens/{id}', { params: { path: { id } } })),
    },
    projects: {
      list: () => unwrap(client.GET('/v1/projects')),
      create: (body = {}) => unwrap(client.POST('/v1/projects', { body })),
      delete: (id) => unwrap(client.DELETE('/v1/projects/{id}', { params: { path: { id } } })),
    },
    regions: {
      list: () => unwrap(client.GET('/v1/regions')),
      create: (body) => unwrap(client.POST('/v1/regions', { body })),
    },
    teams: {
      list: () => unwrap(client.GET('/v1/teams')),
      create: (body) => unwrap(client.POST('/v1/teams', { body })),
      delete: (name) => unwrap(client.DELETE('/v1/teams/{name}', { params: { path: { name } } })),
    },
    webhooks,
    audit,
    sessions: {
      create: (body) => unwrap(client.POST('/v1/sessions', { body })),
      end: () => unwrap(client.DELETE('/v1/sessions/current')),
    },
    setup: {
      state: () => unwrap(client.GET('/v1/setup')),
      complete: (body) => unwrap(client.POST('/v1/setup', { body })),
    },
    me: () => unwrap(client.GET('/v1/me')),
    overview: () => unwrap(client.GET('/v1/overview')),
    verify: (body) => unwrap(client.POST('/v1/keys/verify', { body })),
  };
}
