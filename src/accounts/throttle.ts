import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisConnection } from '../storage/redis-connection.js';
import { redisKeys } from '../storage/redis-keys.js';
import { guardStore } from '../storage/store-errors.js';
import { ipBudgetKey } from '../shared/ip-budget-key.js';

/** An IP's failed attempts in the current window, as read at one moment. */
export interface IpStanding {
  readonly failures: number;
}

/**
 * Failed attempts per client IP, across all accounts, in Redis so the limit holds across
 * instances (memory in development). When the budget is spent, attempts answer 429 until the
 * window passes.
 */
export class Throttle {
  private readonly limiter: RateLimiterAbstract;
  private readonly failuresPerIp: number;

  constructor(
    private readonly redis: RedisConnection | undefined,
    { failuresPerIp, windowSeconds }: { failuresPerIp: number; windowSeconds: number },
    private readonly onRefused: () => void = () => {},
  ) {
    const options = { keyPrefix: redisKeys.throttlePrefix(), points: failuresPerIp, duration: windowSeconds };
    this.limiter = redis ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true }) : new RateLimiterMemory(options);
    this.failuresPerIp = failuresPerIp;
  }

  /**
   * The IP's failures in the current window. In Redis, one GET of the limiter's own counter (its
   * `get` adds a MULTI with the counter's PTTL, which only the limiter's answer needs).
   */
  private async failures(ip: string): Promise<number> {
    if (!this.redis) return (await this.limiter.get(ip))?.consumedPoints ?? 0;
    if (this.redis.status !== 'ready') throw new Error('Redis connection is not ready');
    return Number((await this.redis.get(this.limiter.getKey(ip))) ?? 0);
  }

  /** The IP's failures, read now (one command), for `refuses` to judge when the request comes to it. */
  readStanding(ip: string): Promise<IpStanding> {
    return guardStore(async () => ({ failures: await this.failures(ipBudgetKey(ip)) }));
  }

  /**
   * Whether the IP's budget is spent, as `readStanding` read it, with `pending` attempts of the IP
   * still being verified (each may yet fail); the caller refuses the request (429) when it is.
   */
  refuses({ failures }: IpStanding, pending = 0): boolean {
    const blocked = failures + pending >= this.failuresPerIp;
    if (blocked) this.onRefused();
    return blocked;
  }

  recordFailure(ip: string): Promise<void> {
    return guardStore(async () => {
      try {
        await this.limiter.consume(ipBudgetKey(ip));
      } catch (rejection) {
        if (rejection instanceof Error) throw rejection;
        // a RateLimiterRes: the budget is spent, which readStanding reads from now on
      }
    });
  }
}
