import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import type { DataKey } from './data-cipher.js';

export const JWKS_FILE = 'jwks.json';
export const COOKIES_FILE = 'cookies.json';
export const DATA_KEYS_FILE = 'data-keys.json';
export const DPOP_NONCE_FILE = 'dpop-nonce.json';
export const KEY_FILES = [JWKS_FILE, COOKIES_FILE, DATA_KEYS_FILE, DPOP_NONCE_FILE] as const;
/** oidc-provider derives DPoP nonces (RFC 9449 §8) from a 32-byte secret */
export const DPOP_NONCE_SECRET_BYTES = 32;

/** Algorithms renkei signs with; each needs a key in keys/jwks.json. */
export const REQUIRED_SIGNING_ALGS = ['ES256', 'PS256', 'RS256'] as const;
export const MIN_COOKIE_SECRET_LENGTH = 32;

export interface PrivateJwk extends JWK {
  kid: string;
  alg: string;
  d: string;
}

export interface KeyMaterial {
  readonly jwks: { readonly keys: readonly PrivateJwk[] };
  /** the first signs cookies, the others still verify (rotation) */
  readonly cookieSecrets: readonly string[];
  /** AES-256-GCM keys for the 利用者番号; the first encrypts */
  readonly dataKeys: readonly DataKey[];
  /** the secret every instance derives DPoP nonces from, so that each accepts the others' nonces */
  readonly dpopNonceSecret: Buffer;
}

export type KeyFileResult = { readonly material: KeyMaterial; readonly problems: readonly [] } | { readonly material?: undefined; readonly problems: readonly string[] };

/** A key file's problem ends so when the file is not there (and only then may it be created). */
export const MISSING = ' is missing';

function readJson(path: string): { value?: unknown; problem?: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: `${path}${MISSING}` };
    if (code === 'EACCES' || code === 'EPERM') {
      return { problem: `${path} cannot be read by the user the server runs as (uid ${process.getuid?.() ?? '?'}): give that user read access (the Docker image runs as node, uid 1000)` };
    }
    return { problem: `${path} cannot be read: ${(error as Error).message}` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { problem: `${path} is not valid JSON` };
  }
}

function checkJwks(path: string, value: unknown, problems: string[]): PrivateJwk[] {
  const keys = (value as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    problems.push(`${path}: expected {"keys": [private JWKs]}`);
    return [];
  }
  const seen = new Set<string>();
  keys.forEach((key: Partial<PrivateJwk>, i) => {
    if (!key || typeof key !== 'object' || typeof key.kid !== 'string' || !key.kid) problems.push(`${path}: keys[${i}] has no kid`);
    else if (seen.has(key.kid)) problems.push(`${path}: kid "${key.kid}" is used twice`);
    else seen.add(key.kid);
    if (typeof key?.d !== 'string') problems.push(`${path}: keys[${i}] has no private part (d)`);
    if (typeof key?.alg !== 'string') problems.push(`${path}: keys[${i}] has no alg`);
  });
  for (const alg of REQUIRED_SIGNING_ALGS) {
    if (!keys.some((key: Partial<PrivateJwk>) => key?.alg === alg)) problems.push(`${path}: no ${alg} key`);
  }
  return keys as PrivateJwk[];
}

function checkCookieSecrets(path: string, value: unknown, problems: string[]): string[] {
  const keys = (value as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string')) {
    problems.push(`${path}: expected {"keys": ["secret", ...]}`);
    return [];
  }
  if (keys.some((k: string) => k.length < MIN_COOKIE_SECRET_LENGTH)) {
    problems.push(`${path}: every cookie secret must be at least ${MIN_COOKIE_SECRET_LENGTH} characters`);
  }
  return keys as string[];
}

function checkDataKeys(path: string, value: unknown, problems: string[]): DataKey[] {
  const keys = (value as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    problems.push(`${path}: expected {"keys": [{"kid": "...", "k": "<32 bytes, base64url>"}]}`);
    return [];
  }
  return keys.flatMap((entry: { kid?: unknown; k?: unknown }, i) => {
    const key = typeof entry?.k === 'string' ? Buffer.from(entry.k, 'base64url') : Buffer.alloc(0);
    if (typeof entry?.kid !== 'string' || key.length !== 32) {
      problems.push(`${path}: keys[${i}] needs a kid and a 32-byte k`);
      return [];
    }
    return [{ kid: entry.kid, key }];
  });
}

function checkDpopNonceSecret(path: string, value: unknown, problems: string[]): Buffer {
  const secret = (value as { secret?: unknown })?.secret;
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'base64url') : Buffer.alloc(0);
  if (bytes.length !== DPOP_NONCE_SECRET_BYTES) problems.push(`${path}: expected {"secret": "<${DPOP_NONCE_SECRET_BYTES} bytes, base64url>"}`);
  return bytes;
}

/** Reads keys/jwks.json, cookies.json, data-keys.json and dpop-nonce.json, reporting every problem at once. */
export function readKeyFiles(dir: string): KeyFileResult {
  const problems: string[] = [];
  const jwksPath = join(dir, JWKS_FILE);
  const cookiesPath = join(dir, COOKIES_FILE);

  const jwksFile = readJson(jwksPath);
  const keys = jwksFile.problem ? (problems.push(`signing keys: ${jwksFile.problem}`), []) : checkJwks(jwksPath, jwksFile.value, problems);
  const cookiesFile = readJson(cookiesPath);
  const cookieSecrets = cookiesFile.problem
    ? (problems.push(`cookie secrets: ${cookiesFile.problem}`), [])
    : checkCookieSecrets(cookiesPath, cookiesFile.value, problems);

  const dataKeysPath = join(dir, DATA_KEYS_FILE);
  const dataKeysFile = readJson(dataKeysPath);
  const dataKeys = dataKeysFile.problem
    ? (problems.push(`data keys: ${dataKeysFile.problem}`), [])
    : checkDataKeys(dataKeysPath, dataKeysFile.value, problems);

  const dpopNoncePath = join(dir, DPOP_NONCE_FILE);
  const dpopNonceFile = readJson(dpopNoncePath);
  const dpopNonceSecret = dpopNonceFile.problem
    ? (problems.push(`DPoP nonce secret: ${dpopNonceFile.problem}`), Buffer.alloc(0))
    : checkDpopNonceSecret(dpopNoncePath, dpopNonceFile.value, problems);

  if (problems.length) return { problems };
  return { material: { jwks: { keys }, cookieSecrets, dataKeys, dpopNonceSecret }, problems: [] };
}
