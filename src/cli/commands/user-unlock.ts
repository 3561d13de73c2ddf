import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import type { UserView } from './user-view.js';

export const command: Command = {
  usage: 'renkei user unlock LOGIN_ID [--json]',
  summary: "Unlocks a customer's account and clears its failure count.",
  notes: ADMIN_NOTES,
  examples: ['renkei user unlock yamada01'],
  options: {},
  positionals: ['LOGIN_ID'],
  async run(context, _values, [loginId]) {
    const user = await AdminClient.fromContext(context).post<UserView>(`/users/${segment(loginId!)}/unlock`);
    if (context.json) printJson(context.out, user);
    else context.out.stdout(`unlocked user ${user.login_id}`);
  },
};
