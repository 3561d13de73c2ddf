import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { printSecretOnce } from './client-view.js';

export const command: Command = {
  usage: 'renkei client rotate-secret ID [--json]',
  summary: 'Issues a new secret for a confidential client; the previous secret stops working at once.',
  notes: ADMIN_NOTES,
  examples: ['renkei client rotate-secret c-4f2a9', 'renkei client rotate-secret c-4f2a9 --json'],
  options: {},
  positionals: ['ID'],
  async run(context, _values, [id]) {
    const rotated = await AdminClient.fromContext(context).post<{ client_id: string; client_secret: string }>(`/clients/${segment(id!)}/rotate-secret`);
    if (context.json) {
      printJson(context.out, rotated);
      return;
    }
    context.out.stdout(`new secret for client ${rotated.client_id}; the previous one no longer works`);
    printSecretOnce(context.out, rotated.client_id, rotated.client_secret);
  },
};
