/**
 * keyhold's TypeScript client. `createKeyhold` gives namespaced methods that return data or throw
 * a `KeyholdError` (`keyhold.apiKeys.create(…)`); `createKeyholdClient` is the low-level
 * openapi-fetch client over every route (`{ data, error, response }`, with `unwrap`). Both share one
 * transport: the X-Keyhold-SDK header, the token, retries of what is safe to resend. The types are
 * generated from keyhold's OpenAPI document (`npm run sdk`; CI fails when they are stale); see README.md.
 */
export type { components, operations, paths } from './schema.js';
export type { HttpMethod, NativeErrorCode, Operation, PathParams, QueryParams, RequestBody, ResponseBody, Responses, Schemas } from './types.js';
export { createKeyholdClient, type KeyholdClient, type KeyholdClientOptions } from './client.js';
export { KeyholdError, KeyholdNetworkError, unwrap, type KeyholdErrorCode, type KeyholdErrorDetails } from './errors.js';
export { backoffMs, DEFAULT_RETRIES, isRetryable, type FetchLike, type RetryInfo, type RetryOptions, type TokenSource } from './transport.js';
export * from './keyhold.js';
export { SDK_VERSION } from './version.js';
