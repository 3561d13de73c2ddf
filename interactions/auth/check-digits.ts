import type { Customer } from '../../src/accounts/customer.js';
import { normalizeDigits } from '../../src/accounts/text-input.js';
import type { AppContext } from '../../src/services.js';
import { recordFactorFailure, type FailureContext } from './record-failure.js';

export type DigitsOutcome = 'ok' | 'failed' | 'locked' | 'malformed';

/**
 * The digits at the asked positions (full-width accepted); a failure never says which digit.
 * An answer that is not one digit a position (a letter, ①, a space, an empty field) is
 * `malformed`: refused without counting against the account, since it cannot be a guess.
 */
export async function checkDigits(
  app: AppContext,
  where: FailureContext,
  customer: Customer,
  positions: readonly number[],
  form: ReadonlyMap<string, string>,
): Promise<DigitsOutcome> {
  if (customer.status === 'locked') return 'locked';
  const answers = new Map(positions.map((position) => [position, normalizeDigits(form.get(`digit_${position}`) ?? '')]));
  const wellFormed = answers.size > 0 && [...answers.values()].every((digit) => /^[0-9]$/.test(digit));
  if (!wellFormed) return 'malformed';
  if (app.customers.digitsMatch(customer, answers)) return 'ok';
  const { lockedNow } = await recordFactorFailure(app, where, customer, 'digits.failure', 'wrong_digits');
  return lockedNow ? 'locked' : 'failed';
}
