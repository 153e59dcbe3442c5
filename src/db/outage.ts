/**
 * Which database errors mean "the database cannot serve right now" (an outage: unreachable,
 * read-only, out of space, shutting down) rather than a bug in a query. Those become 503 answers in
 * each surface's format; everything else stays a 500.
 */

/** PostgreSQL SQLSTATEs of an outage: connection exceptions (class 08), shutdowns, no room, read-only. */
const PG_OUTAGE: Record<string, string> = {
  '57P01': 'the PostgreSQL server is shutting down',
  '57P02': 'the PostgreSQL server crashed',
  '57P03': 'the PostgreSQL server is not accepting connections yet',
  '53300': 'the PostgreSQL server has too many connections',
  '53100': 'the PostgreSQL server is out of disk space',
  '25006': 'the PostgreSQL server is read-only (a standby?)',
  '55P03': 'a PostgreSQL lock stayed held by another session longer than KEYHOLD_PG_LOCK_TIMEOUT_MS',
  '57014': 'a PostgreSQL statement ran longer than KEYHOLD_PG_STATEMENT_TIMEOUT_MS, or was cancelled',
};

/** Socket errors on the way to PostgreSQL. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Errors node-postgres raises itself (not SQLSTATEs) when a connection fails or is lost. */
const PG_CLIENT = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated due to connection timeout/i;

function codeOf(err: unknown): string {
  return err !== null && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : '';
}

/**
 * Why `err` is a database outage, in words an operator can act on (naming `where`, the file or
 * server), or undefined when it is not one.
 */
export function describeOutage(err: unknown, where: string): string | undefined {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : '';
  if (code.startsWith('SQLITE_READONLY')) return `the SQLite database at ${where} cannot be written (read-only file, directory or mount, or owned by another user): ${message}`;
  if (code === 'SQLITE_FULL') return `the disk holding the SQLite database at ${where} is full`;
  if (code.startsWith('SQLITE_IOERR')) return `I/O error on the SQLite database at ${where}: ${message}`;
  if (code.startsWith('SQLITE_CANTOPEN')) return `unable to open the SQLite database at ${where}`;
  if (code.startsWith('SQLITE_BUSY')) return `the SQLite database at ${where} stayed locked by another process`;
  if (err instanceof TypeError && /database connection is not open/.test(message)) return `the SQLite database at ${where} is closed`;
  if (PG_OUTAGE[code]) return `${PG_OUTAGE[code]} (${where})`;
  if (code.startsWith('08')) return `lost the connection to PostgreSQL at ${where}: ${message}`;
  if (NETWORK.has(code)) return `cannot reach PostgreSQL at ${where}: ${code}`;
  if (PG_CLIENT.test(message)) return `lost the connection to PostgreSQL at ${where}: ${message}`;
  return undefined;
}
