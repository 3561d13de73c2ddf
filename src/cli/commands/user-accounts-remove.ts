import { AdminClient, segment } from '../admin-client.js';
import type { CommandContext } from '../command.js';
import { printJson } from '../output.js';

export async function removeAccount(context: CommandContext, loginId: string, accountId: string): Promise<void> {
  await AdminClient.fromContext(context).delete(`/users/${segment(loginId)}/accounts/${segment(accountId)}`);
  if (context.json) printJson(context.out, { login_id: loginId, account_id: accountId, removed: true });
  else context.out.stdout(`removed account ${accountId} from ${loginId}`);
}
