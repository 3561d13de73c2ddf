import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { UserNumberCipher, type DataKey, type SealedUserNumber } from '../../../src/accounts/user-number-cipher.js';

function dataKey(kid: string): DataKey {
  return { kid, key: randomBytes(32) };
}

/** flips one bit of a base64url field */
function flip(field: string): string {
  const bytes = Buffer.from(field, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  return bytes.toString('base64url');
}

const SUB = 'c0ffee00-0000-4000-8000-000000000001';
const OTHER_SUB = 'c0ffee00-0000-4000-8000-000000000002';

describe('UserNumberCipher', () => {
  it('needs at least one key', () => {
    expect(() => new UserNumberCipher([])).toThrow(TypeError);
  });

  it('opens what it sealed', () => {
    const cipher = new UserNumberCipher([dataKey('k1')]);
    const sealed = cipher.seal('4071938265', SUB);
    expect(cipher.open(sealed, SUB)).toBe('4071938265');
  });

  it('names the key, hides the number and uses a fresh IV each time', () => {
    const cipher = new UserNumberCipher([dataKey('k1')]);
    const first = cipher.seal('4071938265', SUB);
    const second = cipher.seal('4071938265', SUB);
    expect(first.kid).toBe('k1');
    expect(JSON.stringify(first)).not.toContain('4071938265');
    expect(Buffer.from(first.iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(first.tag, 'base64url')).toHaveLength(16);
    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
  });

  it('binds the ciphertext to the sub: opening it for another customer throws', () => {
    const cipher = new UserNumberCipher([dataKey('k1')]);
    const sealed = cipher.seal('4071938265', SUB);
    expect(() => cipher.open(sealed, OTHER_SUB)).toThrow();
    expect(() => cipher.open(sealed, '')).toThrow();
  });

  it('throws when the tag, ciphertext or IV was tampered with', () => {
    const cipher = new UserNumberCipher([dataKey('k1')]);
    const sealed = cipher.seal('4071938265', SUB);
    expect(() => cipher.open({ ...sealed, tag: flip(sealed.tag) }, SUB)).toThrow();
    expect(() => cipher.open({ ...sealed, ciphertext: flip(sealed.ciphertext) }, SUB)).toThrow();
    expect(() => cipher.open({ ...sealed, iv: flip(sealed.iv) }, SUB)).toThrow();
    expect(cipher.open(sealed, SUB)).toBe('4071938265');
  });

  it('throws for an unknown key id, and for the right kid with the wrong key', () => {
    const cipher = new UserNumberCipher([dataKey('k1')]);
    const sealed = cipher.seal('4071938265', SUB);
    expect(() => cipher.open({ ...sealed, kid: 'k9' }, SUB)).toThrow(/k9/);
    const impostor = new UserNumberCipher([dataKey('k1')]);
    expect(() => impostor.open(sealed, SUB)).toThrow();
  });

  it('rotates keys: the first key seals, every key opens', () => {
    const oldKey = dataKey('2024');
    const newKey = dataKey('2025');
    const before = new UserNumberCipher([oldKey]);
    const sealedOld = before.seal('12345678', SUB);

    const after = new UserNumberCipher([newKey, oldKey]);
    expect(after.open(sealedOld, SUB)).toBe('12345678');
    const sealedNew = after.seal('12345678', SUB);
    expect(sealedNew.kid).toBe('2025');
    expect(after.open(sealedNew, SUB)).toBe('12345678');
    expect(() => before.open(sealedNew, SUB)).toThrow();
    expect(new UserNumberCipher([newKey]).open(sealedNew, SUB)).toBe('12345678');
  });

  describe('digitsMatch', () => {
    const cipher = new UserNumberCipher([dataKey('k1')]);
    const sealed: SealedUserNumber = cipher.seal('4071938265', SUB);

    it('is true when every asked digit is right', () => {
      expect(cipher.digitsMatch(sealed, SUB, new Map([[1, '4'], [5, '9'], [10, '5']]))).toBe(true);
      expect(cipher.digitsMatch(sealed, SUB, new Map([[2, '0']]))).toBe(true);
    });

    it('is false when any asked digit is wrong', () => {
      expect(cipher.digitsMatch(sealed, SUB, new Map([[1, '5']]))).toBe(false);
      expect(cipher.digitsMatch(sealed, SUB, new Map([[1, '4'], [5, '8'], [10, '5']]))).toBe(false);
      expect(cipher.digitsMatch(sealed, SUB, new Map([[1, '4'], [5, '9'], [10, '6']]))).toBe(false);
    });

    it('is false for no answers at all', () => {
      expect(cipher.digitsMatch(sealed, SUB, new Map())).toBe(false);
    });

    it('is false for positions outside 1..length', () => {
      expect(cipher.digitsMatch(sealed, SUB, new Map([[0, '4']]))).toBe(false);
      expect(cipher.digitsMatch(sealed, SUB, new Map([[11, '5']]))).toBe(false);
      expect(cipher.digitsMatch(sealed, SUB, new Map([[-1, '5']]))).toBe(false);
      expect(cipher.digitsMatch(sealed, SUB, new Map([[1, '4'], [11, '0']]))).toBe(false);
    });

    it('is false for positions outside 1..length whatever character is given', () => {
      // the out-of-range filler must never be matchable by a submitted value
      expect(cipher.digitsMatch(sealed, SUB, new Map([[11, '\u0000']]))).toBe(false);
      expect(cipher.digitsMatch(sealed, SUB, new Map([[0, '\u0000']]))).toBe(false);
      expect(cipher.digitsMatch(sealed, SUB, new Map([[1, '4'], [99, '\u0000']]))).toBe(false);
    });

    it('is false for answers that are not exactly one character', () => {
      expect(cipher.digitsMatch(sealed, SUB, new Map([[1, '40']]))).toBe(false);
      expect(cipher.digitsMatch(sealed, SUB, new Map([[1, '']]))).toBe(false);
      expect(cipher.digitsMatch(sealed, SUB, new Map([[1, '4'], [2, '07']]))).toBe(false);
    });

    it('does not accept the sealed number of another customer', () => {
      expect(() => cipher.digitsMatch(sealed, OTHER_SUB, new Map([[1, '4']]))).toThrow();
    });
  });
});
