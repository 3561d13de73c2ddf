import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import type { ClientMetadata } from './client-view.js';

export const command: Command = {
  usage: 'renkei client enable ID [--json]',
  summary: 'Accepts a disabled client again; its unexpired tokens work again.',
  notes: ADMIN_NOTES,
  examples: ['renkei client enable c-4f2a9'],
  options: {},
  positionals: ['ID'],
  async run(context, _values, [id]) {
    const client = await AdminClient.fromContext(context).post<ClientMetadata>(`/clients/${segment(id!)}/enable`);
    if (context.json) printJson(context.out, client);
    else context.out.stdout(`enabled client ${client.client_id}`);
  },
};
