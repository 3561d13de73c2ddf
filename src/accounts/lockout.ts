import type { KeyValueStore } from '../storage/key-value-store.js';
import { redisKeys } from '../storage/redis-keys.js';
import type { CustomerDirectory } from './customer-directory.js';

export interface FailureOutcome {
  readonly failures: number;
  /** this failure locked the account */
  readonly lockedNow: boolean;
}

/**
 * Consecutive failures of any factor count per account (one shared counter); at `maxFailures`
 * the account locks until an operator unlocks it. A full successful authentication resets it.
 */
export class Lockout {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly customers: CustomerDirectory,
    private readonly maxFailures: number,
  ) {}

  async recordFailure(sub: string): Promise<FailureOutcome> {
    const failures = await this.kv.increment(redisKeys.customerFailures(sub));
    const lockedNow = failures === this.maxFailures;
    if (failures >= this.maxFailures) await this.customers.setStatus(sub, 'locked');
    return { failures, lockedNow };
  }

  async failuresSinceSuccess(sub: string): Promise<number> {
    return Lockout.failuresIn(await this.kv.get(redisKeys.customerFailures(sub)));
  }

  /** The count as stored (redisKeys.customerFailures), for a caller that read it with other keys of the customer. */
  static failuresIn(stored: string | undefined): number {
    return Number(stored ?? 0);
  }

  async reset(sub: string): Promise<void> {
    await this.kv.delete(redisKeys.customerFailures(sub));
  }

  /** Operator unlock: active again with a clean count. */
  async unlock(sub: string): Promise<void> {
    await this.reset(sub);
    await this.customers.setStatus(sub, 'active');
  }
}
