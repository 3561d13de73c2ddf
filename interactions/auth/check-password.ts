import type { Customer } from '../../src/accounts/customer.js';
import { verifyAgainstDummy } from '../../src/accounts/secret-hash.js';
import { canonicalLoginId } from '../../src/accounts/text-input.js';
import type { AppContext } from '../../src/services.js';
import { recordFactorFailure, type FailureContext } from './record-failure.js';

export type PasswordOutcome =
  | { readonly outcome: 'ok'; readonly customer: Customer }
  | { readonly outcome: 'failed' }
  | { readonly outcome: 'locked' };

/**
 * Login ID + password. Unknown IDs and wrong passwords fail alike, in the same time (a dummy hash
 * is verified); `locked` is reported only when the correct password was given.
 */
export async function checkPassword(app: AppContext, where: FailureContext, rawLoginId: string, password: string): Promise<PasswordOutcome> {
  const customer = await app.customers.findByLoginId(rawLoginId);
  if (!customer) {
    await verifyAgainstDummy(password);
    await app.throttle.recordFailure(where.ip);
    app.audit('login.failure', { ...where, login_id: canonicalLoginId(rawLoginId), reason: 'unknown_login_id' });
    return { outcome: 'failed' };
  }
  const passwordOk = await app.customers.verifyPassword(customer, password);
  if (customer.status === 'locked') {
    if (!passwordOk) await app.throttle.recordFailure(where.ip);
    app.audit('login.failure', { ...where, login_id: customer.loginId, sub: customer.sub, reason: 'account_locked' });
    return passwordOk ? { outcome: 'locked' } : { outcome: 'failed' };
  }
  if (!passwordOk) {
    await recordFactorFailure(app, where, customer, 'login.failure', 'wrong_password');
    return { outcome: 'failed' };
  }
  return { outcome: 'ok', customer };
}
