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

/**
 * How many login IDs nobody holds have their failures counted: about 100 bytes each in Redis,
 * so the count cannot be made to fill Redis by trying ever new IDs.
 */
const UNKNOWN_ID_COUNTS_KEPT = 100_000;

/**
 * Counts failures for a login ID nobody holds, as if it were an account's, so that the
 * "attempts left" warning cannot tell registered login IDs from unregistered ones. An account's
 * count never expires (it ends with a success or an unlock), so neither does this one: a count
 * that lapsed would tell, to someone who failed three times and came back after it, that no
 * account holds the ID. It can be pushed out only by failures for UNKNOWN_ID_COUNTS_KEPT other
 * IDs (at the default throttle, about three weeks of one IP's failed attempts), each pushing out
 * a count chosen at random.
 */
async function countUnknownIdFailure(app: AppContext, rawLoginId: string): Promise<number | undefined> {
  const loginId = canonicalLoginId(rawLoginId);
  if (!loginId) return undefined;
  const digest = createHash('sha256').update(loginId).digest('base64url');
  const failures = await app.store.kv.incrementBoundedField(redisKeys.unknownLoginIdFailures(), digest, UNKNOWN_ID_COUNTS_KEPT);
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
