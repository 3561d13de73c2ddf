/** One account as the admin API shows it. */
export interface AccountView {
  readonly account_id: string;
  readonly type: string;
  readonly branch: string;
  readonly number: string;
  readonly nickname?: string;
}

export const accountLine = (a: AccountView) => `${a.account_id} (${a.type} ${a.branch}-${a.number}${a.nickname ? ` ${a.nickname}` : ''})`;
