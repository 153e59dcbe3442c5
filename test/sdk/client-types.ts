// Type tests of the namespaced client, checked by `npm run typecheck` (it covers test/) and by
// types.test.ts, which compiles this file alone and then a copy without its `@ts-expect-error`
// lines, which must fail once per line removed. Nothing here runs: the functions are never called.
import {
  createKeyhold,
  createKeyholdClient,
  KeyholdError,
  KeyholdNetworkError,
  unwrap,
  type ApiKey,
  type KeyholdErrorCode,
  type ResponseBody,
  type Schemas,
} from '../../packages/sdk/src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_: T): void {}

export async function apiKeys(): Promise<void> {
  const keyhold = createKeyhold({ baseUrl: 'http://127.0.0.1:8080', token: 'id|secret' });
  const created = await keyhold.apiKeys.create({ project_id: 1, region_id: 1, name: 'ci', containers: [{ name: 'web', namespace: 'default' }] });
  const _secret: string = created.secret;
  // @ts-expect-error a misspelt field of the create body
  await keyhold.apiKeys.create({ project: 1, region_id: 1, name: 'ci', containers: [] });
  // @ts-expect-error containers is required
  await keyhold.apiKeys.create({ project_id: 1, region_id: 1, name: 'ci' });
  // @ts-expect-error a container needs its namespace
  await keyhold.apiKeys.create({ project_id: 1, region_id: 1, name: 'ci', containers: [{ name: 'web' }] });
  // @ts-expect-error project_id is a number
  await keyhold.apiKeys.get('1', 1, 'ci');
  // @ts-expect-error an unknown list filter
  await keyhold.apiKeys.list({ state: 'Active' });
  // @ts-expect-error status is one of Active, Disabled, Expired
  await keyhold.apiKeys.list({ status: 'active' });
  // @ts-expect-error the answer has no such field
  console.log(created.secrett);
  // @ts-expect-error an unknown field of an update
  await keyhold.apiKeys.update(1, 1, 'ci', { disabled: true });
  // @ts-expect-error the iterator takes no cursor: it pages by itself
  keyhold.apiKeys.listAll({ cursor: 'x' });
  for await (const k of keyhold.apiKeys.listAll({ status: 'Active', limit: 50 })) {
    assertType<Equal<typeof k, Schemas['ApiKey']>>(true);
    await keyhold.apiKeys.disable(k);
    await keyhold.apiKeys.reroll(k, { grace_seconds: 60 });
    await keyhold.apiKeys.reroll(k.project_id, k.region_id, k.name);
  }
  assertType<Equal<typeof _secret, string>>(true);
  assertType<Equal<ApiKey, Schemas['ApiKey']>>(true);
  assertType<Equal<Awaited<ReturnType<typeof keyhold.apiKeys.delete>>, void>>(true);
}

export async function others(): Promise<void> {
  const keyhold = createKeyhold({ baseUrl: '', retries: { attempts: 5, baseMs: 100, maxMs: 2000 } });
  const _verdict = await keyhold.verify({ key: 'khk_…', container: { name: 'web' } });
  assertType<Equal<typeof _verdict.code, 'VALID' | 'MALFORMED' | 'NOT_FOUND' | 'DISABLED' | 'EXPIRED' | 'FORBIDDEN_CONTAINER' | 'RATE_LIMITED'>>(true);
  // @ts-expect-error verify takes the container as an object
  await keyhold.verify({ key: 'khk_…', container: 'web' });
  // @ts-expect-error no such ability
  await keyhold.tokens.create({ name: 'gateway', abilities: ['verfiy'] });
  // @ts-expect-error a token's id is a number
  await keyhold.tokens.revoke('1');
  // @ts-expect-error an SSH key takes private_key, not key
  await keyhold.sshKeys.create({ name: 'deploy', key: '-----BEGIN…' });
  const _revealed = await keyhold.sshKeys.reveal('uuid');
  assertType<Equal<typeof _revealed, Schemas['RevealedSshKey']>>(true);
  // @ts-expect-error an unknown audit filter
  await keyhold.audit.list({ who: 'me' });
  // @ts-expect-error webhooks take events, not event
  await keyhold.webhooks.create({ url: 'https://example.test/hook', event: ['api_key.created'] });
  const _me = await keyhold.me();
  assertType<Equal<typeof _me, ResponseBody<'/v1/me', 'get'>>>(true);
  // @ts-expect-error an unknown retry option
  createKeyhold({ baseUrl: '', retries: { tries: 3 } });
  try {
    await keyhold.overview();
  } catch (e) {
    if (e instanceof KeyholdError) {
      const status: number = e.status;
      const code: KeyholdErrorCode = e.code;
      const retryAfter: number | undefined = e.retryAfter;
      console.log(status, code, retryAfter, e.requestId);
    }
  }
}

// The README's examples of the low-level client under the namespaced one.
export async function readme(): Promise<void> {
  const api = createKeyholdClient({ baseUrl: 'http://127.0.0.1:8080', token: () => 'id|secret' });
  const _page = await unwrap(api.GET('/v1/api-keys', { params: { query: { status: 'Active', q: 'deploy' } } }));
  assertType<Equal<typeof _page, ResponseBody<'/v1/api-keys', 'get'>>>(true);
  api.use({ onResponse: ({ response }) => void (response.status === 401 && console.warn('signed out')) });
  const keyhold = createKeyhold(api);
  try {
    await keyhold.apiKeys.create({ project_id: 1, region_id: 1, name: 'ci-deploy', containers: [] });
  } catch (e) {
    if (e instanceof KeyholdNetworkError) console.error(`keyhold is unreachable (${e.attempts} tries)`);
    else if (e instanceof KeyholdError && e.code === 'conflict') console.error('that name is taken');
    else throw e;
  }
  // @ts-expect-error the low-level client checks paths too
  await api.GET('/v1/api-key');
}
