import type { RedisConnection } from '../storage/redis-connection.js';
import { redisKeys } from '../storage/redis-keys.js';

export interface TrackedGrant {
  readonly grantId: string;
  readonly clientId: string;
  readonly sub: string;
}

/**
 * When each grant expires, so that the worker notices the ones that ended on their own (their
 * records simply vanish at their TTL) and tells the partner. Claiming a due grant removes it,
 * so exactly one instance reports each expiry.
 */
export interface GrantExpiries {
  track(grant: TrackedGrant, expiresAt: number): Promise<void>;
  untrack(grant: TrackedGrant): Promise<void>;
  claimDue(now: number, limit: number): Promise<TrackedGrant[]>;
}

const member = (g: TrackedGrant) => JSON.stringify([g.grantId, g.clientId, g.sub]);
const parse = (m: string): TrackedGrant => {
  const [grantId, clientId, sub] = JSON.parse(m) as [string, string, string];
  return { grantId, clientId, sub };
};

export class RedisGrantExpiries implements GrantExpiries {
  constructor(private readonly redis: RedisConnection) {}

  async track(grant: TrackedGrant, expiresAt: number): Promise<void> {
    await this.redis.zadd(redisKeys.grantExpiries(), expiresAt, member(grant));
  }

  async untrack(grant: TrackedGrant): Promise<void> {
    await this.redis.zrem(redisKeys.grantExpiries(), member(grant));
  }

  async claimDue(now: number, limit: number): Promise<TrackedGrant[]> {
    const key = redisKeys.grantExpiries();
    const due = await this.redis.zrangebyscore(key, '-inf', now, 'LIMIT', 0, limit);
    const claimed: TrackedGrant[] = [];
    for (const m of due) if ((await this.redis.zrem(key, m)) === 1) claimed.push(parse(m));
    return claimed;
  }
}

export class MemoryGrantExpiries implements GrantExpiries {
  private readonly expiries = new Map<string, number>();

  async track(grant: TrackedGrant, expiresAt: number): Promise<void> {
    this.expiries.set(member(grant), expiresAt);
  }

  async untrack(grant: TrackedGrant): Promise<void> {
    this.expiries.delete(member(grant));
  }

  async claimDue(now: number, limit: number): Promise<TrackedGrant[]> {
    const due = [...this.expiries].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]).slice(0, limit);
    for (const [m] of due) this.expiries.delete(m);
    return due.map(([m]) => parse(m));
  }
}
