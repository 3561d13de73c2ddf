import type { Customer } from '../accounts/customer.js';
import { hashSecret } from '../accounts/secret-hash.js';
import { isCleanText, isValidAnswer, normalizeAnswer, normalizeDigits } from '../accounts/text-input.js';
import { UserNumberCipher } from '../accounts/user-number-cipher.js';
import type { AppContext } from '../services.js';

export interface CustomerChange {
  readonly name?: string;
  /** a new secret question, always with its new answer */
  readonly question?: string;
  readonly answer?: string;
  readonly userNumber?: string;
}

const USER_NUMBER = /^\d{4,16}$/;

/** A change the directory's rules refuse; `field` is the admin API's body field. */
export class CustomerChangeError extends Error {
  constructor(
    readonly field: 'name' | 'question' | 'answer' | 'user_number',
    message: string,
  ) {
    super(message);
    this.name = 'CustomerChangeError';
  }
}

/**
 * Applies an operator's change to a customer's name, secret question and answer, or 利用者番号,
 * with the directory's own rules. Returns the saved record and whether a credential changed
 * (the caller then revokes the customer's grants, as for a new password).
 */
export async function updateCustomer(app: Pick<AppContext, 'customers' | 'keys'>, customer: Customer, change: CustomerChange): Promise<{ customer: Customer; credentialsChanged: boolean }> {
  let next: Customer = customer;
  if (change.name !== undefined) {
    const name = change.name.trim();
    if (!name || name.length > 100 || !isCleanText(name)) throw new CustomerChangeError('name', 'name must be 1–100 printable characters');
    next = { ...next, name };
  }
  if (change.question !== undefined || change.answer !== undefined) {
    const question = (change.question ?? customer.question).trim();
    if (!question || question.length > 100 || !isCleanText(question)) throw new CustomerChangeError('question', 'secret question must be 1–100 printable characters');
    if (change.answer === undefined || !isValidAnswer(change.answer)) throw new CustomerChangeError('answer', 'secret answer must be 1–16 alphanumerics or kana');
    next = { ...next, question, answerHash: await hashSecret(normalizeAnswer(change.answer)) };
  }
  if (change.userNumber !== undefined) {
    const userNumber = normalizeDigits(change.userNumber);
    if (!USER_NUMBER.test(userNumber)) throw new CustomerChangeError('user_number', 'user number must be 4–16 digits');
    next = { ...next, userNumber: new UserNumberCipher(app.keys.dataKeys).seal(userNumber, customer.sub), userNumberLength: userNumber.length };
  }
  await app.customers.save(next);
  return { customer: next, credentialsChanged: change.answer !== undefined || change.userNumber !== undefined };
}
