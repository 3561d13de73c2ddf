import type { AdapterFactory } from 'oidc-provider';
import type { Logger } from 'pino';
import type { RenkeiConfig } from '../settings/types.js';
import { watchEvictionPolicy } from './check-eviction-policy.js';
import type { KeyValueStore } from './key-value-store.js';
import { createMemoryAdapterFactory } from './memory-adapter.js';
import { MemoryKeyValueStore } from './memory-key-value-store.js';
import { createRedisAdapterFactory } from './redis-adapter.js';
import { createRedisConnection, type RedisConnection } from './redis-connection.js';
import { RedisKeyValueStore } from './redis-key-value-store.js';

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/** Everything renkei keeps, behind one object: Redis in production, memory in development. */
export interface Store {
  readonly kind: 'redis' | 'memory';
  readonly adapterFactory: AdapterFactory;
  /** renkei's own records (customers, counters, devices, indexes) */
  readonly kv: KeyValueStore;
  readonly redis: RedisConnection | undefined;
  checkReadiness(): Promise<Readiness>;
  close(): Promise<void>;
}

export function createMemoryStore(): Store {
  return {
    kind: 'memory',
    adapterFactory: createMemoryAdapterFactory(),
    kv: new MemoryKeyValueStore(),
    redis: undefined,
    checkReadiness: async () => ({ ready: true }),
    close: async () => {},
  };
}

export function createRedisStore(redis: RedisConnection, slotMigrationWaitMs?: number): Store {
  return {
    kind: 'redis',
    adapterFactory: createRedisAdapterFactory(redis, slotMigrationWaitMs),
    kv: new RedisKeyValueStore(redis),
    redis,
    async checkReadiness() {
      if (redis.status !== 'ready') return { ready: false, reason: `redis: connection ${redis.status}` };
      try {
        await redis.ping();
        return { ready: true };
      } catch (error) {
        return { ready: false, reason: `redis: ${(error as Error).message}` };
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}

export function createStore(redisConfig: RenkeiConfig['redis'], logger: Logger): Store {
  if (!redisConfig.url) return createMemoryStore();
  const redis = createRedisConnection(redisConfig, logger);
  const policyWatch = watchEvictionPolicy(redis, logger);
  const store = createRedisStore(redis, redisConfig.slotMigrationWaitMs);
  return {
    ...store,
    async close() {
      policyWatch.stop();
      await policyWatch.settled();
      await store.close();
    },
  };
}
