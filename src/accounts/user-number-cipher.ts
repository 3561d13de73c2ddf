import { timingSafeEqual } from 'node:crypto';
import { DataCipher, type DataKey, type Sealed } from '../keys/data-cipher.js';

export type { DataKey };
export type SealedUserNumber = Sealed;

/**
 * The 利用者番号 must be checkable digit by digit, so it cannot be hashed whole (and per-digit
 * hashes fall to ten guesses). It is encrypted, bound to the customer's sub.
 */
export class UserNumberCipher extends DataCipher {
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
