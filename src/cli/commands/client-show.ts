import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { clientFields, type ClientMetadata } from './client-view.js';

export const command: Command = {
  usage: 'renkei client show ID [--json]',
  summary: "Shows one client's metadata (never its secret).",
  notes: ADMIN_NOTES,
  examples: ['renkei client show c-4f2a9', 'renkei client show c-4f2a9 --json'],
  options: {},
  positionals: ['ID'],
  async run(context, _values, [id]) {
    const client = await AdminClient.fromContext(context).get<ClientMetadata>(`/clients/${segment(id!)}`);
    if (context.json) printJson(context.out, client);
    else context.out.stdout(clientFields(client));
  },
};
