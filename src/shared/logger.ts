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

/** Header names whose values are secrets, beyond SECRET_FIELDS. */
const SECRET_HEADERS = ['proxy-authorization', 'x-renkei-admin-token'] as const;

const SECRET_KEYS: ReadonlySet<string> = new Set<string>([...SECRET_FIELDS, ...SECRET_HEADERS]);
export const CENSOR = '[REDACTED]';
/** deeper than anything we log (pino's paths went two levels down); what lies deeper is censored whole */
const MAX_DEPTH = 8;

/**
 * `value` as it will be serialized, with every secret field censored: a copy of each object and
 * array (`copies`: each copied once, so that shared and circular references keep their shape and
 * none leads back to an uncensored original). What serializes through toJSON (a Date) is taken as
 * it serializes.
 */
function censored(value: unknown, depth: number, copies: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (depth > MAX_DEPTH) return CENSOR;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const serialized = censored((value as { toJSON(): unknown }).toJSON(), depth, copies);
    copies.set(value, serialized);
    return serialized;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value) copy.push(censored(item, depth + 1, copies));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const item = record[key];
    copy[key] = item !== undefined && SECRET_KEYS.has(key) ? CENSOR : censored(item, depth + 1, copies);
  }
  return copy;
}

const errorSerializer = pino.stdSerializers.err;

/**
 * Every log line's fields with secret fields censored, at any depth (the error as pino serializes
 * it included). One walk over the fields, instead of pino's redaction paths: those ran every
 * field through ~80 wildcard paths, ~100 µs of CPU for one token-endpoint line.
 */
export function censorSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  const { err } = fields;
  // pino's err serializer takes anything with a message as an error
  const withError = typeof (err as { message?: unknown } | null | undefined)?.message === 'string' ? { ...fields, err: errorSerializer(err as Error) } : fields;
  return censored(withError, 0, new Map()) as Record<string, unknown>;
}

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
    formatters: { log: censorSecrets },
    // serialized by censorSecrets, so that its fields are censored too
    serializers: { err: (err: unknown) => err },
    timestamp: () => isoTimestamp(),
  };
  // stdout written synchronously: a line is out when the call returns. pino's default (a write on
  // libuv's thread pool per line) cost ~15 µs of CPU per line on a busy core, ten times a write(2).
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}

export type { Logger };
