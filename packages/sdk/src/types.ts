/**
 * Small type helpers that read request and answer shapes out of the generated `paths` (schema.ts),
 * so that no shape is written twice: `RequestBody<'/v1/api-keys', 'post'>` is what
 * `POST /v1/api-keys` takes, `ResponseBody<'/v1/api-keys', 'post'>` what it answers.
 */
import type { components, paths } from './schema.js';

/** keyhold's named schemas: `Schemas['ApiKey']`, `Schemas['Token']`, … */
export type Schemas = components['schemas'];

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** The operation at a path and method (never when the path has no such method). */
export type Operation<P extends keyof paths, M extends HttpMethod> = Exclude<paths[P][M], undefined>;

/** The JSON body an operation takes (never when it takes none). */
export type RequestBody<P extends keyof paths, M extends HttpMethod> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The query parameters an operation takes. */
export type QueryParams<P extends keyof paths, M extends HttpMethod> = Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The path parameters an operation takes. */
export type PathParams<P extends keyof paths, M extends HttpMethod> = Operation<P, M> extends { parameters: { path: infer T } } ? T : never;

type Success = 200 | 201 | 202 | 204;

/** The answers an operation has, by status. */
export type Responses<P extends keyof paths, M extends HttpMethod> = Operation<P, M> extends { responses: infer R } ? R : never;

type SuccessBody<R> = {
  [S in keyof R & Success]: R[S] extends { content: { 'application/json': infer B } } ? B : void;
}[keyof R & Success];

/** The JSON an operation answers on success; `void` for a 204. */
export type ResponseBody<P extends keyof paths, M extends HttpMethod> = SuccessBody<Responses<P, M>>;

/** The error codes of keyhold's error body (`{"error":{"code",…}}`), as the document states them. */
export type NativeErrorCode = Schemas['Error']['error']['code'];
