import { argon2, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ARGON2ID_PARAMETERS, hashSecret, stopHashingThreads, verifyAgainstDummy, verifySecret } from '../../../src/accounts/secret-hash.js';

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function b64(buffer: Buffer): string {
  return buffer.toString('base64').replace(/=+$/, '');
}

function rawArgon2id(secret: string, salt: Buffer, m: number, t: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2('argon2id', { message: Buffer.from(secret, 'utf8'), nonce: salt, memory: m, passes: t, parallelism: p, tagLength: 32 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** A PHC string built by hand, outside the module under test. */
async function handMadeHash(secret: string, m: number, t: number, p: number): Promise<string> {
  const salt = randomBytes(16);
  const hash = await rawArgon2id(secret, salt, m, t, p);
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(hash)}`;
}

describe('hashSecret', () => {
  it('uses OWASP Argon2id parameters', () => {
    expect(ARGON2ID_PARAMETERS).toEqual({ memoryKiB: 19456, passes: 2, parallelism: 1 });
  });

  it('produces a PHC string with m=19456,t=2,p=1, a 16-byte salt and a 32-byte hash, unpadded base64', async () => {
    const encoded = await hashSecret('correct horse battery staple');
    const match = PHC.exec(encoded);
    expect(match).not.toBeNull();
    expect(encoded.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(encoded).not.toContain('=$');
    expect(encoded.endsWith('=')).toBe(false);
    expect(Buffer.from(match![4]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(match![5]!, 'base64')).toHaveLength(32);
    expect(encoded).not.toContain('correct horse');
  });

  it('is a real Argon2id hash of the secret with the stored salt and parameters', async () => {
    const encoded = await hashSecret('s3cret-pass');
    const [, m, t, p, salt, hash] = PHC.exec(encoded)!;
    const recomputed = await rawArgon2id('s3cret-pass', Buffer.from(salt!, 'base64'), Number(m), Number(t), Number(p));
    expect(b64(recomputed)).toBe(hash);
  });

  it('uses a fresh salt each time, so equal secrets give different hashes', async () => {
    const first = await hashSecret('same secret');
    const second = await hashSecret('same secret');
    expect(first).not.toBe(second);
    expect(PHC.exec(first)![4]).not.toBe(PHC.exec(second)![4]);
    expect(PHC.exec(first)![5]).not.toBe(PHC.exec(second)![5]);
    expect((await verifySecret('same secret', first)).ok).toBe(true);
    expect((await verifySecret('same secret', second)).ok).toBe(true);
  });
});

describe('verifySecret', () => {
  it('accepts the right secret without asking for a rehash', async () => {
    const encoded = await hashSecret('right password');
    await expect(verifySecret('right password', encoded)).resolves.toEqual({ ok: true, needsRehash: false });
  });

  it('refuses a wrong secret', async () => {
    const encoded = await hashSecret('right password');
    expect((await verifySecret('wrong password', encoded)).ok).toBe(false);
    expect((await verifySecret('right passwor', encoded)).ok).toBe(false);
    expect((await verifySecret('Right password', encoded)).ok).toBe(false);
    expect((await verifySecret('', encoded)).ok).toBe(false);
  });

  it('verifies a hash made with weaker parameters and asks for a rehash', async () => {
    const weak = await handMadeHash('old password', 8192, 1, 1);
    await expect(verifySecret('old password', weak)).resolves.toEqual({ ok: true, needsRehash: true });
    expect((await verifySecret('other password', weak)).ok).toBe(false);
  });

  it('asks for a rehash when only one parameter is weaker', async () => {
    const fewerPasses = await handMadeHash('pw', 19456, 1, 1);
    expect(await verifySecret('pw', fewerPasses)).toEqual({ ok: true, needsRehash: true });
    const lessMemory = await handMadeHash('pw', 8192, 2, 1);
    expect(await verifySecret('pw', lessMemory)).toEqual({ ok: true, needsRehash: true });
  });

  it('does not ask for a rehash for stronger parameters', async () => {
    const stronger = await handMadeHash('pw', 19456, 3, 1);
    expect(await verifySecret('pw', stronger)).toEqual({ ok: true, needsRehash: false });
  });

  it('refuses malformed or foreign-format hashes', async () => {
    const encoded = await hashSecret('pw');
    for (const bad of [
      '',
      'pw',
      encoded.replace('$argon2id$', '$argon2i$'),
      encoded.replace('v=19', 'v=16'),
      `${encoded}$extra`,
      encoded.slice(0, encoded.lastIndexOf('$')),
      '$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA',
    ]) {
      expect((await verifySecret('pw', bad)).ok).toBe(false);
    }
  });

  it('refuses when the stored hash was altered', async () => {
    const encoded = await hashSecret('pw');
    const last = encoded.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${encoded.slice(0, -2)}${last}${encoded.at(-1)}`;
    expect(tampered).not.toBe(encoded);
    expect((await verifySecret('pw', tampered)).ok).toBe(false);
  });
});

describe('verifyAgainstDummy', () => {
  it('completes without throwing for any secret', async () => {
    await expect(verifyAgainstDummy('whatever')).resolves.toBeUndefined();
  });
});

describe('stopHashingThreads', () => {
  const threads = () => readdirSync('/proc/self/task').length;

  it('ends the hashing threads, and the next hash starts them again', async () => {
    await Promise.all([hashSecret('one'), hashSecret('two')]);
    const whileHashing = threads();
    await stopHashingThreads();
    const stopped = threads();
    expect(stopped).toBeLessThan(whileHashing);

    const encoded = await hashSecret('after the stop');
    expect(await verifySecret('after the stop', encoded)).toEqual({ ok: true, needsRehash: false });
    expect(threads()).toBeGreaterThan(stopped);
  });

  it('fails a verification against the dummy hash still being made, and the next one makes another', async () => {
    await stopHashingThreads();
    const inFlight = verifyAgainstDummy('first unknown login');
    await stopHashingThreads();
    await expect(inFlight).rejects.toThrow('hash pool closed');
    await expect(verifyAgainstDummy('next unknown login')).resolves.toBeUndefined();
  });
});
