import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { confirmByName, YES_NOTE, YES_OPTION } from '../confirm.js';
import { printJson } from '../output.js';

export const command: Command = {
  usage: 'renkei user delete LOGIN_ID [--yes] [--json]',
  summary: 'Removes a customer; every grant they gave, and every token under them, is revoked.',
  notes: [YES_NOTE, '', ...ADMIN_NOTES],
  examples: ['renkei user delete yamada01'],
  options: YES_OPTION,
  positionals: ['LOGIN_ID'],
  async run(context, values, [loginId]) {
    const api = AdminClient.fromContext(context);
    const path = `/users/${segment(loginId!)}`;
    await confirmByName(context, values, {
      name: loginId!,
      // the customer's name, read only when a person is asked (an unknown login ID is refused before the question)
      consequence: async () => `Deleting user ${loginId} (${(await api.get<{ name: string }>(path)).name}) revokes every grant they gave, and every token under them, at once; it cannot be undone.`,
    });
    await api.delete(path);
    if (context.json) printJson(context.out, { login_id: loginId, deleted: true });
    else context.out.stdout(`deleted user ${loginId}; every grant they gave has been revoked`);
  },
};
