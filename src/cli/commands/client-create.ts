import { AdminClient, ADMIN_NOTES } from '../admin-client.js';
import { optionalString } from '../args.js';
import { usageError } from '../cli-errors.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { CLIENT_FLAGS_USAGE, CLIENT_NOTES, CLIENT_OPTIONS, clientMetadataFromFlags } from './client-flags.js';
import { printClient, type ClientMetadata } from './client-view.js';

export const command: Command = {
  usage: `renkei client create --name NAME --redirect-uri URI [--redirect-uri URI…] [--client-id ID] ${CLIENT_FLAGS_USAGE}`,
  summary: 'Registers a partner client. A confidential client gets a secret, printed once.',
  notes: [...CLIENT_NOTES, '--client-id picks the client_id (default: generated, c-…).', '', ...ADMIN_NOTES],
  examples: [
    'renkei client create --name "家計簿アプリ" --redirect-uri https://app.example/callback --scope "openid offline_access accounts transactions"',
    'renkei client create --name "Ledger" --redirect-uri https://ledger.example/cb --auth-method private_key_jwt --jwks-uri https://ledger.example/jwks.json --profile fapi2 --json',
    'renkei client create --name "勘定系API" --resource-server    # a bank API that introspects tokens: no --redirect-uri',
  ],
  options: { ...CLIENT_OPTIONS, 'client-id': { type: 'string' } },
  async run(context, values) {
    const clientId = optionalString(values, 'client-id');
    const metadata: Record<string, unknown> = { ...(clientId !== undefined ? { client_id: clientId } : {}), ...clientMetadataFromFlags(values, context) };
    if (metadata.client_name === undefined) throw usageError('--name is required');
    if (metadata.resource_server === true) metadata.redirect_uris ??= [];
    if (metadata.redirect_uris === undefined) throw usageError('--redirect-uri is required (a --resource-server has none)');
    const client = await AdminClient.fromContext(context).post<ClientMetadata>('/clients', metadata);
    if (context.json) printJson(context.out, client);
    else printClient(context.out, `created client ${client.client_id}`, client);
  },
};
