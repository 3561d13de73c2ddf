import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisConnection } from '../storage/redis-connection.js';
import { redisKeys } from '../storage/redis-keys.js';
import { ipBudgetKey } from '../shared/ip-budget-key.js';
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
/** a limiter and the key it counts */
type Budget = [RateLimiterAbstract, string];

/** unambiguous whatever characters a client_id or an IPv6 address holds */
const pairKey = (clientId: string, ip: string) => JSON.stringify([clientId, ip]);

/**
 * Failed client authentication and invalid grants per IP and per client, in Redis so that the
 * budget holds across instances (memory in development). A key over its budget stays refused
 * until its window ends.
 */
export class ClientFailureLimiter {
  private readonly perIp: RateLimiterAbstract;
  private readonly perClient: RateLimiterAbstract;
  private readonly perClientAtIp: RateLimiterAbstract;
  private readonly charged: ChargedBudgets | undefined;

  constructor(private readonly redis: RedisConnection | undefined, { failuresPerClient, failuresPerIp, windowSeconds }: ClientFailureBudget) {
    const limiter = (dimension: Dimension, points: number) => {
      const options = { keyPrefix: redisKeys.clientThrottlePrefix(dimension), points, duration: windowSeconds };
      return redis ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true }) : new RateLimiterMemory(options);
    };
    this.perIp = limiter('ip', failuresPerIp);
    this.perClient = limiter('client', failuresPerClient);
    this.perClientAtIp = limiter('client-at-ip', failuresPerClient);
    this.charged = redis ? new ChargedBudgets(redis, windowSeconds) : undefined;
  }

  /** Ends what it listens on (Redis): the instance is stopping. */
  close(): void {
    this.charged?.close();
  }

  /** Milliseconds until this IP, or the client it claims to be, may try again; 0 when it may now. */
  async waitBeforeRetry(ip: string, claimedClient: string | undefined): Promise<number> {
    if (!this.redis) return this.waitInMemory(ip, claimedClient);
    const checked = this.budgetsOf(ip, claimedClient);
    const keys = checked.map(([limiter, key]) => limiter.getKey(key));
    if (await this.charged!.uncharged(keys)) return 0;
    // the counts alone, in one command; how long a spent budget lasts only when one is spent
    const counts = await this.redis.mget(...keys);
    const spent = keys.filter((_, i) => Number(counts[i] ?? 0) >= checked[i]![0].points);
    if (!spent.length) return 0;
    const ttls = await Promise.all(spent.map((key) => this.redis!.pttl(key)));
    return Math.max(0, ...ttls);
  }

  private async waitInMemory(ip: string, claimedClient: string | undefined): Promise<number> {
    const states = await Promise.all(this.budgetsOf(ip, claimedClient).map(([limiter, key]) => limiter.get(key)));
    const spent = states.filter((state): state is RateLimiterRes => state !== null && state.remainingPoints <= 0);
    return spent.length ? Math.max(...spent.map((state) => state.msBeforeNext)) : 0;
  }

  /** The budgets a request is checked against: its IP's and, for a claimed client, the client's and the client's at this IP. */
  private budgetsOf(address: string, claimedClient: string | undefined): Budget[] {
    const ip = ipBudgetKey(address);
    return [[this.perIp, ip], ...(claimedClient ? [[this.perClient, claimedClient], [this.perClientAtIp, pairKey(claimedClient, ip)]] as Budget[] : [])];
  }

  async recordFailure(address: string, client: ChargedClient | undefined): Promise<void> {
    const ip = ipBudgetKey(address);
    const keys: Budget[] = [[this.perIp, ip]];
    if (client?.proven) keys.push([this.perClient, client.clientId]);
    else if (client) keys.push([this.perClientAtIp, pairKey(client.clientId, ip)]);
    await this.charged?.charge(keys.map(([limiter, key]) => limiter.getKey(key)));
    await Promise.all(keys.map(([limiter, key]) => limiter.consume(key).catch((rejection: unknown) => {
      if (rejection instanceof Error) throw rejection;
      // a RateLimiterRes: the budget is spent, which waitBeforeRetry reports from now on
    })));
  }
}
