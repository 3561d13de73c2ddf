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

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly destination?: DestinationStream;
}

export function createLogger({ level, destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service: 'renkei' },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
