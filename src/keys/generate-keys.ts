import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { COOKIES_FILE, DATA_KEYS_FILE, DPOP_NONCE_FILE, DPOP_NONCE_SECRET_BYTES, JWKS_FILE, type PrivateJwk } from './key-files.js';

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
  readonly dataKeysPath: string;
  readonly dpopNoncePath: string;
  /** the files this call wrote (with onlyMissing, those that were missing) */
  readonly written: readonly string[];
  readonly kids: readonly { kid: string; alg: string }[];
}

export function generateDataKey(): { kid: string; k: string } {
  return { kid: `dk-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`, k: randomBytes(32).toString('base64url') };
}

export interface GenerateOptions {
  /** development: write only the files that are missing instead of refusing */
  readonly onlyMissing?: boolean;
}

export function generateDpopNonceSecret(): { secret: string } {
  return { secret: randomBytes(DPOP_NONCE_SECRET_BYTES).toString('base64url') };
}

/** Writes fresh jwks.json, cookies.json, data-keys.json and dpop-nonce.json (mode 0600). Refuses to overwrite existing files. */
export async function generateKeyFiles(dir: string, { onlyMissing = false }: GenerateOptions = {}): Promise<GeneratedFiles> {
  const jwksPath = join(dir, JWKS_FILE);
  const cookiesPath = join(dir, COOKIES_FILE);
  const dataKeysPath = join(dir, DATA_KEYS_FILE);
  const dpopNoncePath = join(dir, DPOP_NONCE_FILE);
  const paths = [jwksPath, cookiesPath, dataKeysPath, dpopNoncePath];
  if (!onlyMissing) {
    for (const path of paths) {
      if (existsSync(path)) throw new Error(`${path} already exists; refusing to overwrite keys`);
    }
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  const write = (path: string, contents: () => unknown) => {
    if (existsSync(path)) return;
    writeFileSync(path, JSON.stringify(contents(), null, 2) + '\n', { mode: 0o600 });
    written.push(path);
  };
  const keys = existsSync(jwksPath) ? [] : await Promise.all(GENERATED_ALGS.map(generateSigningKey));
  write(jwksPath, () => ({ keys }));
  write(cookiesPath, () => ({ keys: [generateCookieSecret()] }));
  write(dataKeysPath, () => ({ keys: [generateDataKey()] }));
  write(dpopNoncePath, generateDpopNonceSecret);
  return { jwksPath, cookiesPath, dataKeysPath, dpopNoncePath, written, kids: keys.map(({ kid, alg }) => ({ kid, alg })) };
}
