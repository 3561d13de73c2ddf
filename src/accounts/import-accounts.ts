import { accountFieldsProblem, isSameAccount, type AccountFields, type AccountType } from './account-source/bank-account.js';
import { MAX_ACCOUNTS } from './account-source/directory-accounts.js';

const ACCOUNT_KEYS = ['type', 'branch', 'number', 'nickname'];
const CELL_FORM = 'write each as type:branch:number or type:branch:number:nickname, separated by ";"';

export type AccountsCheck = { readonly accounts: readonly AccountFields[] } | { readonly problems: readonly string[] };

/**
 * One CSV cell holding a customer's accounts: `普通:001:1234567:生活費;当座:002:7654321`. Accounts
 * are separated by `;`, and a nickname may itself hold `:` (only the first three separate fields).
 */
function accountsOfCell(cell: string): unknown[] | string {
  const entries = cell.split(';').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const accounts: unknown[] = [];
  for (const [index, entry] of entries.entries()) {
    const parts = entry.split(':');
    if (parts.length < 3) return `accounts: account ${index + 1}: ${CELL_FORM}`;
    const [type, branch, number] = parts.slice(0, 3).map((part) => part.trim());
    const nickname = parts.slice(3).join(':').trim();
    accounts.push({ type, branch, number, ...(nickname ? { nickname } : {}) });
  }
  return accounts;
}

/**
 * An import row's `accounts`: a JSON array of `{ type, branch, number, nickname? }`, or the CSV
 * cell form. Each account is checked as `renkei user accounts add` checks it (bank-account.ts);
 * every problem is reported with the account's position.
 */
export function checkImportAccounts(value: unknown): AccountsCheck {
  const list = typeof value === 'string' ? accountsOfCell(value) : value;
  if (typeof list === 'string') return { problems: [list] };
  if (!Array.isArray(list)) return { problems: ['accounts: must be a list of accounts'] };
  if (list.length > MAX_ACCOUNTS) return { problems: [`accounts: a customer has at most ${MAX_ACCOUNTS} accounts`] };

  const problems: string[] = [];
  const accounts: AccountFields[] = [];
  const positions: number[] = [];
  for (const [index, item] of list.entries()) {
    const at = `accounts: account ${index + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${at}: must be an object with type, branch, number and optional nickname`);
      continue;
    }
    const fields = item as Record<string, unknown>;
    const unknown = Object.keys(fields).find((key) => !ACCOUNT_KEYS.includes(key));
    const problem = unknown !== undefined ? `${unknown} is not a known field` : accountFieldsProblem(fields);
    if (problem) {
      problems.push(`${at}: ${problem}`);
      continue;
    }
    const account: AccountFields = {
      type: fields.type as AccountType,
      branch: fields.branch as string,
      number: fields.number as string,
      ...(typeof fields.nickname === 'string' && fields.nickname !== '' ? { nickname: fields.nickname } : {}),
    };
    const twin = accounts.findIndex((earlier) => isSameAccount(earlier, account));
    if (twin >= 0) problems.push(`${at}: the same account as account ${positions[twin]! + 1}`);
    accounts.push(account);
    positions.push(index);
  }
  return problems.length ? { problems } : { accounts };
}
