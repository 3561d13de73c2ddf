import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import type { UserView } from './user-view.js';

export const command: Command = {
  usage: 'renkei user lock LOGIN_ID [--json]',
  summary: "Locks a customer's account: they cannot log in and their partners' tokens stop working, until unlocked.",
  notes: ADMIN_NOTES,
  examples: ['renkei user lock yamada01'],
  options: {},
  positionals: ['LOGIN_ID'],
  async run(context, _values, [loginId]) {
    const user = await AdminClient.fromContext(context).post<UserView>(`/users/${segment(loginId!)}/lock`);
    if (context.json) printJson(context.out, user);
    else context.out.stdout(`locked user ${user.login_id}`);
  },
};
