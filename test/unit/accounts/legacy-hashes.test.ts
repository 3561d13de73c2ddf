import { describe, expect, it } from '@jest/globals';
import { parseLegacyHash } from '../../../src/accounts/legacy-hashes.js';
import { importableHashProblem, verifySecret } from '../../../src/accounts/secret-hash.js';

// the examples in passlib's documentation, both hashes of "password"
const PASSLIB_SCRYPT = '$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E';
const PASSLIB_PBKDF2 = '$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M';

describe('passlib hashes (legacy-hashes.ts)', () => {
  it("verifies passlib's documented scrypt example, and asks for an Argon2id rehash once it matches", async () => {
    expect(await verifySecret('password', PASSLIB_SCRYPT)).toEqual({ ok: true, needsRehash: true });
    expect(await verifySecret('Password', PASSLIB_SCRYPT)).toEqual({ ok: false, needsRehash: false });
  });

  it("verifies passlib's documented pbkdf2-sha256 example (adapted base64)", async () => {
    expect(await verifySecret('password', PASSLIB_PBKDF2)).toEqual({ ok: true, needsRehash: true });
    expect(await verifySecret('passwore', PASSLIB_PBKDF2)).toEqual({ ok: false, needsRehash: false });
  });

  it('refuses parameters that would make one login cost too much, and malformed strings', () => {
    expect(parseLegacyHash('$scrypt$ln=22,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E')).toEqual({ problem: 'scrypt parameters need more than 256 MiB' });
    expect(parseLegacyHash('$pbkdf2-sha256$99999999$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M')).toHaveProperty('problem');
    expect(parseLegacyHash('$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11A')).toEqual({ problem: 'pbkdf2-sha256 hash must be 32 bytes' });
    expect(importableHashProblem('$2b$12$abcdefghijklmnopqrstuv')).toBe('unknown hash scheme');
    expect(importableHashProblem('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$' + 'A'.repeat(43))).toBeUndefined();
    expect(importableHashProblem('$argon2id$v=19$m=9999999,t=2,p=1$c2FsdHNhbHQ$' + 'A'.repeat(43))).toMatch(/argon2id m must be/);
    expect(importableHashProblem(PASSLIB_SCRYPT)).toBeUndefined();
    expect(importableHashProblem(PASSLIB_PBKDF2)).toBeUndefined();
  });

  it('answers "no match" for a stored string it cannot read', async () => {
    expect(await verifySecret('password', '$md5$whatever')).toEqual({ ok: false, needsRehash: false });
  });
});
