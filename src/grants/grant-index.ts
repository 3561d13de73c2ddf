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
    const json = await this.kv.hashGet(redisKeys.customerGrants(sub), clientId);
    return json ? (JSON.parse(json) as GrantSummary) : undefined;
  }

  async listForCustomer(sub: string): Promise<GrantSummary[]> {
    const all = await this.kv.hashGetAll(redisKeys.customerGrants(sub));
    return Object.values(all)
      .map((json) => JSON.parse(json) as GrantSummary)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** grant_id → sub for every customer who granted this partner access */
  async listForClient(clientId: string): Promise<Record<string, string>> {
    return this.kv.hashGetAll(redisKeys.clientGrants(clientId));
  }

  async touch(sub: string, clientId: string, at: number): Promise<void> {
    const summary = await this.find(sub, clientId);
    if (summary) await this.kv.hashSet(redisKeys.customerGrants(sub), clientId, JSON.stringify({ ...summary, lastUsedAt: at }));
  }

  async remove(sub: string, summary: Pick<GrantSummary, 'clientId' | 'grantId'>): Promise<void> {
    await this.kv.hashDelete(redisKeys.customerGrants(sub), summary.clientId);
    await this.kv.hashDelete(redisKeys.clientGrants(summary.clientId), summary.grantId);
  }
}
