import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

/** OWASP's Argon2id parameters (m = 19 MiB, t = 2, p = 1). Stored with each hash so they can be raised. */
export const ARGON2ID_PARAMETERS = { memoryKiB: 19456, passes: 2, parallelism: 1 } as const;
const TAG_LENGTH = 32;

interface Argon2idParameters {
  memoryKiB: number;
  passes: number;
  parallelism: number;
}

function derive(secret: string, salt: Buffer, p: Argon2idParameters): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2(
      'argon2id',
      { message: Buffer.from(secret, 'utf8'), nonce: salt, parallelism: p.parallelism, tagLength: TAG_LENGTH, memory: p.memoryKiB, passes: p.passes },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** PHC string: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (base64 without padding). */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, ARGON2ID_PARAMETERS);
  const { memoryKiB: m, passes: t, parallelism: p } = ARGON2ID_PARAMETERS;
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${salt.toString('base64').replace(/=+$/, '')}$${hash.toString('base64').replace(/=+$/, '')}`;
}

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

export async function verifySecret(secret: string, encoded: string): Promise<VerifyResult> {
  const parsed = parse(encoded);
  if (!parsed) return { ok: false, needsRehash: false };
  const candidate = await derive(secret, parsed.salt, parsed.p);
  const ok = candidate.length === parsed.hash.length && timingSafeEqual(candidate, parsed.hash);
  const { memoryKiB, passes, parallelism } = ARGON2ID_PARAMETERS;
  const needsRehash = parsed.p.memoryKiB < memoryKiB || parsed.p.passes < passes || parsed.p.parallelism !== parallelism;
  return { ok, needsRehash };
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real verification, for login IDs that do not exist. */
export async function verifyAgainstDummy(secret: string): Promise<void> {
  dummyHash ??= hashSecret(randomBytes(16).toString('hex'));
  await verifySecret(secret, await dummyHash);
}
