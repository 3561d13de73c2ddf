import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisConnection } from '../storage/redis-connection.js';
import { redisKeys } from '../storage/redis-keys.js';
import { ChargedBudgets } from './charged-budgets.js';

export interface ClientFailureBudget {
  readonly failuresPerClient: number;
  readonly failuresPerIp: number;
  readonly windowSeconds: number;
}

/**
 * Who a failure is charged to. A client that proved who it is (secret, key or certificate) is
 * charged alone: only its own credentials can spend its budget. A failure nobody proved (a
 * public client, credentials that did not verify) is charged to the claimed client at that IP
 * only, so nobody can lock a partner out by failing in its name from elsewhere.
 */
export interface ChargedClient {
  readonly clientId: string;
  /** the request authenticated as this client with a credential */
  readonly proven: boolean;
}

type Dimension = 'ip' | 'client' | 'client-at-ip';

/** unambiguous whatever characters a client_id or an IPv6 address holds */
const pairKey = (clientId: string, ip: string) => JSON.stringify([clientId, ip]);

/** rate-limiter-flexible's key for `key` under a prefix (RateLimiterAbstract#getKey) */
const limiterKey = (dimension: Dimension, key: string) => `${redisKeys.clientThrottlePrefix(dimension)}:${key}`;

/**
 * Failed client authentication and invalid grants per IP and per client, in Redis so that the
 * budget holds across instances (memory in development). A key over its budget stays refused
 * until its window ends.
 */
export class ClientFailureLimiter {
  private readonly perIp: RateLimiterAbstract;
  private readonly perClient: RateLimiterAbstract;
  private readonly perClientAtIp: RateLimiterAbstract;
  private readonly points: Record<Dimension, number>;
  private readonly charged: ChargedBudgets | undefined;

  constructor(private readonly redis: RedisConnection | undefined, { failuresPerClient, failuresPerIp, windowSeconds }: ClientFailureBudget) {
    const limiter = (dimension: Dimension, points: number) => {
      const options = { keyPrefix: redisKeys.clientThrottlePrefix(dimension), points, duration: windowSeconds };
      return redis ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true }) : new RateLimiterMemory(options);
    };
    this.perIp = limiter('ip', failuresPerIp);
    this.perClient = limiter('client', failuresPerClient);
    this.perClientAtIp = limiter('client-at-ip', failuresPerClient);
    this.points = { ip: failuresPerIp, client: failuresPerClient, 'client-at-ip': failuresPerClient };
    this.charged = redis ? new ChargedBudgets(redis, windowSeconds) : undefined;
  }

  /** Milliseconds until this IP, or the client it claims to be, may try again; 0 when it may now. */
  async waitBeforeRetry(ip: string, claimedClient: string | undefined): Promise<number> {
    if (!this.redis) return this.waitInMemory(ip, claimedClient);
    const checked: [Dimension, string][] = [['ip', ip], ...(claimedClient ? [['client', claimedClient], ['client-at-ip', pairKey(claimedClient, ip)]] as [Dimension, string][] : [])];
    const keys = checked.map(([dimension, key]) => limiterKey(dimension, key));
    if (await this.charged!.uncharged(keys)) return 0;
    // the counts alone, in one command; how long a spent budget lasts only when one is spent
    const counts = await this.redis.mget(...keys);
    const spent = keys.filter((_, i) => Number(counts[i] ?? 0) >= this.points[checked[i]![0]]);
    if (!spent.length) return 0;
    const ttls = await Promise.all(spent.map((key) => this.redis!.pttl(key)));
    return Math.max(0, ...ttls);
  }

  private async waitInMemory(ip: string, claimedClient: string | undefined): Promise<number> {
    const states = await Promise.all([
      this.perIp.get(ip),
      ...(claimedClient ? [this.perClient.get(claimedClient), this.perClientAtIp.get(pairKey(claimedClient, ip))] : []),
    ]);
    const spent = states.filter((state): state is RateLimiterRes => state !== null && state.remainingPoints <= 0);
    return spent.length ? Math.max(...spent.map((state) => state.msBeforeNext)) : 0;
  }

  async recordFailure(ip: string, client: ChargedClient | undefined): Promise<void> {
    const keys: [RateLimiterAbstract, string][] = [[this.perIp, ip]];
    const charged: string[] = [limiterKey('ip', ip)];
    if (client?.proven) {
      keys.push([this.perClient, client.clientId]);
      charged.push(limiterKey('client', client.clientId));
    } else if (client) {
      keys.push([this.perClientAtIp, pairKey(client.clientId, ip)]);
      charged.push(limiterKey('client-at-ip', pairKey(client.clientId, ip)));
    }
    await this.charged?.charge(charged);
    await Promise.all(keys.map(([limiter, key]) => limiter.consume(key).catch((rejection: unknown) => {
      if (rejection instanceof Error) throw rejection;
      // a RateLimiterRes: the budget is spent, which waitBeforeRetry reports from now on
    })));
  }
}
