import { createHash } from 'node:crypto';
import type { Customer } from '../../src/accounts/customer.js';
import { verifyAgainstDummy } from '../../src/accounts/secret-hash.js';
import { canonicalLoginId } from '../../src/accounts/text-input.js';
import type { AppContext } from '../../src/services.js';
import { redisKeys } from '../../src/storage/redis-keys.js';
import { attemptsLeft } from './attempts-left.js';
import { recordFactorFailure, type FailureContext } from './record-failure.js';

export type PasswordOutcome =
  | { readonly outcome: 'ok'; readonly customer: Customer }
  | { readonly outcome: 'failed'; readonly attemptsLeft?: number | undefined }
  | { readonly outcome: 'locked' };

/** A sub no customer has (subs are UUIDs): read in place of a record, for the time it takes. */
const NOBODY = 'nobody';

/** How long the stand-in failure count of a login ID nobody holds is kept. */
const UNKNOWN_ID_COUNT_SECONDS = 24 * 3600;

/**
 * Counts failures for a login ID nobody holds, as if it were an account's, so that the
 * "attempts left" warning cannot tell registered login IDs from unregistered ones.
 */
async function countUnknownIdFailure(app: AppContext, rawLoginId: string): Promise<number | undefined> {
  const loginId = canonicalLoginId(rawLoginId);
  if (!loginId) return undefined;
  const standIn = `unknown-${createHash('sha256').update(loginId).digest('base64url')}`;
  const failures = await app.store.kv.increment(redisKeys.customerFailures(standIn), UNKNOWN_ID_COUNT_SECONDS);
  return attemptsLeft(failures, app.settings.config.lockout.maxFailures);
}

/**
 * Login ID + password. Unknown IDs and wrong passwords fail alike, in the same time (a dummy hash
 * is verified) and with the same warnings; `locked` is reported only when the correct password was given.
 */
export function checkPassword(app: AppContext, where: FailureContext, rawLoginId: string, password: string): Promise<PasswordOutcome> {
  // the account's standing is read inside: one check of a login ID at a time (factor-checks.ts)
  return app.factorChecks.run(`login:${canonicalLoginId(rawLoginId)}`, () => checkPasswordNow(app, where, rawLoginId, password));
}

async function checkPasswordNow(app: AppContext, where: FailureContext, rawLoginId: string, password: string): Promise<PasswordOutcome> {
  const customer = await app.customers.findByLoginId(rawLoginId);
  if (!customer) {
    // the round trip a known ID's look-up makes after the index (its record), so that the time
    // of the answer does not tell registered IDs from the others
    await app.customers.findBySub(NOBODY);
    await verifyAgainstDummy(password);
    await app.throttle.recordFailure(where.ip);
    app.audit('login.failure', { ...where, login_id: canonicalLoginId(rawLoginId), reason: 'unknown_login_id' });
    return { outcome: 'failed', attemptsLeft: await countUnknownIdFailure(app, rawLoginId) };
  }
  const passwordOk = await app.customers.verifyPassword(customer, password);
  if (customer.status === 'locked') {
    if (!passwordOk) await app.throttle.recordFailure(where.ip);
    app.audit('login.failure', { ...where, login_id: customer.loginId, sub: customer.sub, reason: 'account_locked' });
    return passwordOk ? { outcome: 'locked' } : { outcome: 'failed' };
  }
  if (!passwordOk) {
    // the count this failure reached: no second read of it, one round trip fewer than before
    const { failures, lockedNow } = await recordFactorFailure(app, where, customer, 'login.failure', 'wrong_password');
    return { outcome: 'failed', attemptsLeft: lockedNow ? undefined : attemptsLeft(failures, app.settings.config.lockout.maxFailures) };
  }
  return { outcome: 'ok', customer };
}
