import { randomBytes, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Argon2idWorkers } from './argon2id-workers.js';
import { parseLegacyHash, verifyLegacyHash } from './legacy-hashes.js';

/** OWASP's Argon2id parameters (m = 19 MiB, t = 2, p = 1). Stored with each hash so they can be raised. */
export const ARGON2ID_PARAMETERS = { memoryKiB: 19456, passes: 2, parallelism: 1 } as const;
const TAG_LENGTH = 32;

interface Argon2idParameters {
  memoryKiB: number;
  passes: number;
  parallelism: number;
}

/**
 * Argon2id is memory-hard: more hashes at once than the cores this process may run on (its CPU
 * affinity, read at each hash) only evict each other's 19 MiB from the caches, so the rest queue.
 */
const hashing = new Argon2idWorkers(availableParallelism);

function derive(secret: string, salt: Buffer, p: Argon2idParameters, tagLength = TAG_LENGTH): Promise<Buffer> {
  return hashing.derive({ secret, salt, memoryKiB: p.memoryKiB, passes: p.passes, parallelism: p.parallelism, tagLength });
}

/** PHC string: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (base64 without padding). */
export function formatArgon2id(salt: Buffer, hash: Buffer, p: Argon2idParameters = ARGON2ID_PARAMETERS): string {
  return `$argon2id$v=19$m=${p.memoryKiB},t=${p.passes},p=${p.parallelism}$${salt.toString('base64').replace(/=+$/, '')}$${hash.toString('base64').replace(/=+$/, '')}`;
}

/**
 * Test runs only (setting testFastHashing, refused in production): the smallest Argon2id
 * parameters, so that hundreds of customers and logins cost milliseconds. Verification still
 * reads the parameters stored in each hash.
 */
export const TEST_ARGON2ID_PARAMETERS = { memoryKiB: 64, passes: 1, parallelism: 1 } as const;
let hashingParameters: Argon2idParameters = ARGON2ID_PARAMETERS;

export function useTestArgon2idParameters(fast: boolean): void {
  hashingParameters = fast ? TEST_ARGON2ID_PARAMETERS : ARGON2ID_PARAMETERS;
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  return formatArgon2id(salt, await derive(secret, salt, hashingParameters), hashingParameters);
}

/** What one of our hashes is derived from, for hashing off the main thread (hash-pool.ts). */
export const newArgon2idSalt = () => randomBytes(16);
export const ARGON2ID_TAG_LENGTH = TAG_LENGTH;

function parse(encoded: string): { p: Argon2idParameters; salt: Buffer; hash: Buffer } | undefined {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(encoded);
  if (!match) return undefined;
  return {
    p: { memoryKiB: Number(match[1]), passes: Number(match[2]), parallelism: Number(match[3]) },
    salt: Buffer.from(match[4]!, 'base64'),
    hash: Buffer.from(match[5]!, 'base64'),
  };
}

export interface VerifyResult {
  readonly ok: boolean;
  /** the hash was made with weaker parameters than today's: store a new one */
  readonly needsRehash: boolean;
}

/** Bounds for Argon2id hashes made elsewhere (imported), so one hash cannot make a login cost seconds. */
const IMPORTED_ARGON2ID = { maxMemoryKiB: 262_144, maxPasses: 10, maxParallelism: 16, minSaltBytes: 8, tagBytes: [16, 64] } as const;

/**
 * Why a stored-hash string cannot be imported, or undefined when it can: Argon2id (PHC, v=19),
 * or passlib's scrypt and pbkdf2-sha256 (legacy-hashes.ts), upgraded at the next login.
 */
export function importableHashProblem(encoded: string): string | undefined {
  if (encoded.startsWith('$argon2id$')) {
    const parsed = parse(encoded);
    if (!parsed) return 'not a PHC Argon2id string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)';
    const { p, salt, hash } = parsed;
    const limits = IMPORTED_ARGON2ID;
    if (p.memoryKiB < 8 * p.parallelism || p.memoryKiB > limits.maxMemoryKiB) return `argon2id m must be ${8 * p.parallelism}–${limits.maxMemoryKiB} KiB`;
    if (p.passes < 1 || p.passes > limits.maxPasses) return `argon2id t must be 1–${limits.maxPasses}`;
    if (p.parallelism < 1 || p.parallelism > limits.maxParallelism) return `argon2id p must be 1–${limits.maxParallelism}`;
    if (salt.length < limits.minSaltBytes) return `argon2id salt must be at least ${limits.minSaltBytes} bytes`;
    if (hash.length < limits.tagBytes[0] || hash.length > limits.tagBytes[1]) return `argon2id hash must be ${limits.tagBytes[0]}–${limits.tagBytes[1]} bytes`;
    return undefined;
  }
  const legacy = parseLegacyHash(encoded);
  return 'problem' in legacy ? legacy.problem : undefined;
}

export async function verifySecret(secret: string, encoded: string): Promise<VerifyResult> {
  if (!encoded.startsWith('$argon2id$')) {
    // an imported scrypt or pbkdf2-sha256 hash: replaced by our Argon2id once it matches
    const legacy = parseLegacyHash(encoded);
    if ('problem' in legacy) return { ok: false, needsRehash: false };
    const ok = await verifyLegacyHash(secret, legacy);
    return { ok, needsRehash: ok };
  }
  const parsed = parse(encoded);
  if (!parsed || parsed.hash.length < 16 || parsed.hash.length > 64) return { ok: false, needsRehash: false };
  const candidate = await derive(secret, parsed.salt, parsed.p, parsed.hash.length);
  const ok = candidate.length === parsed.hash.length && timingSafeEqual(candidate, parsed.hash);
  const { memoryKiB, passes, parallelism } = hashingParameters;
  const needsRehash = parsed.p.memoryKiB < memoryKiB || parsed.p.passes < passes || parsed.p.parallelism !== parallelism;
  return { ok, needsRehash };
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real verification, for login IDs that do not exist. */
export async function verifyAgainstDummy(secret: string): Promise<void> {
  dummyHash ??= hashSecret(randomBytes(16).toString('hex'));
  await verifySecret(secret, await dummyHash);
}

/**
 * Ends the hashing threads (a hash in progress fails); the next hash starts them again. For a
 * process that embeds renkei and lets it go, and for the test runner, which loads this module
 * afresh for every test file in one process.
 */
export function stopHashingThreads(): Promise<void> {
  // a dummy hash still being made fails with the rest: the next unknown login ID makes another
  dummyHash = undefined;
  return hashing.close();
}
