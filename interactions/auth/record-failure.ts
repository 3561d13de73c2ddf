import type { Customer } from '../../src/accounts/customer.js';
import type { FailedFactor, FailureOutcome } from '../../src/accounts/lockout.js';
import type { AppContext } from '../../src/services.js';

/** Who is trying, for audit events and the per-IP throttle. */
export interface FailureContext {
  readonly ip: string;
  readonly client_id?: string | undefined;
  readonly interaction_id?: string | undefined;
}

const FACTOR_OF = { 'login.failure': 'password', 'digits.failure': 'digits', 'additional_auth.failure': 'answer' } as const satisfies Record<string, FailedFactor>;

/** Counts a failed factor everywhere it counts: the account's lockout and the IP's throttle. */
export async function recordFactorFailure(
  app: AppContext,
  where: FailureContext,
  customer: Customer,
  event: 'login.failure' | 'digits.failure' | 'additional_auth.failure',
  reason: string,
): Promise<FailureOutcome> {
  const { failures, lockedNow } = await app.lockout.recordFailure(customer.sub, FACTOR_OF[event]);
  await app.throttle.recordFailure(where.ip);
  const fields = { ...where, login_id: customer.loginId, sub: customer.sub };
  app.audit(event, { ...fields, reason });
  if (lockedNow) app.audit('account.locked', { ...fields, reason: 'too_many_failures' });
  return { failures, lockedNow };
}
