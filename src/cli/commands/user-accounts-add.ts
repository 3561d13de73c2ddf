import { AdminClient, segment } from '../admin-client.js';
import { optionalChoice, optionalString, requiredString, type Values } from '../args.js';
import { usageError } from '../cli-errors.js';
import type { CommandContext } from '../command.js';
import { printJson } from '../output.js';
import { accountLine, type AccountView } from './user-accounts-view.js';

const TYPES = ['普通', '当座', '貯蓄'] as const;

export async function addAccount(context: CommandContext, values: Values, loginId: string): Promise<void> {
  const type = optionalChoice(values, 'type', TYPES);
  if (!type) throw usageError('--type is required (普通, 当座 or 貯蓄)');
  const branch = requiredString(values, 'branch');
  const number = requiredString(values, 'number');
  if (!/^\d{3}$/.test(branch)) throw usageError(`--branch must be three digits (not "${branch}")`);
  if (!/^\d{1,10}$/.test(number)) throw usageError(`--number must be 1–10 digits (not "${number}")`);
  const nickname = optionalString(values, 'nickname');
  const account = await AdminClient.fromContext(context).post<AccountView>(`/users/${segment(loginId)}/accounts`, {
    type, branch, number, ...(nickname !== undefined ? { nickname } : {}),
  });
  if (context.json) printJson(context.out, account);
  else context.out.stdout(`added ${accountLine(account)} to ${loginId}`);
}
