import { randomBytes, randomInt } from 'node:crypto';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { redisKeys } from '../storage/redis-keys.js';
import type { Customer } from './customer.js';

/** `count` distinct 1-based positions of a number `length` digits long, chosen with a CSPRNG, ascending. */
export function choosePositions(length: number, count: number): number[] {
  const pool = Array.from({ length }, (_, i) => i + 1);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, Math.max(0, Math.min(count, length))).sort((a, b) => a - b);
}

export function samePositions(a: readonly number[], b: readonly number[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((position, i) => position === b[i]);
}

/** The positions a customer is asked, as stored; `draw` changes with every new draw. */
export interface DigitPositionsRecord {
  readonly positions: readonly number[];
  readonly draw: string;
}

/**
 * The 利用者番号 positions asked of a customer, fixed per customer (not per interaction) until
 * answered correctly, so that restarting, reloading or abandoning a screen never shows other
 * positions: someone who knows a few digits cannot shop for positions they know.
 */
export class DigitPositions {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly count: number,
  ) {}

  async record(sub: string): Promise<DigitPositionsRecord | undefined> {
    const json = await this.kv.get(redisKeys.customerDigitPositions(sub));
    return json ? (JSON.parse(json) as DigitPositionsRecord) : undefined;
  }

  /** The positions to ask now: the stored ones, or (first time, or the number's length changed) a new draw. */
  async current(customer: Customer): Promise<readonly number[]> {
    const fresh = this.draw(customer);
    const key = redisKeys.customerDigitPositions(customer.sub);
    // one command: two first logins racing both ask the first draw
    const held = await this.kv.setIfAbsentElseGet(key, JSON.stringify(fresh));
    if (held === undefined) return fresh.positions;
    const stored = JSON.parse(held) as DigitPositionsRecord;
    if (this.fits(stored.positions, customer)) return stored.positions;
    await this.kv.set(key, JSON.stringify(fresh));
    return fresh.positions;
  }

  /**
   * `current`, from the record as the caller has just read it (`held`, undefined when absent): no
   * command when it holds positions that fit; otherwise as `current` (a first draw, or a new one).
   */
  async currentFrom(customer: Customer, held: string | undefined): Promise<readonly number[]> {
    if (held !== undefined) {
      const stored = JSON.parse(held) as DigitPositionsRecord;
      if (this.fits(stored.positions, customer)) return stored.positions;
    }
    return this.current(customer);
  }

  /**
   * After a correct answer: the positions are forgotten, and the next login draws new ones (kept
   * from then on until answered). Nothing is stored for a customer with no answer pending.
   */
  async answered(customer: Customer): Promise<void> {
    await this.kv.delete(redisKeys.customerDigitPositions(customer.sub));
  }

  private draw(customer: Customer): DigitPositionsRecord {
    return { positions: choosePositions(customer.userNumberLength, this.count), draw: randomBytes(12).toString('base64url') };
  }

  private fits(positions: readonly number[], customer: Customer): boolean {
    const expected = Math.min(this.count, customer.userNumberLength);
    return positions.length === expected && positions.every((p) => Number.isInteger(p) && p >= 1 && p <= customer.userNumberLength);
  }
}
