import type { KeyValueStore } from '../storage/key-value-store.js';
import { redisKeys } from '../storage/redis-keys.js';
import type { Customer } from './customer.js';
import { parseCustomer } from './customer-directory.js';
import { DeviceRegistry } from './device-registry.js';
import { Lockout } from './lockout.js';

/** What a 利用者番号 answer is checked against, and what the risk policy reads after a correct one. */
export interface DigitAnswerReads {
  readonly customer: Customer | undefined;
  /** the positions record as stored (DigitPositions.currentFrom), undefined when absent */
  readonly heldPositions: string | undefined;
  readonly failuresSinceSuccess: number;
  readonly answerDue: boolean;
  /** whether the device's record (DeviceRegistry.recordKey) was found; undefined when no device was asked about */
  readonly deviceFound: boolean | undefined;
}

/**
 * The customer's record, the positions asked, the failure count and (given a device id) this
 * browser's device record: all in the customer's hash slot, so read in one command rather than
 * one round trip each.
 */
export async function readDigitAnswer(kv: KeyValueStore, sub: string, deviceId?: string): Promise<DigitAnswerReads> {
  const keys = [redisKeys.customer(sub), redisKeys.customerDigitPositions(sub), redisKeys.customerFailures(sub), redisKeys.customerAnswerDue(sub)];
  if (deviceId) keys.push(DeviceRegistry.recordKey(sub, deviceId));
  const [customer, heldPositions, failures, answerDue, device] = await kv.getMany(keys);
  return {
    customer: parseCustomer(customer),
    heldPositions,
    failuresSinceSuccess: Lockout.failuresIn(failures),
    answerDue: Lockout.answerDueIn(answerDue),
    deviceFound: deviceId ? device !== undefined : undefined,
  };
}

/** What a secret answer is checked against, and the failure count and answer-due mark its success resets. */
export interface AnswerReads {
  readonly customer: Customer | undefined;
  readonly failuresSinceSuccess: number;
  readonly answerDue: boolean;
}

/** The customer's record, failure count and answer-due mark (one hash slot), in one command. */
export async function readAnswer(kv: KeyValueStore, sub: string): Promise<AnswerReads> {
  const [customer, failures, answerDue] = await kv.getMany([redisKeys.customer(sub), redisKeys.customerFailures(sub), redisKeys.customerAnswerDue(sub)]);
  return { customer: parseCustomer(customer), failuresSinceSuccess: Lockout.failuresIn(failures), answerDue: Lockout.answerDueIn(answerDue) };
}
