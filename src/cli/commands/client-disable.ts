import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import type { ClientMetadata } from './client-view.js';

export const command: Command = {
  usage: 'renkei client disable ID [--json]',
  summary: 'Refuses a client at once: its authorization and token requests fail and its tokens stop working.',
  notes: ADMIN_NOTES,
  examples: ['renkei client disable c-4f2a9'],
  options: {},
  positionals: ['ID'],
  async run(context, _values, [id]) {
    const client = await AdminClient.fromContext(context).post<ClientMetadata>(`/clients/${segment(id!)}/disable`);
    if (context.json) printJson(context.out, client);
    else context.out.stdout(`disabled client ${client.client_id}: its requests and tokens are refused until \`renkei client enable ${client.client_id}\``);
  },
};
