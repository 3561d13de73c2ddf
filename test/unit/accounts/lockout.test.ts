import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { CustomerDirectory } from '../../../src/accounts/customer-directory.js';
import { Lockout } from '../../../src/accounts/lockout.js';
import { UserNumberCipher } from '../../../src/accounts/user-number-cipher.js';
import { MemoryKeyValueStore } from '../../../src/storage/memory-key-value-store.js';
import { redisKeys } from '../../../src/storage/redis-keys.js';

async function setup(maxFailures: number) {
  const kv = new MemoryKeyValueStore();
  const directory = new CustomerDirectory(kv, new UserNumberCipher([{ kid: 'test', key: randomBytes(32) }]));
  const newCustomer = (loginId: string) =>
    directory.create({ loginId, password: 'correct horse 42', userNumber: '12345678', question: 'ペットの名前は？', answer: 'ポチ' });
  const alice = await newCustomer('alice');
  const bob = await newCustomer('bob');
  const status = async (sub: string) => (await directory.findBySub(sub))!.status;
  const answerDue = async (sub: string) => Lockout.answerDueIn(await kv.get(redisKeys.customerAnswerDue(sub)));
  return { lockout: new Lockout(kv, directory, maxFailures), alice, bob, status, answerDue };
}

describe('Lockout', () => {
  it('counts consecutive failures and locks at maxFailures, reporting lockedNow exactly once', async () => {
    const { lockout, alice, status } = await setup(3);
    expect(await lockout.failuresSinceSuccess(alice.sub)).toBe(0);

    expect(await lockout.recordFailure(alice.sub)).toEqual({ failures: 1, lockedNow: false });
    expect(await lockout.recordFailure(alice.sub)).toEqual({ failures: 2, lockedNow: false });
    expect(await status(alice.sub)).toBe('active');
    expect(await lockout.failuresSinceSuccess(alice.sub)).toBe(2);

    expect(await lockout.recordFailure(alice.sub)).toEqual({ failures: 3, lockedNow: true });
    expect(await status(alice.sub)).toBe('locked');

    expect(await lockout.recordFailure(alice.sub)).toEqual({ failures: 4, lockedNow: false });
    expect(await lockout.recordFailure(alice.sub)).toEqual({ failures: 5, lockedNow: false });
    expect(await status(alice.sub)).toBe('locked');
  });

  it('counts per account', async () => {
    const { lockout, alice, bob, status } = await setup(2);
    await lockout.recordFailure(alice.sub);
    await lockout.recordFailure(alice.sub);
    expect(await status(alice.sub)).toBe('locked');
    expect(await lockout.failuresSinceSuccess(bob.sub)).toBe(0);
    expect(await status(bob.sub)).toBe('active');
    expect(await lockout.recordFailure(bob.sub)).toEqual({ failures: 1, lockedNow: false });
  });

  it('reset clears the count after a success', async () => {
    const { lockout, alice, status } = await setup(3);
    await lockout.recordFailure(alice.sub);
    await lockout.recordFailure(alice.sub);
    await lockout.reset(alice.sub);
    expect(await lockout.failuresSinceSuccess(alice.sub)).toBe(0);
    expect(await lockout.recordFailure(alice.sub)).toEqual({ failures: 1, lockedNow: false });
    expect(await lockout.recordFailure(alice.sub)).toEqual({ failures: 2, lockedNow: false });
    expect(await status(alice.sub)).toBe('active');
  });

  it('unlock makes a locked account active with a clean count and the answer due, and it can lock again', async () => {
    const { lockout, alice, status, answerDue } = await setup(2);
    await lockout.recordFailure(alice.sub);
    await lockout.recordFailure(alice.sub);
    expect(await status(alice.sub)).toBe('locked');

    await lockout.unlock(alice.sub);
    expect(await status(alice.sub)).toBe('active');
    expect(await lockout.failuresSinceSuccess(alice.sub)).toBe(0);
    expect(await answerDue(alice.sub)).toBe(true);

    expect(await lockout.recordFailure(alice.sub)).toEqual({ failures: 1, lockedNow: false });
    expect(await lockout.recordFailure(alice.sub)).toEqual({ failures: 2, lockedNow: true });
    expect(await status(alice.sub)).toBe('locked');
  });

  it('a wrong answer leaves the answer due: a sign-in without it keeps the count; a full success clears both', async () => {
    const { lockout, alice, answerDue } = await setup(5);
    await lockout.recordFailure(alice.sub, 'password');
    expect(await answerDue(alice.sub)).toBe(false);
    expect(await lockout.resetUnlessAnswerDue(alice.sub)).toBe(true);
    expect(await lockout.failuresSinceSuccess(alice.sub)).toBe(0);

    await lockout.recordFailure(alice.sub, 'digits');
    await lockout.recordFailure(alice.sub, 'answer');
    expect(await answerDue(alice.sub)).toBe(true);
    expect(await lockout.resetUnlessAnswerDue(alice.sub)).toBe(false);
    expect(await lockout.failuresSinceSuccess(alice.sub)).toBe(2);

    await lockout.reset(alice.sub);
    expect([await lockout.failuresSinceSuccess(alice.sub), await answerDue(alice.sub)]).toEqual([0, false]);
  });
});
