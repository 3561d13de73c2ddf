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

async function configGetCalls(admin: Redis): Promise<number> {
  const stats = await admin.info('commandstats');
  return Number(/cmdstat_config\|get:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Redis eviction policy check on reconnect', () => {
  it('checks again each time the connection comes back: quiet after noeviction, warns again after a switch back', async () => {
    const own = await startRedisServer();
    const admin = new Redis(own.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const server = await startTestServer({ env: { RENKEI_REDIS_URL: own.url } });
    const warnings = () => server.logs.events().filter((event) => event.event === 'redis.eviction_enabled');
    try {
      await until(async () => warnings().length === 1, 'the warning at start');

      const reconnectWith = async (policy: string) => {
        await admin.config('SET', 'maxmemory-policy', policy);
        const checksBefore = await configGetCalls(admin);
        await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
        await until(async () => (await configGetCalls(admin)) > checksBefore, `a policy check after reconnecting with ${policy}`);
      };

      await reconnectWith('noeviction');
      expect(warnings()).toHaveLength(1);

      await reconnectWith('allkeys-lru');
      await until(async () => warnings().length === 2, 'the warning after reconnecting with allkeys-lru');
      expect(warnings()[1]).toMatchObject({ level: 40, maxmemory_policy: 'allkeys-lru' });
    } finally {
      await server.close();
      admin.disconnect();
      await own.stop();
    }
  });
});
