import type { Customer } from '../../src/accounts/customer.js';
import { normalizeDigits } from '../../src/accounts/text-input.js';
import type { AppContext } from '../../src/services.js';
import { recordFactorFailure, type FailureContext } from './record-failure.js';

export type DigitsOutcome = 'ok' | 'failed' | 'locked';

/** The digits at the asked positions (full-width accepted); a failure never says which digit. */
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
  if (wellFormed && app.customers.digitsMatch(customer, answers)) return 'ok';
  const { lockedNow } = await recordFactorFailure(app, where, customer, 'digits.failure', wellFormed ? 'wrong_digits' : 'malformed_digits');
  return lockedNow ? 'locked' : 'failed';
}
