import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { confirmByName, YES_NOTE, YES_OPTION } from '../confirm.js';
import { printJson } from '../output.js';

export const command: Command = {
  usage: 'renkei client delete ID [--yes] [--json]',
  summary: 'Removes a client; every grant it holds, and every token under them, is revoked.',
  notes: [YES_NOTE, 'To stop a partner for a while, `renkei client disable ID` keeps its registration.', '', ...ADMIN_NOTES],
  examples: ['renkei client delete c-4f2a9'],
  options: YES_OPTION,
  positionals: ['ID'],
  async run(context, values, [id]) {
    const api = AdminClient.fromContext(context);
    const path = `/clients/${segment(id!)}`;
    await confirmByName(context, values, {
      name: id!,
      // the partner's name, read only when a person is asked (a script does not wait for it)
      consequence: async () => `Deleting client ${id} (${(await api.get<{ client_name: string }>(path)).client_name}) revokes every grant it holds, and every token under them, at once; it cannot be undone.`,
    });
    await api.delete(path);
    if (context.json) printJson(context.out, { client_id: id, deleted: true });
    else context.out.stdout(`deleted client ${id}; every grant it held has been revoked`);
  },
};
