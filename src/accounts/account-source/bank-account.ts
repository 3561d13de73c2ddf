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

/** An account as an operator gives it: everything but the ID renkei assigns. */
export type AccountFields = Omit<BankAccount, 'account_id'>;

/** What is wrong with an account's type, branch, number or nickname (the first problem); undefined when nothing is. */
export function accountFieldsProblem(value: Record<string, unknown>): string | undefined {
  const { type, branch, number, nickname } = value;
  if (typeof type !== 'string' || !(ACCOUNT_TYPES as readonly string[]).includes(type)) return 'type must be 普通, 当座 or 貯蓄';
  if (typeof branch !== 'string' || !BRANCH.test(branch)) return 'branch must be three digits';
  if (typeof number !== 'string' || !NUMBER.test(number)) return 'number must be 1–10 digits';
  if (nickname !== undefined && nickname !== null && (typeof nickname !== 'string' || nickname.length > 50)) return 'nickname must be at most 50 characters';
  return undefined;
}

/** The same account: same type, branch and number (the nickname is only a label). */
export const isSameAccount = (a: AccountFields, b: AccountFields) => a.type === b.type && a.branch === b.branch && a.number === b.number;

/** A record from the account service or an operator, checked; undefined when it is not an account. */
export function toBankAccount(value: unknown): BankAccount | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { account_id: accountId, type, branch, number, nickname } = record;
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) return undefined;
  if (accountFieldsProblem(record) !== undefined) return undefined;
  return { account_id: accountId, type: type as AccountType, branch: branch as string, number: number as string, ...(typeof nickname === 'string' && nickname ? { nickname } : {}) };
}

/** 口座番号 as screens show it: every digit but the last four masked. */
export function maskAccountNumber(number: string): string {
  return number.length <= 4 ? number : `${'*'.repeat(number.length - 4)}${number.slice(-4)}`;
}
