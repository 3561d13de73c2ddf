import { randomBytes } from 'node:crypto';
import type { CustomerDirectory } from '../customer-directory.js';
import type { AccountSource } from './account-source.js';
import { isSameAccount, toBankAccount, type BankAccount } from './bank-account.js';

export type AccountProblem = 'account.invalid' | 'account.not_found' | 'account.duplicate' | 'account.customer_not_found';

export class AccountError extends Error {
  constructor(
    readonly code: AccountProblem,
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

/** At most this many accounts per customer (a consent page lists every one). */
export const MAX_ACCOUNTS = 50;

/** A fresh ID for an account registered in the directory (grants name accounts by it). */
export const newAccountId = () => `acc-${randomBytes(9).toString('base64url')}`;

/** `accounts.source: directory`: the accounts operators register, stored with the customer. */
export class DirectoryAccounts implements AccountSource {
  constructor(private readonly customers: CustomerDirectory) {}

  async listAccounts(sub: string): Promise<readonly BankAccount[]> {
    return (await this.customers.findBySub(sub))?.accounts ?? [];
  }

  async add(sub: string, input: Omit<BankAccount, 'account_id'>): Promise<BankAccount> {
    const customer = await this.customers.findBySub(sub);
    if (!customer) throw new AccountError('account.customer_not_found', 'no such customer');
    const account = toBankAccount({ ...input, account_id: newAccountId() });
    if (!account) throw new AccountError('account.invalid', 'type must be 普通, 当座 or 貯蓄, branch three digits, number 1–10 digits, nickname up to 50 characters');
    const accounts = customer.accounts ?? [];
    if (accounts.some((a) => isSameAccount(a, account))) {
      throw new AccountError('account.duplicate', `the customer already has ${account.type} ${account.branch}-${account.number}`);
    }
    if (accounts.length >= MAX_ACCOUNTS) throw new AccountError('account.invalid', `a customer has at most ${MAX_ACCOUNTS} accounts`);
    await this.customers.save({ ...customer, accounts: [...accounts, account] });
    return account;
  }

  async remove(sub: string, accountId: string): Promise<void> {
    const customer = await this.customers.findBySub(sub);
    const accounts = customer?.accounts ?? [];
    if (!customer || !accounts.some((a) => a.account_id === accountId)) throw new AccountError('account.not_found', `no account ${accountId}`);
    await this.customers.save({ ...customer, accounts: accounts.filter((a) => a.account_id !== accountId) });
  }
}
