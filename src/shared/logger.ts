import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../settings/types.js';

/** Field names whose values are secrets wherever they appear (bodies, params, payloads). */
export const SECRET_FIELDS = [
  'password',
  'login_password',
  'loginPassword',
  'new_password',
  'answer',
  'secret_answer',
  'user_number',
  'userNumber',
  'digits',
  'code',
  'code_verifier',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'client_assertion',
  'assertion',
  'request',
  'cookie',
  'authorization',
  'dpop',
  'set-cookie',
  'adminToken',
  'admin_token',
] as const;

const HEADER_PATHS = ['authorization', 'cookie', 'set-cookie', 'dpop', 'proxy-authorization', 'x-renkei-admin-token']
  .flatMap((name) => [`headers["${name}"]`, `req.headers["${name}"]`, `res.headers["${name}"]`, `request.headers["${name}"]`]);

/** pino paths for every secret field at the top level and two levels down. */
export const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((field) => [`["${field}"]`, `*["${field}"]`, `*.*["${field}"]`]),
  ...HEADER_PATHS,
];

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * pino's isoTime (`,"time":"2026-01-01T00:00:00.000Z"`) without a Date and toISOString per line:
 * the text up to the second is kept while the second lasts.
 */
export function isoTimestamp(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`;
  }
  const millis = now - second * 1000;
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z"`;
}

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly destination?: DestinationStream;
}

export function createLogger({ level, destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service: 'renkei' },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    timestamp: () => isoTimestamp(),
  };
  // stdout written synchronously: a line is out when the call returns. pino's default (a write on
  // libuv's thread pool per line) cost ~15 µs of CPU per line on a busy core, ten times a write(2).
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}

export type { Logger };
