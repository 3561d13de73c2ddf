import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';

export const command: Command = {
  usage: 'renkei user delete LOGIN_ID [--json]',
  summary: 'Removes a customer; every grant they gave, and every token under them, is revoked.',
  notes: ADMIN_NOTES,
  examples: ['renkei user delete yamada01'],
  options: {},
  positionals: ['LOGIN_ID'],
  async run(context, _values, [loginId]) {
    await AdminClient.fromContext(context).delete(`/users/${segment(loginId!)}`);
    if (context.json) printJson(context.out, { login_id: loginId, deleted: true });
    else context.out.stdout(`deleted user ${loginId}; every grant they gave has been revoked`);
  },
};
