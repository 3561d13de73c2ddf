import { defineScript, type RedisConnection, type Script } from '../storage/redis-connection.js';
import { redisKeys } from '../storage/redis-keys.js';

export interface TrackedGrant {
  readonly grantId: string;
  readonly clientId: string;
  readonly sub: string;
}

/**
 * When each grant expires, so that the worker notices the ones that ended on their own (their
 * records simply vanish at their TTL) and tells the partner. Claiming a due grant moves it
 * `CLAIM_LEASE_MS` ahead rather than removing it, so exactly one instance reports each expiry and
 * one that fails half-way (the store away, the process ended) leaves it due again after the lease;
 * reporting it (session-revoked, untrack) or finding it extended (track) settles it.
 */
export interface GrantExpiries {
  track(grant: TrackedGrant, expiresAt: number): Promise<void>;
  untrack(grant: TrackedGrant): Promise<void>;
  claimDue(now: number, limit: number): Promise<TrackedGrant[]>;
}

export const CLAIM_LEASE_MS = 60_000;

/** KEYS: the expiry set. ARGV: now, limit, lease end. The due members, each moved to the lease end. */
const CLAIM_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, m in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[3], m) end
return due
`;

const member = (g: TrackedGrant) => JSON.stringify([g.grantId, g.clientId, g.sub]);
const parse = (m: string): TrackedGrant => {
  const [grantId, clientId, sub] = JSON.parse(m) as [string, string, string];
  return { grantId, clientId, sub };
};

export class RedisGrantExpiries implements GrantExpiries {
  private readonly claim: Script;

  constructor(private readonly redis: RedisConnection) {
    this.claim = defineScript(redis, 'renkeiClaimDueExpiries', 1, CLAIM_DUE);
  }

  async track(grant: TrackedGrant, expiresAt: number): Promise<void> {
    await this.redis.zadd(redisKeys.grantExpiries(), expiresAt, member(grant));
  }

  async untrack(grant: TrackedGrant): Promise<void> {
    await this.redis.zrem(redisKeys.grantExpiries(), member(grant));
  }

  async claimDue(now: number, limit: number): Promise<TrackedGrant[]> {
    const key = redisKeys.grantExpiries();
    // a plain read first: the sweep runs every round, and almost every round finds nothing due
    if ((await this.redis.zcount(key, '-inf', now)) === 0) return [];
    const due = (await this.claim([key], [now, limit, now + CLAIM_LEASE_MS])) as string[];
    return due.map(parse);
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
    for (const [m] of due) this.expiries.set(m, now + CLAIM_LEASE_MS);
    return due.map(([m]) => parse(m));
  }
}
