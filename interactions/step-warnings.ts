import type { AppContext } from '../src/services.js';
import { attemptsLeft } from './auth/attempts-left.js';
import { asStepError, type StepError } from './step-page.js';

/**
 * A step after the password knows its customer: its error carries the attempts left before the
 * lock, read from the account's failure count (the steps that record failures need not pass it).
 */
export async function withAttemptsLeft(
  app: Pick<AppContext, 'lockout' | 'settings'>,
  customer: { readonly sub: string },
  error: string | StepError | undefined,
): Promise<StepError | undefined> {
  const stepError = asStepError(error);
  if (!stepError || stepError.attemptsLeft !== undefined) return stepError;
  const failures = await app.lockout.failuresSinceSuccess(customer.sub);
  return { ...stepError, attemptsLeft: attemptsLeft(failures, app.settings.config.lockout.maxFailures) };
}
