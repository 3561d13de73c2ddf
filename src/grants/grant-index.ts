import type { KeyValueStore } from '../storage/key-value-store.js';
import { redisKeys } from '../storage/redis-keys.js';

/** What the customer's connection list shows about one partner's access. */
export interface GrantSummary {
  readonly grantId: string;
  readonly clientId: string;
  readonly scope: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly lastUsedAt?: number;
}

/** The later of the use recorded in the summary (older records) and the one recorded apart. */
function withLastUse(summary: GrantSummary, recorded: string | undefined): GrantSummary {
  const lastUsedAt = Math.max(summary.lastUsedAt ?? 0, Number(recorded ?? 0));
  return lastUsedAt ? { ...summary, lastUsedAt } : summary;
}

/**
 * Direct look-ups from a customer to the grants they gave (one per partner) and from a partner to
 * its customers, so that listing and revoking never scan Redis.
 */
export class GrantIndex {
  constructor(private readonly kv: KeyValueStore) {}

  async record(sub: string, summary: GrantSummary): Promise<void> {
    await this.kv.hashSet(redisKeys.customerGrants(sub), summary.clientId, JSON.stringify(summary));
    await this.kv.hashSet(redisKeys.clientGrants(summary.clientId), summary.grantId, sub);
  }

  async find(sub: string, clientId: string): Promise<GrantSummary | undefined> {
    const [json, lastUsed] = await Promise.all([
      this.kv.hashGet(redisKeys.customerGrants(sub), clientId),
      this.kv.hashGet(redisKeys.customerGrantsLastUsed(sub), clientId),
    ]);
    return json ? withLastUse(JSON.parse(json) as GrantSummary, lastUsed) : undefined;
  }

  async listForCustomer(sub: string): Promise<GrantSummary[]> {
    const [all, lastUsed] = await Promise.all([
      this.kv.hashGetAll(redisKeys.customerGrants(sub)),
      this.kv.hashGetAll(redisKeys.customerGrantsLastUsed(sub)),
    ]);
    return Object.entries(all)
      .map(([clientId, json]) => withLastUse(JSON.parse(json) as GrantSummary, lastUsed[clientId]))
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** grant_id → sub for every customer who granted this partner access */
  async listForClient(clientId: string): Promise<Record<string, string>> {
    return this.kv.hashGetAll(redisKeys.clientGrants(clientId));
  }

  /** One write, no read: a summary removed meanwhile is not brought back (its use is simply not shown). */
  async touch(sub: string, clientId: string, at: number): Promise<void> {
    await this.kv.hashSet(redisKeys.customerGrantsLastUsed(sub), clientId, String(at));
  }

  async remove(sub: string, summary: Pick<GrantSummary, 'clientId' | 'grantId'>): Promise<void> {
    await this.kv.hashDelete(redisKeys.customerGrants(sub), summary.clientId);
    await this.kv.hashDelete(redisKeys.customerGrantsLastUsed(sub), summary.clientId);
    await this.kv.hashDelete(redisKeys.clientGrants(summary.clientId), summary.grantId);
  }
}
