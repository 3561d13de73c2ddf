import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.mjs';
import { startTestServer } from '../../support/test-server.js';

let redis: RedisServerHandle;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.stop());

async function warningsAtStart(): Promise<Record<string, unknown>[]> {
  const server = await startTestServer({ env: { RENKEI_REDIS_URL: redis.url } });
  await server.close();
  return server.logs.events().filter((event) => event.event === 'redis.eviction_enabled');
}

describe('Redis eviction policy check at start', () => {
  it('warns loudly when maxmemory-policy is not noeviction, and is quiet when it is', async () => {
    expect(await warningsAtStart()).toEqual([]);

    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    admin.disconnect();

    const warnings = await warningsAtStart();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, maxmemory_policy: 'allkeys-lru' });
    expect(String(warnings[0]!.msg)).toContain('noeviction');
  });
});
