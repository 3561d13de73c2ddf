import { AdminClient, segment } from '../admin-client.js';
import type { CommandContext } from '../command.js';
import { printJson, table } from '../output.js';
import type { AccountView } from './user-accounts-view.js';

export async function listAccounts(context: CommandContext, loginId: string): Promise<void> {
  const accounts = await AdminClient.fromContext(context).get<AccountView[]>(`/users/${segment(loginId)}/accounts`);
  if (context.json) {
    printJson(context.out, accounts);
    return;
  }
  context.out.stdout(accounts.length
    ? table(['ACCOUNT_ID', 'TYPE', 'BRANCH', 'NUMBER', 'NICKNAME'], accounts.map((a) => [a.account_id, a.type, a.branch, a.number, a.nickname]), context.out.stdoutColumns)
    : `no accounts for ${loginId}`);
}
