import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

/** Paths pino blanks in every log line, whatever logs them. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.token',
  '*.secret',
  '*.private_key',
  '*.privateKey',
  '*.key',
  '*.masterKey',
  // Node's clientError carries the raw bytes of a malformed request, headers and all; Fastify logs it at trace.
  'err.rawPacket',
];

/**
 * Path segments that look like one of keyhold's secrets: an API key (`khk_…`), a token
 * (`<id>|<secret>`, `|` as sent or percent-encoded) or its bare secret, a webhook signing secret, or
 * any other long run of letters and digits (no id or name of keyhold's is 40 characters of those).
 */
const SECRET_SEGMENT = /^(?:khk_|whsec_|\d+(?:\||%7c))|^[A-Za-z0-9+/=_-]{40,}$/i;

/** A request URL for the log: its path only (the query string may carry a gateway's key), secret-looking segments blanked. */
export function loggedPath(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return path
    .split('/')
    .map((segment) => (SECRET_SEGMENT.test(segment) ? '[redacted]' : segment))
    .join('/');
}

/** The structured JSON logger; secrets are redacted, in fields and in URL paths, and request URLs keep their path only. */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; ip?: string; id?: string }) => ({
          method: req.method,
          url: loggedPath(req.url),
          ip: req.ip,
        }),
      },
    },
    destination,
  );
}
