import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import { refused } from '../cli-errors.js';
import { readJsonFile } from '../json-input.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { printClient, type ClientMetadata } from './client-view.js';

type Result = 'created' | 'updated' | 'unchanged';

function readMetadata(file: string, cwd: string): Record<string, unknown> & { client_id: string } {
  const parsed = readJsonFile(file, cwd, file);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw refused(`cannot use ${file}: it must hold one JSON object of client metadata`);
  const { client_id: clientId } = parsed as { client_id?: unknown };
  if (typeof clientId !== 'string' || !clientId) throw refused(`cannot use ${file}: it needs a "client_id"`);
  return parsed as Record<string, unknown> & { client_id: string };
}

/** JSON with sorted keys, to compare metadata whatever order the fields come in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v);

export const command: Command = {
  usage: 'renkei client apply FILE [--json]',
  summary: 'Creates or updates the client a JSON file of RFC 7591 metadata describes (with its client_id); idempotent.',
  notes: [
    'The file holds client_id, client_name and redirect_uris, and optionally scope, token_endpoint_auth_method,',
    'jwks_uri or jwks, profile, subject_type, resource_server, tls_client_auth_subject_dn, …',
    '(every field the admin API accepts); fields left out take their defaults.',
    'The secret of a confidential client is printed only when the client is created.',
    '--json prints the metadata and "result": "created", "updated" or "unchanged".',
    '',
    ...ADMIN_NOTES,
  ],
  examples: ['renkei client apply clients/kakeibo.json', 'renkei client apply clients/kakeibo.json --json'],
  options: {},
  positionals: ['FILE'],
  async run(context, _values, [file]) {
    const metadata = readMetadata(file!, context.cwd);
    const api = AdminClient.fromContext(context);
    const path = `/clients/${segment(metadata.client_id)}`;
    const before = await api.find<ClientMetadata>(path);
    const { status, body: client } = await api.put<ClientMetadata>(path, metadata);
    const result: Result = status === 201 ? 'created' : before && canonical(before) === canonical(client) ? 'unchanged' : 'updated';
    if (context.json) printJson(context.out, { ...client, result });
    else printClient(context.out, `${result} client ${client.client_id}`, client);
  },
};
