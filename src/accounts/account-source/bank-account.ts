/** The kinds of deposit account the credit union keeps (as its account service names them). */
export const ACCOUNT_TYPES = ['普通', '当座', '貯蓄'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** One of a customer's accounts as partners and screens see it (wire names, as the account service sends them). */
export interface BankAccount {
  readonly account_id: string;
  readonly type: AccountType;
  /** 支店番号, three digits */
  readonly branch: string;
  /** 口座番号, digits only */
  readonly number: string;
  readonly nickname?: string | undefined;
}

const ACCOUNT_ID = /^[A-Za-z0-9._~-]{1,64}$/;
const BRANCH = /^\d{3}$/;
const NUMBER = /^\d{1,10}$/;

/** A record from the account service or an operator, checked; undefined when it is not an account. */
export function toBankAccount(value: unknown): BankAccount | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { account_id: accountId, type, branch, number, nickname } = value as Record<string, unknown>;
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) return undefined;
  if (typeof type !== 'string' || !(ACCOUNT_TYPES as readonly string[]).includes(type)) return undefined;
  if (typeof branch !== 'string' || !BRANCH.test(branch) || typeof number !== 'string' || !NUMBER.test(number)) return undefined;
  if (nickname !== undefined && nickname !== null && (typeof nickname !== 'string' || nickname.length > 50)) return undefined;
  return { account_id: accountId, type: type as AccountType, branch, number, ...(typeof nickname === 'string' && nickname ? { nickname } : {}) };
}

/** 口座番号 as screens show it: every digit but the last four masked. */
export function maskAccountNumber(number: string): string {
  return number.length <= 4 ? number : `${'*'.repeat(number.length - 4)}${number.slice(-4)}`;
}
