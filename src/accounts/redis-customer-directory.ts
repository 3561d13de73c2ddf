import type { RedisConnection } from '../storage/redis-connection.js';
import { redisKeys } from '../storage/redis-keys.js';
import { guardStore } from '../storage/store-errors.js';
import type { Customer, CustomerDirectory } from './customer.js';

export class RedisCustomerDirectory implements CustomerDirectory {
  constructor(private readonly redis: RedisConnection) {}

  findBySub(sub: string): Promise<Customer | undefined> {
    return guardStore(async () => {
      const json = await this.redis.get(redisKeys.customer(sub));
      return json ? (JSON.parse(json) as Customer) : undefined;
    });
  }

  save(customer: Customer): Promise<void> {
    return guardStore(async () => {
      await this.redis.set(redisKeys.customer(customer.sub), JSON.stringify(customer));
    });
  }
}
