import { X509Certificate } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from 'jose';
import { PROFILE_SIGNING_ALGS, type ClientProfile } from './client-record.js';

/**
 * The keys a partner may sign with (SPEC §5): RSA of at least 2048 bits, EC P-256, Ed25519;
 * public halves only; an `alg`, when present, within the profile's list. The same rules apply to
 * keys registered inline and to every set fetched from a client's jwks_uri.
 */

const MIN_RSA_BITS = 2048;
/** FIPS 186-5 §A.1.1: an odd public exponent of at least 65537 (e = 1 or 3 make forgeries easy) */
const MIN_RSA_EXPONENT = 65537n;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const MAX_KID_LENGTH = 256;

interface KeyType {
  /** the only curve accepted, for curve-based key types */
  readonly crv?: string;
  /** the algorithms this key type can sign with */
  readonly algs: readonly string[];
  /** imported with this algorithm when the key names none */
  readonly importAs: string;
}

const KEY_TYPES: ReadonlyMap<string, KeyType> = new Map([
  ['RSA', { algs: ['PS256', 'RS256'], importAs: 'PS256' }],
  ['EC', { crv: 'P-256', algs: ['ES256'], importAs: 'ES256' }],
  ['OKP', { crv: 'Ed25519', algs: ['EdDSA'], importAs: 'EdDSA' }],
]);

export interface KeyRefusal {
  readonly index: number;
  /** the key's kid when it has a usable one */
  readonly kid?: string;
  readonly reason: string;
}

export interface ScreenedKeys {
  readonly accepted: Record<string, unknown>[];
  readonly refused: KeyRefusal[];
}

/** Untrusted strings echoed in a reason or a log line: bounded and printable. */
const shown = (value: unknown) => JSON.stringify(String(value).slice(0, 64));

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function importFailure(jwk: Record<string, unknown>, alg: string): Promise<string | undefined> {
  try {
    const key = await importJWK(jwk as JWK, alg);
    if (jwk.kty !== 'RSA') return undefined;
    const { modulusLength = 0, publicExponent = new Uint8Array() } = (key as CryptoKey).algorithm as { modulusLength?: number; publicExponent?: Uint8Array };
    if (modulusLength < MIN_RSA_BITS) return `is an RSA key of ${modulusLength} bits; at least ${MIN_RSA_BITS} are required`;
    const exponent = publicExponent.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
    if (exponent < MIN_RSA_EXPONENT || exponent % 2n === 0n) return 'has an RSA public exponent that is even or below 65537';
    return undefined;
  } catch (error) {
    return `is not a valid ${jwk.kty === 'RSA' ? 'RSA' : String(jwk.crv)} public key (${(error as Error).message})`;
  }
}

/** RFC 7517 §4.7: the first certificate of x5c holds the same public key as the JWK (the same RFC 7638 thumbprint). */
async function x5cFailure(key: Record<string, unknown>): Promise<string | undefined> {
  const chain = key.x5c;
  if (chain === undefined) return undefined;
  if (!Array.isArray(chain) || chain.length === 0 || !chain.every((entry) => typeof entry === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(entry))) {
    return 'has an x5c that is not a list of base64 certificates';
  }
  let certified: JWK;
  try {
    certified = new X509Certificate(Buffer.from(chain[0] as string, 'base64')).publicKey.export({ format: 'jwk' }) as JWK;
  } catch {
    return 'has an x5c whose first certificate cannot be read';
  }
  const [own, certificates] = await Promise.all([calculateJwkThumbprint(key as JWK), calculateJwkThumbprint(certified)]).catch(() => [undefined, '']);
  return own === certificates ? undefined : 'has an x5c whose first certificate holds another key';
}

/** Why one key is refused, or undefined when it is acceptable for the profile. */
export async function keyRefusalReason(key: unknown, profile: ClientProfile): Promise<string | undefined> {
  if (!isPlainObject(key)) return 'is not a JSON object';
  if (typeof key.kty !== 'string') return 'has no kty';
  if (key.kty === 'oct') return 'is a symmetric key (kty oct); only RSA, EC P-256 and Ed25519 public keys are accepted';
  const privateMembers = PRIVATE_MEMBERS.filter((member) => member in key);
  if (privateMembers.length) return `holds private members (${privateMembers.join(', ')}); jwks must hold public keys only`;
  if (key.alg !== undefined && typeof key.alg !== 'string') return 'has an alg that is not a string';
  if (key.kid !== undefined && (typeof key.kid !== 'string' || key.kid.length === 0 || key.kid.length > MAX_KID_LENGTH)) {
    return `has a kid that is not a string of 1 to ${MAX_KID_LENGTH} characters`;
  }
  // RFC 7517 §4.2/§4.3: a key marked for encryption, or for other operations than verifying, signs nothing here
  if (key.use !== undefined && key.use !== 'sig') return `has use ${shown(key.use)}; a partner's signing key has use "sig" or none`;
  if (key.key_ops !== undefined && !(Array.isArray(key.key_ops) && key.key_ops.includes('verify'))) return 'has key_ops without "verify"';
  if (key.alg === 'none') return 'has alg none, which is never accepted';
  const allowed = PROFILE_SIGNING_ALGS[profile];
  if (key.alg !== undefined && !(allowed as readonly string[]).includes(key.alg)) {
    return `has alg ${shown(key.alg)}, not allowed for profile ${profile} (allowed: ${allowed.join(', ')})`;
  }
  const type = KEY_TYPES.get(key.kty);
  if (!type) return `has kty ${shown(key.kty)}; only RSA, EC P-256 and Ed25519 keys are accepted`;
  if (type.crv && key.crv !== type.crv) return `has curve ${shown(key.crv)}; only ${type.crv} is accepted for kty ${key.kty}`;
  if (key.alg !== undefined && !type.algs.includes(key.alg)) return `has alg ${key.alg}, which does not fit an ${key.kty} key`;
  return (await importFailure(key, key.alg ?? type.importAs)) ?? (await x5cFailure(key));
}

/** The key's kid when it is a non-empty string (bounded), for naming it in refusals and logs. */
function kidOf(key: unknown): string | undefined {
  const kid = isPlainObject(key) ? key.kid : undefined;
  return typeof kid === 'string' && kid ? kid.slice(0, 128) : undefined;
}

/** Splits a key set into the keys that pass and the refusals, each naming the key and the reason. */
export async function screenPartnerKeys(keys: readonly unknown[], profile: ClientProfile): Promise<ScreenedKeys> {
  const reasons = await Promise.all(keys.map((key) => keyRefusalReason(key, profile)));
  const accepted: Record<string, unknown>[] = [];
  const refused: KeyRefusal[] = [];
  const firstWithKid = new Map<string, number>();
  reasons.forEach((found, index) => {
    const kid = kidOf(keys[index]);
    // RFC 7517 §4.5: a kid names one key of the set; a second key under it could not be told apart
    const earlier = kid === undefined ? undefined : firstWithKid.get(kid);
    const reason = found ?? (earlier === undefined ? undefined : `has the same kid as key ${earlier}`);
    if (kid !== undefined && earlier === undefined) firstWithKid.set(kid, index);
    if (reason) refused.push({ index, ...(kid ? { kid } : {}), reason });
    else accepted.push(keys[index] as Record<string, unknown>);
  });
  return { accepted, refused };
}

/** "key "kid-1"" or "key 0": how a refusal names its key to operators. */
export function keyName(refusal: KeyRefusal): string {
  return refusal.kid ? `key ${JSON.stringify(refusal.kid)}` : `key ${refusal.index}`;
}
