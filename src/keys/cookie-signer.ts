import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Signs and checks cookie signatures exactly as `keygrip` does (HMAC-SHA1, base64url without
 * padding; the first secret signs, every secret verifies), for the `cookies` module under koa and
 * oidc-provider, so that cookies signed either way stay valid. keygrip makes a key from the secret
 * string on every HMAC and compares through tsscmp's double HMAC with fresh random bytes (about
 * 50 µs a signed cookie read, several a screen); here the keys are made once and the comparison
 * is crypto.timingSafeEqual.
 *
 * A browser sends the same signed cookies with every screen of a journey, and a screen may set
 * the same value twice (one per path): signatures made and signatures found good are remembered
 * (the same data always gets the same signature from the same keys), so that a cookie set by one
 * response and sent back with the next request costs one HMAC. Only good signatures are
 * remembered, and only the last MAX_REMEMBERED or so of each.
 */
export class CookieSigner {
  private readonly keys: readonly KeyObject[];
  /** data → its signature with the first key */
  private readonly signed = new Map<string, string>();
  /** data → a signature found good for it, and the index of the key that made it */
  private readonly verified = new Map<string, { readonly digest: Buffer; readonly index: number }>();

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new TypeError('at least one cookie secret is required');
    this.keys = secrets.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
  }

  sign(data: string): string {
    let digest = this.signed.get(data);
    if (digest === undefined) {
      digest = signature(this.keys[0]!, data);
      remember(this.signed, data, digest);
      // the browser sends it back with its next request (often the redirect that follows)
      remember(this.verified, data, { digest: Buffer.from(digest, 'utf8'), index: 0 });
    }
    return digest;
  }

  verify(data: string, digest: string): boolean {
    return this.index(data, digest) > -1;
  }

  /** The index of the secret that made `digest`, or -1. */
  index(data: string, digest: string): number {
    const presented = Buffer.from(String(digest), 'utf8');
    // compared in constant time like a computed one: the data may be known to someone who lacks its signature
    const known = this.verified.get(data);
    if (known !== undefined && known.digest.length === presented.length && timingSafeEqual(known.digest, presented)) return known.index;
    for (let i = 0; i < this.keys.length; i++) {
      const expected = Buffer.from(signature(this.keys[i]!, data), 'utf8');
      if (expected.length === presented.length && timingSafeEqual(expected, presented)) {
        remember(this.verified, data, { digest: expected, index: i });
        return i;
      }
    }
    return -1;
  }
}

/** Enough for the cookies of every browser in flight on one instance for a while; a full map starts again. */
const MAX_REMEMBERED = 2000;

function remember<V>(map: Map<string, V>, data: string, value: V): void {
  if (map.size >= MAX_REMEMBERED) map.clear();
  map.set(data, value);
}

function signature(key: KeyObject, data: string): string {
  return createHmac('sha1', key).update(data).digest('base64url');
}
