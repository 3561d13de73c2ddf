import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import { usageError } from '../cli-errors.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { CLIENT_FLAGS_USAGE, CLIENT_NOTES, CLIENT_OPTIONS, clientMetadataFromFlags } from './client-flags.js';
import { printClient, type ClientMetadata } from './client-view.js';

export const command: Command = {
  usage: `renkei client update ID [--name NAME] [--redirect-uri URI…] ${CLIENT_FLAGS_USAGE}`,
  summary: 'Changes the given fields of a client; the others stay as they are.',
  notes: [...CLIENT_NOTES, 'A client that becomes confidential gets a secret, printed once.', '', ...ADMIN_NOTES],
  examples: [
    'renkei client update c-4f2a9 --scope "openid accounts transactions"',
    'renkei client update c-4f2a9 --redirect-uri https://app.example/cb --redirect-uri https://app.example/cb2 --json',
  ],
  options: CLIENT_OPTIONS,
  positionals: ['ID'],
  async run(context, values, [id]) {
    const patch = clientMetadataFromFlags(values, context);
    if (Object.keys(patch).length === 0) throw usageError('nothing to update: give at least one of the flags');
    const client = await AdminClient.fromContext(context).patch<ClientMetadata>(`/clients/${segment(id!)}`, patch);
    if (context.json) printJson(context.out, client);
    else printClient(context.out, `updated client ${client.client_id}`, client);
  },
};
