import type { KeyValueStore } from '../storage/key-value-store.js';
import { redisKeys } from '../storage/redis-keys.js';
import type { CustomerDirectory } from './customer-directory.js';

export interface FailureOutcome {
  readonly failures: number;
  /** this failure locked the account */
  readonly lockedNow: boolean;
}

/** Which factor failed: a wrong secret answer also leaves the answer due at the next sign-in. */
export type FailedFactor = 'password' | 'digits' | 'answer';

/**
 * Consecutive failures of any factor count per account (one shared counter); at `maxFailures`
 * the account locks until an operator unlocks it. A full successful authentication resets it.
 *
 * Beside the count, a mark that the secret answer is due: set by a wrong answer and by an
 * operator's unlock, cleared only by a full success. 連携サービス管理's sign-in (password and
 * digits, no answer) does not reset the count while the mark is there, or it would let someone
 * who holds the password and the 利用者番号 guess the answer without end, a few guesses at a time.
 */
export class Lockout {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly customers: CustomerDirectory,
    private readonly maxFailures: number,
  ) {}

  async recordFailure(sub: string, factor: FailedFactor = 'password'): Promise<FailureOutcome> {
    const [failures] = await Promise.all([
      this.kv.increment(redisKeys.customerFailures(sub)),
      factor === 'answer' ? this.kv.set(redisKeys.customerAnswerDue(sub), '1') : undefined,
    ]);
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

  /** The answer-due mark as stored (redisKeys.customerAnswerDue), for a caller that read it with other keys of the customer. */
  static answerDueIn(stored: string | undefined): boolean {
    return stored !== undefined;
  }

  /** After a full successful authentication: the count and the answer-due mark, in one command. */
  async reset(sub: string): Promise<void> {
    await this.kv.delete(redisKeys.customerFailures(sub), redisKeys.customerAnswerDue(sub));
  }

  /**
   * After a sign-in that asked no secret answer (連携サービス管理): the count starts again unless
   * the answer is due, in which case it stands until a full success. True when it was reset.
   * One step: a wrong answer another browser gives meanwhile is never wiped with the count.
   */
  resetUnlessAnswerDue(sub: string): Promise<boolean> {
    return this.kv.deleteUnlessExists(redisKeys.customerFailures(sub), redisKeys.customerAnswerDue(sub));
  }

  /**
   * Operator unlock: active again with a clean count. The answer stays due: the failures that
   * locked the account were not followed by a success, so the next sign-in asks for it.
   */
  async unlock(sub: string): Promise<void> {
    await Promise.all([this.kv.delete(redisKeys.customerFailures(sub)), this.kv.set(redisKeys.customerAnswerDue(sub), '1')]);
    await this.customers.setStatus(sub, 'active');
  }
}
