import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';

/** AES-256-GCM data keys from keys/data-keys.json: the first encrypts, all decrypt. Never stored in Redis. */
export interface DataKey {
  readonly kid: string;
  readonly key: Buffer;
}

export interface SealedUserNumber {
  readonly kid: string;
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

/**
 * The 利用者番号 must be checkable digit by digit, so it cannot be hashed whole (and per-digit
 * hashes fall to ten guesses). It is encrypted, bound to the customer's sub as additional data
 * so that a ciphertext cannot be moved to another customer.
 */
export class UserNumberCipher {
  constructor(private readonly keys: readonly DataKey[]) {
    if (keys.length === 0) throw new TypeError('at least one data key is required');
  }

  seal(userNumber: string, sub: string): SealedUserNumber {
    const { kid, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(sub, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(userNumber, 'utf8'), cipher.final()]);
    return { kid, iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), ciphertext: ciphertext.toString('base64url') };
  }

  open(sealed: SealedUserNumber, sub: string): string {
    const dataKey = this.keys.find((k) => k.kid === sealed.kid);
    if (!dataKey) throw new Error(`data key ${sealed.kid} is not available`);
    const decipher = createDecipheriv('aes-256-gcm', dataKey.key, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(sub, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Compares the digits at the given 1-based positions; every position is compared, whatever fails. */
  digitsMatch(sealed: SealedUserNumber, sub: string, answers: ReadonlyMap<number, string>): boolean {
    const userNumber = this.open(sealed, sub);
    let mismatches = 0;
    for (const [position, digit] of answers) {
      const inRange = Number.isInteger(position) && position >= 1 && position <= userNumber.length;
      const expected = Buffer.from(inRange ? userNumber[position - 1]! : '0');
      const given = Buffer.from(digit.length === 1 ? digit : '\u0001');
      const same = expected.length === given.length && timingSafeEqual(expected, given);
      mismatches += inRange && same ? 0 : 1;
    }
    return mismatches === 0 && answers.size > 0;
  }
}
