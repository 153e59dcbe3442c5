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

/** The structured JSON logger; secrets are redacted and request URLs keep their path only. */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; ip?: string; id?: string }) => ({
          method: req.method,
          // The query string may carry a gateway's key; keep the path only.
          url: req.url.split('?')[0],
          ip: req.ip,
        }),
      },
    },
    destination,
  );
}
