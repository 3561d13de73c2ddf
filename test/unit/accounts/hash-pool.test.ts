import { afterAll, describe, expect, it } from '@jest/globals';
import { HashPool } from '../../../src/accounts/hash-pool.js';
import { verifySecret } from '../../../src/accounts/secret-hash.js';

const pool = new HashPool(2);
afterAll(() => pool.close());

describe('HashPool', () => {
  it("hashes on worker threads into renkei's own Argon2id PHC strings, each with its own salt", async () => {
    const secrets = ['first secret 1', 'second secret 2', 'third secret 3'];
    const hashes = await Promise.all(secrets.map((secret) => pool.hash(secret)));
    for (const [i, hash] of hashes.entries()) {
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      expect(await verifySecret(secrets[i]!, hash)).toEqual({ ok: true, needsRehash: false });
    }
    expect(new Set(hashes).size).toBe(3);
    expect(await verifySecret(secrets[1]!, hashes[0]!)).toEqual({ ok: false, needsRehash: false });
  });

  it('fails pending hashes when closed', async () => {
    const small = new HashPool(1);
    const outcomes = [small.hash('a secret of one'), small.hash('a secret of two')].map((hash) => expect(hash).rejects.toThrow('hash pool closed'));
    await small.close();
    await Promise.all(outcomes);
  });
});
