import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { CLAIM_LEASE_MS, RedisGrantExpiries } from '../../../src/events/grant-expiries.js';
import { redisKeys } from '../../../src/storage/redis-keys.js';

// a database of its own: the servers of other tests sweep the default one
let redis: Redis;
beforeAll(async () => {
  redis = new Redis(process.env.RENKEI_TEST_REDIS_URL!, { db: 9, lazyConnect: true });
  await redis.connect();
  await redis.del(redisKeys.grantExpiries());
});
afterAll(() => redis.disconnect());

const grant = (n: number) => ({ grantId: `g-${n}`, clientId: 'c-1', sub: `s-${n}` });

describe('RedisGrantExpiries: claiming due grants for a lease', () => {
  it('hands each due grant to one claimer, again once the lease has lapsed, until it is settled', async () => {
    const expiries = new RedisGrantExpiries(redis);
    const now = 5_000_000;
    await expiries.track(grant(1), now - 10);
    await expiries.track(grant(2), now - 5);
    await expiries.track(grant(3), now + 1000);

    expect(await expiries.claimDue(now, 100)).toEqual([grant(1), grant(2)]);
    expect(await expiries.claimDue(now, 100)).toEqual([]);
    expect(await redis.zscore(redisKeys.grantExpiries(), JSON.stringify(['g-1', 'c-1', 's-1']))).toBe(String(now + CLAIM_LEASE_MS));

    // reported: settled; extended meanwhile: tracked anew
    await expiries.untrack(grant(1));
    await expiries.track(grant(2), now + 10 * CLAIM_LEASE_MS);
    const later = now + CLAIM_LEASE_MS + 1;
    expect(await expiries.claimDue(later, 100)).toEqual([grant(3)]);
    // not settled (its report failed): due again after its lease
    expect(await expiries.claimDue(later + CLAIM_LEASE_MS, 100)).toEqual([grant(3)]);
  });
});
