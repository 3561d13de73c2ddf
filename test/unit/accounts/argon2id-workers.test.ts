import { argon2Sync, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Argon2idWorkers, type Argon2idInput } from '../../../src/accounts/argon2id-workers.js';

const input = (secret: string, memoryKiB = 64, passes = 1): Argon2idInput => ({ secret, salt: randomBytes(16), memoryKiB, passes, parallelism: 1, tagLength: 32 });
const expected = ({ secret, salt, memoryKiB, passes, parallelism, tagLength }: Argon2idInput) =>
  argon2Sync('argon2id', { message: Buffer.from(secret, 'utf8'), nonce: salt, memory: memoryKiB, passes, parallelism, tagLength });

describe('Argon2idWorkers', () => {
  const workers = new Argon2idWorkers(2);
  afterAll(() => workers.close());

  it('derives the same keys as argon2Sync, each job its own, whatever order they finish in', async () => {
    const inputs = ['first', 'second', 'third', 'fourth', 'fifth'].map((secret, i) => input(secret, i % 2 ? 256 : 64));
    const keys = await Promise.all(inputs.map((one) => workers.derive(one)));
    keys.forEach((key, i) => expect(key.equals(expected(inputs[i]!))).toBe(true));
  });

  it('fails a job whose parameters Argon2id refuses, and goes on with the next', async () => {
    await expect(workers.derive({ ...input('bad'), memoryKiB: 1 })).rejects.toThrow('argon2id failed');
    const next = input('next');
    expect((await workers.derive(next)).equals(expected(next))).toBe(true);
  });

  it('runs at most `size` derivations at once, in arrival order, the size read as jobs are dispatched', async () => {
    let size = 3;
    const gated = new Argon2idWorkers(() => size);
    // three workers started, so that neither run below waits for a thread to start
    await Promise.all([0, 1, 2].map((i) => gated.derive(input(`w${i}`))));
    const finishOrder = async () => {
      const finished: number[] = [];
      // the first is a hash of 64 MiB over 2 passes (about 300 ms), the others of 64 KiB: run together, the
      // small ones finish first by a margin no scheduling delay of a busy machine comes near
      await Promise.all([65_536, 64, 64].map((memoryKiB, i) => gated.derive(input(`s${i}`, memoryKiB, i ? 1 : 2)).then(() => finished.push(i))));
      return finished;
    };
    size = 1;
    expect(await finishOrder()).toEqual([0, 1, 2]);
    size = 3;
    expect((await finishOrder()).at(-1)).toBe(0);
    await gated.close();
  });

  it('fails pending derivations when closed', async () => {
    const small = new Argon2idWorkers(1);
    const outcomes = [small.derive(input('one', 4096)), small.derive(input('two'))].map((job) => expect(job).rejects.toThrow('hash pool closed'));
    await small.close();
    await Promise.all(outcomes);
  });
});
