import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';

export const command: Command = {
  usage: 'renkei client delete ID [--json]',
  summary: 'Removes a client; every grant it holds, and every token under them, is revoked.',
  notes: ['To stop a partner for a while, `renkei client disable ID` keeps its registration.', '', ...ADMIN_NOTES],
  examples: ['renkei client delete c-4f2a9'],
  options: {},
  positionals: ['ID'],
  async run(context, _values, [id]) {
    await AdminClient.fromContext(context).delete(`/clients/${segment(id!)}`);
    if (context.json) printJson(context.out, { client_id: id, deleted: true });
    else context.out.stdout(`deleted client ${id}; every grant it held has been revoked`);
  },
};
