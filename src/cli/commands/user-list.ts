import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { userTable, type UserView } from './user-view.js';

export const command: Command = {
  usage: 'renkei user list [--json]',
  summary: 'Lists the customers, with their status and failure count.',
  notes: ADMIN_NOTES,
  examples: ['renkei user list', 'renkei user list --json'],
  options: {},
  async run(context) {
    const users = await AdminClient.fromContext(context).get<UserView[]>('/users');
    if (context.json) printJson(context.out, users);
    else context.out.stdout(users.length ? userTable(users) : 'no users');
  },
};
