import { pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Hashes brought in from another system (`renkei user import`) in passlib's formats, checked with
 * node:crypto until the customer's next successful login replaces them with our Argon2id:
 *
 * - `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>`: salt and 32-byte hash in base64 without
 *   padding; the salt's bytes are the scrypt salt.
 * - `$pbkdf2-sha256$<rounds>$<salt>$<hash>`: salt and 32-byte hash in passlib's adapted base64
 *   (`.` for `+`, no padding); the salt's bytes are the PBKDF2 salt.
 *
 * Parameters are bounded so that one imported hash cannot make a login cost seconds or gigabytes.
 */
export type LegacyHash =
  | { readonly scheme: 'scrypt'; readonly logN: number; readonly r: number; readonly p: number; readonly salt: Buffer; readonly hash: Buffer }
  | { readonly scheme: 'pbkdf2-sha256'; readonly rounds: number; readonly salt: Buffer; readonly hash: Buffer };

const B64 = '[A-Za-z0-9+/]+';
const AB64 = '[A-Za-z0-9./]+';
const SCRYPT = new RegExp(`^\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,3}),p=(\\d{1,3})\\$(${B64})\\$(${B64})$`);
const PBKDF2 = new RegExp(`^\\$pbkdf2-sha256\\$(\\d{1,8})\\$(${AB64})\\$(${AB64})$`);

/** scrypt's memory is 128 · N · r bytes: at most 256 MiB, and p · r below 2^30 (RFC 7914) */
const SCRYPT_MAX_MEMORY = 256 * 1024 * 1024;
const MAX_PBKDF2_ROUNDS = 10_000_000;
const HASH_BYTES = 32;

const fromBase64 = (text: string) => Buffer.from(text, 'base64');
const fromAdaptedBase64 = (text: string) => Buffer.from(text.replace(/\./g, '+'), 'base64');

function scryptMemory(logN: number, r: number): number {
  return 128 * 2 ** logN * r;
}

/** The hash's scheme and parameters, or a reason it cannot be used. */
export function parseLegacyHash(encoded: string): LegacyHash | { readonly problem: string } {
  const s = SCRYPT.exec(encoded);
  if (s) {
    const [logN, r, p] = [Number(s[1]), Number(s[2]), Number(s[3])];
    if (logN < 1 || r < 1 || p < 1 || p > 16) return { problem: 'scrypt parameters out of range (ln ≥ 1, r ≥ 1, 1 ≤ p ≤ 16)' };
    if (scryptMemory(logN, r) > SCRYPT_MAX_MEMORY) return { problem: 'scrypt parameters need more than 256 MiB' };
    const hash = fromBase64(s[5]!);
    if (hash.length !== HASH_BYTES) return { problem: 'scrypt hash must be 32 bytes' };
    return { scheme: 'scrypt', logN, r, p, salt: fromBase64(s[4]!), hash };
  }
  const k = PBKDF2.exec(encoded);
  if (k) {
    const rounds = Number(k[1]);
    if (rounds < 1 || rounds > MAX_PBKDF2_ROUNDS) return { problem: `pbkdf2-sha256 rounds must be 1–${MAX_PBKDF2_ROUNDS}` };
    const hash = fromAdaptedBase64(k[3]!);
    if (hash.length !== HASH_BYTES) return { problem: 'pbkdf2-sha256 hash must be 32 bytes' };
    return { scheme: 'pbkdf2-sha256', rounds, salt: fromAdaptedBase64(k[2]!), hash };
  }
  if (encoded.startsWith('$scrypt$') || encoded.startsWith('$pbkdf2-sha256$')) return { problem: 'not in passlib\'s format' };
  return { problem: 'unknown hash scheme' };
}

function derive(secret: string, legacy: LegacyHash): Promise<Buffer> {
  const message = Buffer.from(secret, 'utf8');
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, key: Buffer) => (error ? reject(error) : resolve(key));
    if (legacy.scheme === 'scrypt') {
      const maxmem = scryptMemory(legacy.logN, legacy.r) * 2 + 1024 * 1024;
      scrypt(message, legacy.salt, HASH_BYTES, { N: 2 ** legacy.logN, r: legacy.r, p: legacy.p, maxmem }, done);
    } else {
      pbkdf2(message, legacy.salt, legacy.rounds, HASH_BYTES, 'sha256', done);
    }
  });
}

/** true when the secret matches the imported hash. */
export async function verifyLegacyHash(secret: string, legacy: LegacyHash): Promise<boolean> {
  const candidate = await derive(secret, legacy);
  return candidate.length === legacy.hash.length && timingSafeEqual(candidate, legacy.hash);
}
