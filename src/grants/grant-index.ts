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
 * The customer's hash holds three short fields per partner, each small enough for Redis's compact
 * hash encoding (values up to 64 bytes): `g:<client_id>` the grant id, `s:<client_id>`
 * "<createdAt> <expiresAt> <scope>", `u:<client_id>` when it was last used (written apart, without
 * reading the rest). Written before: the summary as JSON under the bare client_id (its values
 * begin with `{`, which no field above holds), and the last use in a hash of its own; both are
 * still read, and removed with the grant.
 */
const GRANT = 'g:';
const SUMMARY = 's:';
const LAST_USED = 'u:';

function summariesIn(hash: Readonly<Record<string, string>>, legacyLastUsed: Readonly<Record<string, string>>): Map<string, GrantSummary> {
  const summaries = new Map<string, GrantSummary>();
  for (const [field, value] of Object.entries(hash)) {
    if (value.startsWith('{')) summaries.set(field, JSON.parse(value) as GrantSummary);
  }
  for (const [field, grantId] of Object.entries(hash)) {
    if (!field.startsWith(GRANT) || grantId.startsWith('{')) continue;
    const clientId = field.slice(GRANT.length);
    const text = hash[SUMMARY + clientId];
    if (!text) continue;
    const [createdAt, expiresAt] = text.split(' ', 2);
    const scope = text.slice(createdAt!.length + expiresAt!.length + 2);
    summaries.set(clientId, { grantId, clientId, scope, createdAt: Number(createdAt), expiresAt: Number(expiresAt) });
  }
  for (const [clientId, summary] of summaries) {
    const lastUsedAt = Math.max(summary.lastUsedAt ?? 0, Number(hash[LAST_USED + clientId] ?? 0), Number(legacyLastUsed[clientId] ?? 0));
    if (lastUsedAt) summaries.set(clientId, { ...summary, lastUsedAt });
  }
  return summaries;
}

/**
 * Direct look-ups from a customer to the grants they gave (one per partner) and from a partner to
 * its customers, so that listing and revoking never scan Redis.
 */
export class GrantIndex {
  constructor(private readonly kv: KeyValueStore) {}

  async record(sub: string, summary: GrantSummary): Promise<void> {
    const { clientId } = summary;
    await this.kv.hashSetFields(redisKeys.customerGrants(sub), {
      [GRANT + clientId]: summary.grantId,
      [SUMMARY + clientId]: `${summary.createdAt} ${summary.expiresAt} ${summary.scope}`,
    });
    await this.kv.hashSet(redisKeys.clientGrants(clientId), summary.grantId, sub);
  }

  async find(sub: string, clientId: string): Promise<GrantSummary | undefined> {
    const [all, lastUsed] = await Promise.all([
      this.kv.hashGetAll(redisKeys.customerGrants(sub)),
      this.kv.hashGet(redisKeys.customerGrantsLastUsed(sub), clientId),
    ]);
    return summariesIn(all, lastUsed ? { [clientId]: lastUsed } : {}).get(clientId);
  }

  /** Only the id of the customer's grant to this partner (resuming an authorization needs no more): one HMGET. */
  async findGrantId(sub: string, clientId: string): Promise<string | undefined> {
    const [grantId, summary, legacy] = await this.kv.hashGetFields(redisKeys.customerGrants(sub), [GRANT + clientId, SUMMARY + clientId, clientId]);
    if (grantId !== undefined && !grantId.startsWith('{') && summary !== undefined) return grantId;
    return legacy?.startsWith('{') ? (JSON.parse(legacy) as GrantSummary).grantId : undefined;
  }

  async listForCustomer(sub: string): Promise<GrantSummary[]> {
    const [all, lastUsed] = await Promise.all([
      this.kv.hashGetAll(redisKeys.customerGrants(sub)),
      this.kv.hashGetAll(redisKeys.customerGrantsLastUsed(sub)),
    ]);
    return [...summariesIn(all, lastUsed).values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  /** grant_id → sub for every customer who granted this partner access */
  async listForClient(clientId: string): Promise<Record<string, string>> {
    return this.kv.hashGetAll(redisKeys.clientGrants(clientId));
  }

  /** One write, no read: a summary removed meanwhile is not brought back (its use is simply not shown). */
  async touch(sub: string, clientId: string, at: number): Promise<void> {
    await this.kv.hashSet(redisKeys.customerGrants(sub), LAST_USED + clientId, String(at));
  }

  async remove(sub: string, summary: Pick<GrantSummary, 'clientId' | 'grantId'>): Promise<void> {
    const { clientId } = summary;
    await this.kv.hashDelete(redisKeys.customerGrants(sub), GRANT + clientId, SUMMARY + clientId, LAST_USED + clientId, clientId);
    await this.kv.hashDelete(redisKeys.customerGrantsLastUsed(sub), clientId);
    await this.kv.hashDelete(redisKeys.clientGrants(clientId), summary.grantId);
  }
}
