import type { Logger } from 'pino';
import type { RedisConnection } from './redis-connection.js';

/**
 * Eviction would silently delete revocations, "code used" flags and lockout counters:
 * renkei needs `maxmemory-policy noeviction`. Returns the policy found (or undefined when the
 * server does not allow CONFIG GET, as some managed services do).
 */
export async function checkEvictionPolicy(redis: RedisConnection, logger: Logger): Promise<string | undefined> {
  let policy: string | undefined;
  try {
    const nodes = 'nodes' in redis ? redis.nodes('master') : [redis];
    for (const node of nodes) {
      const reply = (await node.config('GET', 'maxmemory-policy')) as string[];
      policy = reply[1];
      if (policy !== 'noeviction') break;
    }
  } catch (error) {
    logger.warn({ event: 'redis.policy_unknown', err: { message: (error as Error).message } },
      'could not read Redis maxmemory-policy; make sure it is "noeviction"');
    return undefined;
  }
  if (policy !== 'noeviction') {
    logger.warn({ event: 'redis.eviction_enabled', maxmemory_policy: policy },
      `WARNING: Redis maxmemory-policy is "${policy}", not "noeviction": under memory pressure Redis will silently delete revocations, consumed-code flags and lockout counters. Set maxmemory-policy noeviction.`);
  }
  return policy;
}

export interface EvictionPolicyWatch {
  stop(): void;
  /** resolves when the check under way (if any) has finished */
  settled(): Promise<void>;
}

/**
 * Checks the policy whenever the connection becomes ready: at start and after every reconnect (a
 * failover or a restarted Redis may come back with another configuration).
 */
export function watchEvictionPolicy(redis: RedisConnection, logger: Logger): EvictionPolicyWatch {
  let latest: Promise<unknown> = Promise.resolve();
  const check = () => {
    latest = checkEvictionPolicy(redis, logger);
  };
  redis.on('ready', check);
  if (redis.status === 'ready') check();
  return {
    stop: () => redis.off('ready', check),
    settled: async () => {
      await latest;
    },
  };
}
