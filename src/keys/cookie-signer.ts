import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Signs and checks cookie signatures exactly as `keygrip` does (HMAC-SHA1, base64url without
 * padding; the first secret signs, every secret verifies), for the `cookies` module under koa and
 * oidc-provider, so that cookies signed either way stay valid. keygrip makes a key from the secret
 * string on every HMAC and compares through tsscmp's double HMAC with fresh random bytes (about
 * 50 µs a signed cookie read, several a screen); here the keys are made once and the comparison
 * is crypto.timingSafeEqual.
 */
export class CookieSigner {
  private readonly keys: readonly KeyObject[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new TypeError('at least one cookie secret is required');
    this.keys = secrets.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
  }

  sign(data: string): string {
    return signature(this.keys[0]!, data);
  }

  verify(data: string, digest: string): boolean {
    return this.index(data, digest) > -1;
  }

  /** The index of the secret that made `digest`, or -1. */
  index(data: string, digest: string): number {
    const presented = Buffer.from(String(digest), 'utf8');
    for (let i = 0; i < this.keys.length; i++) {
      const expected = Buffer.from(signature(this.keys[i]!, data), 'utf8');
      if (expected.length === presented.length && timingSafeEqual(expected, presented)) return i;
    }
    return -1;
  }
}

function signature(key: KeyObject, data: string): string {
  return createHmac('sha1', key).update(data).digest('base64url');
}
