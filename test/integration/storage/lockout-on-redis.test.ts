/** The lockout's count against a real Redis, where commands of concurrent requests interleave. */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { connectTestRedis } from '../../support/redis-connection.js';
import { CustomerDirectory } from '../../../src/accounts/customer-directory.js';
import { Lockout } from '../../../src/accounts/lockout.js';
import { UserNumberCipher } from '../../../src/accounts/user-number-cipher.js';
import { RedisKeyValueStore } from '../../../src/storage/redis-key-value-store.js';

const redis = connectTestRedis();
await new Promise((resolve) => redis.once('ready', resolve));
afterAll(() => redis.disconnect());
const kv = new RedisKeyValueStore(redis);
const directory = new CustomerDirectory(kv, new UserNumberCipher([{ kid: 'test', key: randomBytes(32) }]));
const lockout = new Lockout(kv, directory, 5);

describe('Lockout on Redis', () => {
  it('a 連携サービス管理 sign-in finishing while a wrong answer is recorded never wipes that failure', async () => {
    for (let round = 0; round < 3; round += 1) {
      const customer = await directory.create({
        loginId: `race-${randomBytes(6).toString('hex')}`,
        password: 'correct horse 42',
        userNumber: '12345678',
        question: 'ペットの名前は？',
        answer: 'ポチ',
      });
      await lockout.recordFailure(customer.sub, 'password');
      await lockout.recordFailure(customer.sub, 'password');
      // the sign-in (no answer asked) and another browser's wrong answer, at the same moment
      const [wasReset, failure] = await Promise.all([lockout.resetUnlessAnswerDue(customer.sub), lockout.recordFailure(customer.sub, 'answer')]);
      // whichever came first, the wrong answer stands: counted (after the count started again, or
      // on top of it), and the answer due
      const failures = await lockout.failuresSinceSuccess(customer.sub);
      expect({ round, failures, counted: failure.failures }).toEqual({ round, failures: wasReset ? 1 : 3, counted: failures });
      expect(await lockout.resetUnlessAnswerDue(customer.sub)).toBe(false);
    }
  });
});
