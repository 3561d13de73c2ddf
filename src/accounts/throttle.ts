import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisConnection } from '../storage/redis-connection.js';
import { redisKeys } from '../storage/redis-keys.js';
import { guardStore } from '../storage/store-errors.js';

/**
 * Failed attempts per client IP, across all accounts, in Redis so the limit holds across
 * instances (memory in development). When the budget is spent, attempts answer 429 until the
 * window passes.
 */
export class Throttle {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    redis: RedisConnection | undefined,
    { failuresPerIp, windowSeconds }: { failuresPerIp: number; windowSeconds: number },
    private readonly onRefused: () => void = () => {},
  ) {
    const options = { keyPrefix: redisKeys.throttlePrefix(), points: failuresPerIp, duration: windowSeconds };
    this.limiter = redis ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true }) : new RateLimiterMemory(options);
  }

  isBlocked(ip: string): Promise<boolean> {
    return guardStore(async () => {
      const state = await this.limiter.get(ip);
      const blocked = state !== null && state.remainingPoints <= 0;
      // every caller refuses the request (429) when blocked
      if (blocked) this.onRefused();
      return blocked;
    });
  }

  recordFailure(ip: string): Promise<void> {
    return guardStore(async () => {
      try {
        await this.limiter.consume(ip);
      } catch (rejection) {
        if (rejection instanceof Error) throw rejection;
        // a RateLimiterRes: the budget is spent, which isBlocked reports from now on
      }
    });
  }
}
