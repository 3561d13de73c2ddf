import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { COOKIES_FILE, JWKS_FILE, type PrivateJwk } from './key-files.js';

const GENERATED_ALGS = ['ES256', 'PS256', 'RS256', 'EdDSA'] as const;

export async function generateSigningKey(alg: string): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg.startsWith('PS') || alg.startsWith('RS') ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg, use: 'sig' } as PrivateJwk;
}

export function generateCookieSecret(): string {
  return randomBytes(32).toString('base64url');
}

export interface GeneratedFiles {
  readonly jwksPath: string;
  readonly cookiesPath: string;
  readonly kids: readonly { kid: string; alg: string }[];
}

/** Writes fresh keys/jwks.json and keys/cookies.json (mode 0600). Refuses to overwrite existing files. */
export async function generateKeyFiles(dir: string, { overwrite = false } = {}): Promise<GeneratedFiles> {
  const jwksPath = join(dir, JWKS_FILE);
  const cookiesPath = join(dir, COOKIES_FILE);
  if (!overwrite) {
    for (const path of [jwksPath, cookiesPath]) {
      if (existsSync(path)) throw new Error(`${path} already exists; refusing to overwrite keys`);
    }
  }
  const keys = await Promise.all(GENERATED_ALGS.map(generateSigningKey));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(jwksPath, JSON.stringify({ keys }, null, 2) + '\n', { mode: 0o600 });
  writeFileSync(cookiesPath, JSON.stringify({ keys: [generateCookieSecret()] }, null, 2) + '\n', { mode: 0o600 });
  return { jwksPath, cookiesPath, kids: keys.map(({ kid, alg }) => ({ kid, alg })) };
}
