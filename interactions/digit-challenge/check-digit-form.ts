import type { Customer } from '../../src/accounts/customer.js';
import { readDigitAnswer, type DigitAnswerReads } from '../../src/accounts/customer-reads.js';
import { samePositions } from '../../src/accounts/digit-positions.js';
import type { AppContext } from '../../src/services.js';
import { checkDigits } from '../auth/check-digits.js';
import type { FailureContext } from '../auth/record-failure.js';

/** The digit step's outcome, the same for the authorization screens and 連携サービス管理. */
export type DigitFormResult =
  /**
   * `positionsForgotten`: the command forgetting the positions answered, sent; the caller awaits it
   * with its own next write (one round trip), and before answering
   */
  | { readonly outcome: 'passed'; readonly customer: Customer; readonly positionsForgotten: Promise<void> }
  /** answered correctly in another flow meanwhile: these are the customer's positions now */
  | { readonly outcome: 'moved'; readonly positions: readonly number[] }
  | { readonly outcome: 'failed'; readonly customer: Customer }
  /** not one digit a position: refused, not counted */
  | { readonly outcome: 'malformed' }
  | { readonly outcome: 'locked' }
  | { readonly outcome: 'unknown_customer' };

/**
 * The digits at the customer's positions; never says which one was wrong. After a correct answer
 * the next login is asked newly drawn positions. `read`: the customer's records as the caller has
 * just read them (readDigitAnswer, sent at `at`, a FactorChecks mark), else read here.
 */
export async function checkDigitForm(
  app: AppContext,
  where: FailureContext,
  sub: string,
  askedPositions: readonly number[] | undefined,
  form: ReadonlyMap<string, string>,
  read?: { readonly records: DigitAnswerReads; readonly at: number },
): Promise<DigitFormResult> {
  // one check of a customer at a time; what the caller read is used unless another check ended after it was sent
  return app.factorChecks.run(`customer:${sub}`, async (contended) => {
    const current = read && !contended ? read.records : await readDigitAnswer(app.store.kv, sub);
    return checkDigitFormNow(app, where, askedPositions, form, current);
  }, read?.at);
}

async function checkDigitFormNow(
  app: AppContext,
  where: FailureContext,
  askedPositions: readonly number[] | undefined,
  form: ReadonlyMap<string, string>,
  { customer, heldPositions }: DigitAnswerReads,
): Promise<DigitFormResult> {
  if (!customer) return { outcome: 'unknown_customer' };
  const positions = await app.digitPositions.currentFrom(customer, heldPositions);
  if (!samePositions(positions, askedPositions)) return { outcome: 'moved', positions };
  const outcome = await checkDigits(app, where, customer, positions, form);
  if (outcome === 'failed') return { outcome, customer };
  if (outcome === 'locked' || outcome === 'malformed') return { outcome };
  const positionsForgotten = app.digitPositions.answered(customer);
  // awaited by the caller; until then a failure here must not count as unhandled
  positionsForgotten.catch(() => undefined);
  return { outcome: 'passed', customer, positionsForgotten };
}
