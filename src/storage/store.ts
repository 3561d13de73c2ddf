import type { AdapterFactory } from 'oidc-provider';
import type { Logger } from 'pino';
import type { CustomerDirectory } from '../accounts/customer.js';
import { MemoryCustomerDirectory } from '../accounts/memory-customer-directory.js';
import { RedisCustomerDirectory } from '../accounts/redis-customer-directory.js';
import type { RenkeiConfig } from '../settings/types.js';
import { createMemoryAdapterFactory } from './memory-adapter.js';
import { createRedisAdapterFactory } from './redis-adapter.js';
import { createRedisConnection, type RedisConnection } from './redis-connection.js';

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/** Everything renkei keeps, behind one object: Redis in production, memory in development. */
export interface Store {
  readonly kind: 'redis' | 'memory';
  readonly adapterFactory: AdapterFactory;
  readonly customers: CustomerDirectory;
  readonly redis: RedisConnection | undefined;
  checkReadiness(): Promise<Readiness>;
  close(): Promise<void>;
}

export function createMemoryStore(): Store {
  return {
    kind: 'memory',
    adapterFactory: createMemoryAdapterFactory(),
    customers: new MemoryCustomerDirectory(),
    redis: undefined,
    checkReadiness: async () => ({ ready: true }),
    close: async () => {},
  };
}

export function createRedisStore(redis: RedisConnection): Store {
  return {
    kind: 'redis',
    adapterFactory: createRedisAdapterFactory(redis),
    customers: new RedisCustomerDirectory(redis),
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
  return redisConfig.url ? createRedisStore(createRedisConnection(redisConfig, logger)) : createMemoryStore();
}
