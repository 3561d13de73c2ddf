import { fields, table, when } from '../output.js';

/** A customer as the admin API shows them: never a password, answer, 利用者番号 or hash. */
export interface UserView {
  readonly login_id: string;
  readonly sub: string;
  readonly name: string;
  readonly status: 'active' | 'locked';
  readonly failures: number;
  readonly created_at: string | null;
  readonly last_login_at: string | null;
}

export function userFields(user: UserView): string {
  return fields([
    ['login_id', user.login_id],
    ['sub', user.sub],
    ['name', user.name],
    ['status', user.status],
    ['failures', user.failures],
    ['created_at', when(user.created_at)],
    ['last_login_at', when(user.last_login_at)],
  ]);
}

export function userTable(users: readonly UserView[], terminalColumns?: number): string {
  return table(
    ['LOGIN_ID', 'NAME', 'STATUS', 'FAILURES', 'CREATED_AT', 'LAST_LOGIN_AT', 'SUB'],
    users.map((u) => [u.login_id, u.name, u.status, u.failures, when(u.created_at), when(u.last_login_at), u.sub]),
    terminalColumns,
  );
}
