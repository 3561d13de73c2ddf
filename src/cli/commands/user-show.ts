import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { userFields, type UserView } from './user-view.js';

export const command: Command = {
  usage: 'renkei user show LOGIN_ID [--json]',
  summary: 'Shows one customer (never a secret).',
  notes: ADMIN_NOTES,
  examples: ['renkei user show yamada01', 'renkei user show yamada01 --json'],
  options: {},
  positionals: ['LOGIN_ID'],
  async run(context, _values, [loginId]) {
    const user = await AdminClient.fromContext(context).get<UserView>(`/users/${segment(loginId!)}`);
    if (context.json) printJson(context.out, user);
    else context.out.stdout(userFields(user));
  },
};
