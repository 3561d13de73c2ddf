import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { clientTable, type ClientMetadata } from './client-view.js';

export const command: Command = {
  usage: 'renkei client list [--json]',
  summary: 'Lists the partner clients (never a secret).',
  notes: ADMIN_NOTES,
  examples: ['renkei client list', 'renkei client list --json'],
  options: {},
  async run(context) {
    const clients = await AdminClient.fromContext(context).get<ClientMetadata[]>('/clients');
    if (context.json) printJson(context.out, clients);
    else context.out.stdout(clients.length ? clientTable(clients, context.out.stdoutColumns) : 'no clients');
  },
};
