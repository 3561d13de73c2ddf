import { errors } from 'oidc-provider';
import type { BankAccount } from './bank-account.js';

/** Where a customer's accounts come from (`accounts.source`): the one question consent asks of it. */
export interface AccountSource {
  listAccounts(sub: string): Promise<readonly BankAccount[]>;
}

/** How long a customer is told to wait when the account service does not answer. */
export const ACCOUNT_SOURCE_RETRY_AFTER_SECONDS = 30;

/**
 * The account service did not answer (or answered nonsense): the customer sees the 503 page with
 * 連携先に戻る, and nothing is granted.
 */
export class AccountSourceUnavailable extends errors.OIDCProviderError {
  readonly retryAfterSeconds = ACCOUNT_SOURCE_RETRY_AFTER_SECONDS;

  constructor(readonly failure: string) {
    super(503, 'temporarily_unavailable');
    this.expose = true;
    Object.assign(this, { error_description: 'the account service is temporarily unavailable, try again later' });
  }
}
