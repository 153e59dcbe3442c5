/** The closed set of failure kinds a service may raise; each HTTP surface maps them to its own dialect. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** A failure the caller can act on; each surface's dialect words it. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** True when `err` is an AppError, optionally of the given code. */
export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/**
 * The database cannot serve right now (unreachable, read-only, out of space): `unavailable`, 503 on
 * every surface. `detail` says why for the operator's log (it names the file or server); clients get
 * the generic message.
 */
export class DatabaseUnavailable extends AppError {
  constructor(
    readonly detail: string,
    cause: unknown,
  ) {
    super('unavailable', 'the database is unavailable; try again shortly');
    this.cause = cause;
  }
}
