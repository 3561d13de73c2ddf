import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Settings } from '../settings/types.js';

export interface ResolvedAdminToken {
  readonly token: string;
  /** where it came from, to tell the developer */
  readonly source: 'env' | 'file' | 'generated';
}

/**
 * RENKEI_ADMIN_TOKEN when set; in development otherwise the token kept in .renkei/admin-token
 * (created, mode 0600, on first start) so that the CLI finds it.
 */
export function resolveAdminToken(settings: Settings): ResolvedAdminToken | undefined {
  if (settings.adminToken) return { token: settings.adminToken, source: 'env' };
  if (settings.mode === 'production') return undefined;
  const file = settings.adminTokenFile;
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) return { token, source: 'file' };
  }
  const token = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, source: 'generated' };
}

/** Constant-time comparison of a presented bearer token with the configured one. */
export function adminTokenMatches(expected: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
